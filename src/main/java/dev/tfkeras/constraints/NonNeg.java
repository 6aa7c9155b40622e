package dev.tfkeras.constraints;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Keras's {@code NonNeg}: {@code max(w, 0)}. */
public final class NonNeg implements Constraint {

  @Override
  public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> w) {
    return tf.math.maximum(w, tf.constant(0f));
  }

  @Override
  public String toString() {
    return "NonNeg";
  }
}
