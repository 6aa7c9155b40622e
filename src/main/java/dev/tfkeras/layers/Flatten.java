package dev.tfkeras.layers;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/** Flattens every axis but the batch axis: {@code (N, 26, 26, 32) -> (N, 21632)}. */
public class Flatten extends Layer {

  @Override
  protected void validateInput(Shape shape) {
    requireMinRank(shape, 1);
    for (int i = 1; i < shape.numDimensions(); i++) {
      if (shape.get(i) == Shape.UNKNOWN_SIZE) {
        throw incompatible("every non-batch axis must be known to flatten, axis " + i + " is not", shape);
      }
    }
  }

  @Override
  protected Operand<TFloat32> call(Operand<TFloat32> input, boolean training) {
    Shape shape = input.shape();
    long features = 1;
    for (int i = 1; i < shape.numDimensions(); i++) {
      features *= shape.get(i);
    }
    return tf().reshape(input, tf().constant(new long[] {-1, features}));
  }
}
