package dev.tfkeras.constraints;

import dev.tfkeras.saving.Config;
import java.util.Arrays;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras's {@code MaxNorm}: rescales each weight vector whose norm over {@code axis} exceeds {@code
 * maxValue} to that norm: {@code w * clip(norms, 0, maxValue) / (epsilon + norms)}. Defaults:
 * {@code maxValue = 2}, axis 0 (for a Dense kernel {@code (in, units)}: the incoming weights of each
 * unit; for a Conv2D kernel use axes {@code 0, 1, 2}).
 */
public final class MaxNorm implements Constraint {

  private final float maxValue;
  private final int[] axes;

  /** Keras's defaults: max norm 2 over axis 0. */
  public MaxNorm() {
    this(2f);
  }

  /** Max norm {@code maxValue} over axis 0. */
  public MaxNorm(double maxValue) {
    this(maxValue, 0);
  }

  /** Max norm {@code maxValue} over {@code axes} (negative counting from the end). */
  public MaxNorm(double maxValue, int... axes) {
    this.maxValue = (float) maxValue;
    this.axes = Norms.checkAxes(axes);
  }

  @Override
  public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> w) {
    Operand<TFloat32> norms = Norms.of(tf, w, axes);
    Operand<TFloat32> desired = tf.clipByValue(norms, tf.constant(0f), tf.constant(maxValue));
    return Norms.rescale(tf, w, desired, norms);
  }

  @Override
  public String toString() {
    return "MaxNorm(maxValue=" + maxValue + ", axis=" + Arrays.toString(axes) + ")";
  }

  /** Keras's config: {@code max_value}, {@code axis}. */
  @Override
  public Config getConfig() {
    return new Config().put("max_value", maxValue).put("axis", Norms.axisValue(axes));
  }

  /** Keras's {@code MaxNorm.from_config}: max_value 2, axis 0 by default. */
  public static MaxNorm fromConfig(Config config) {
    double maxValue = config.getDouble("max_value", 2.0);
    int[] axes = Norms.readAxes(config);
    config.checkAllRead();
    return new MaxNorm(maxValue, axes);
  }
}
