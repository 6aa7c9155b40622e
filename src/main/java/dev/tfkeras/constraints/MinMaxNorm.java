package dev.tfkeras.constraints;

import dev.tfkeras.saving.Config;
import java.util.Arrays;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras's {@code MinMaxNorm}: moves each weight vector's norm over {@code axis} into {@code
 * [minValue, maxValue]} at {@code rate}: {@code desired = rate * clip(norms, min, max) + (1 - rate)
 * * norms}, {@code w * desired / (epsilon + norms)}. Defaults: min 0, max 1, rate 1, axis 0.
 */
public final class MinMaxNorm implements Constraint {

  private final float minValue;
  private final float maxValue;
  private final float rate;
  private final int[] axes;

  /** Keras's defaults: norms in [0, 1] over axis 0, enforced at rate 1. */
  public MinMaxNorm() {
    this(0f, 1f);
  }

  /** Norms in [minValue, maxValue] over axis 0, enforced at rate 1. */
  public MinMaxNorm(double minValue, double maxValue) {
    this(minValue, maxValue, 1f, 0);
  }

  /** Norms over {@code axes} moved toward [minValue, maxValue] at {@code rate}. */
  public MinMaxNorm(double minValue, double maxValue, double rate, int... axes) {
    this.minValue = (float) minValue;
    this.maxValue = (float) maxValue;
    this.rate = (float) rate;
    this.axes = Norms.checkAxes(axes);
  }

  @Override
  public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> w) {
    Operand<TFloat32> norms = Norms.of(tf, w, axes);
    Operand<TFloat32> clipped = tf.clipByValue(norms, tf.constant(minValue), tf.constant(maxValue));
    Operand<TFloat32> desired =
        tf.math.add(
            tf.math.mul(tf.constant(rate), clipped), tf.math.mul(tf.constant(1f - rate), norms));
    return Norms.rescale(tf, w, desired, norms);
  }

  @Override
  public String toString() {
    return "MinMaxNorm(minValue=" + minValue + ", maxValue=" + maxValue + ", rate=" + rate + ", axis="
        + Arrays.toString(axes) + ")";
  }

  /** Keras's config: {@code min_value}, {@code max_value}, {@code rate}, {@code axis}. */
  @Override
  public Config getConfig() {
    return new Config()
        .put("min_value", minValue)
        .put("max_value", maxValue)
        .put("rate", rate)
        .put("axis", Norms.axisValue(axes));
  }

  /** Keras's {@code MinMaxNorm.from_config}: 0, 1, rate 1, axis 0 by default. */
  public static MinMaxNorm fromConfig(Config config) {
    double minValue = config.getDouble("min_value", 0.0);
    double maxValue = config.getDouble("max_value", 1.0);
    double rate = config.getDouble("rate", 1.0);
    int[] axes = Norms.readAxes(config);
    config.checkAllRead();
    return new MinMaxNorm(minValue, maxValue, rate, axes);
  }
}
