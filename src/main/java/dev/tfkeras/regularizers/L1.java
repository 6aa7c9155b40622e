package dev.tfkeras.regularizers;

import dev.tfkeras.saving.Config;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Keras's {@code L1}: {@code l1 * sum(|x|)}, default {@code l1 = 0.01}. */
public final class L1 implements Regularizer {

  private final float l1;

  /** Keras's default factor 0.01. */
  public L1() {
    this(0.01f);
  }

  /** @throws IllegalArgumentException for a negative or non-finite factor */
  public L1(double l1) {
    this.l1 = Penalties.checkFactor("l1", l1);
  }

  public float l1() {
    return l1;
  }

  @Override
  public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> weight) {
    return tf.math.mul(tf.constant(l1), Penalties.sumOfAbs(tf, weight));
  }

  @Override
  public String toString() {
    return "L1(l1=" + l1 + ")";
  }

  /** Keras's config: {@code l1}. */
  @Override
  public Config getConfig() {
    return new Config().put("l1", l1);
  }

  /** Keras's {@code L1.from_config}: l1 0.01 by default. */
  public static L1 fromConfig(Config config) {
    double l1 = config.getDouble("l1", 0.01);
    config.checkAllRead();
    return new L1(l1);
  }
}
