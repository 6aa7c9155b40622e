package dev.tfkeras.regularizers;

import dev.tfkeras.saving.Config;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Keras's {@code L2}: {@code l2 * sum(x²)} (no factor 1/2), default {@code l2 = 0.01}. */
public final class L2 implements Regularizer {

  private final float l2;

  /** Keras's default factor 0.01. */
  public L2() {
    this(0.01f);
  }

  /** @throws IllegalArgumentException for a negative or non-finite factor */
  public L2(double l2) {
    this.l2 = Penalties.checkFactor("l2", l2);
  }

  public float l2() {
    return l2;
  }

  @Override
  public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> weight) {
    return tf.math.mul(tf.constant(l2), Penalties.sumOfSquares(tf, weight));
  }

  @Override
  public String toString() {
    return "L2(l2=" + l2 + ")";
  }

  /** Keras's config: {@code l2}. */
  @Override
  public Config getConfig() {
    return new Config().put("l2", l2);
  }

  /** Keras's {@code L2.from_config}: l2 0.01 by default. */
  public static L2 fromConfig(Config config) {
    double l2 = config.getDouble("l2", 0.01);
    config.checkAllRead();
    return new L2(l2);
  }
}
