package dev.tfkeras.constraints;

import dev.tfkeras.saving.Config;
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

  /** Keras's config: empty. */
  @Override
  public Config getConfig() {
    return new Config();
  }

  /** Keras's {@code NonNeg.from_config}: no keys. */
  public static NonNeg fromConfig(Config config) {
    config.checkAllRead();
    return new NonNeg();
  }
}
