package dev.tfkeras.regularizers;

import dev.tfkeras.saving.Config;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras's {@code L1L2}: {@code l1 * sum(|x|) + l2 * sum(x²)}. As in Keras 3's code, both factors
 * default to 0 (the no-argument form, also {@code Regularizers.get("l1_l2")}, adds no penalty;
 * Keras's docstring claims 0.01, its constructor says 0): give them, {@code new L1L2(0.01f, 0.01f)}.
 */
public final class L1L2 implements Regularizer {

  private final float l1;
  private final float l2;

  /** Keras 3's defaults: {@code l1 = l2 = 0}. */
  public L1L2() {
    this(0f, 0f);
  }

  /** @throws IllegalArgumentException for a negative or non-finite factor */
  public L1L2(double l1, double l2) {
    this.l1 = Penalties.checkFactor("l1", l1);
    this.l2 = Penalties.checkFactor("l2", l2);
  }

  public float l1() {
    return l1;
  }

  public float l2() {
    return l2;
  }

  @Override
  public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> weight) {
    Operand<TFloat32> penalty = tf.constant(0f);
    if (l1 != 0f) {
      penalty = tf.math.add(penalty, tf.math.mul(tf.constant(l1), Penalties.sumOfAbs(tf, weight)));
    }
    if (l2 != 0f) {
      penalty = tf.math.add(penalty, tf.math.mul(tf.constant(l2), Penalties.sumOfSquares(tf, weight)));
    }
    return penalty;
  }

  @Override
  public String toString() {
    return "L1L2(l1=" + l1 + ", l2=" + l2 + ")";
  }

  /** Keras's config: {@code l1}, {@code l2}. */
  @Override
  public Config getConfig() {
    return new Config().put("l1", l1).put("l2", l2);
  }

  /** Keras's {@code L1L2.from_config}: both 0 by default. */
  public static L1L2 fromConfig(Config config) {
    double l1 = config.getDouble("l1", 0.0);
    double l2 = config.getDouble("l2", 0.0);
    config.checkAllRead();
    return new L1L2(l1, l2);
  }
}
