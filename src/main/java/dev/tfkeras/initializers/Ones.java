package dev.tfkeras.initializers;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** All ones, as Keras's {@code Ones}: e.g. a normalization layer's scale. */
public final class Ones implements Initializer {

  @Override
  public Operand<TFloat32> create(Ops tf, Shape shape, long seed) {
    return tf.fill(tf.constant(shape.asArray()), tf.constant(1f));
  }

  @Override
  public String toString() {
    return "Ones";
  }
}
