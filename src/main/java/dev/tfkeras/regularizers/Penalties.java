package dev.tfkeras.regularizers;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** The sums the regularizers are made of, and Keras's check of their factors. */
final class Penalties {

  private Penalties() {}

  /** {@code sum(|x|)} over every element. */
  static Operand<TFloat32> sumOfAbs(Ops tf, Operand<TFloat32> x) {
    return tf.sum(tf.math.abs(x), allAxes(tf, x));
  }

  /** {@code sum(x²)} over every element. */
  static Operand<TFloat32> sumOfSquares(Ops tf, Operand<TFloat32> x) {
    return tf.sum(tf.math.square(x), allAxes(tf, x));
  }

  private static Operand<org.tensorflow.types.TInt32> allAxes(Ops tf, Operand<TFloat32> x) {
    return tf.range(tf.constant(0), tf.rank(x), tf.constant(1));
  }

  /** Keras's {@code validate_float_arg}: a finite, non-negative factor. */
  static float checkFactor(String name, double requested) {
    float value = (float) requested;
    if (!(value >= 0) || Float.isInfinite(value)) {
      throw new IllegalArgumentException(
          "Invalid value for argument " + name + ": expected a non-negative float. Received: " + name
              + "=" + value);
    }
    return value;
  }
}
