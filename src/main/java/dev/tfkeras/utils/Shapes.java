package dev.tfkeras.utils;

import org.tensorflow.ndarray.Shape;

/** Shapes as Keras and Python print them. */
public final class Shapes {

  private Shapes() {}

  /** {@code (None, 28, 28, 1)}, {@code (None,)} or {@code ()}; an unknown rank is {@code <unknown>}. */
  public static String format(Shape shape) {
    if (shape.isUnknown()) {
      return "<unknown>";
    }
    StringBuilder text = new StringBuilder("(");
    for (int i = 0; i < shape.numDimensions(); i++) {
      if (i > 0) {
        text.append(", ");
      }
      long d = shape.get(i);
      text.append(d == Shape.UNKNOWN_SIZE ? "None" : Long.toString(d));
    }
    return text.append(shape.numDimensions() == 1 ? ",)" : ")").toString();
  }
}
