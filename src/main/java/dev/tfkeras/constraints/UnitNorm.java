package dev.tfkeras.constraints;

import dev.tfkeras.saving.Config;
import java.util.Arrays;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Keras's {@code UnitNorm}: {@code w / (epsilon + norms)}, norms over {@code axis} (default 0). */
public final class UnitNorm implements Constraint {

  private final int[] axes;

  /** Unit norm over axis 0. */
  public UnitNorm() {
    this(0);
  }

  /** Unit norm over {@code axes} (negative counting from the end). */
  public UnitNorm(int... axes) {
    this.axes = Norms.checkAxes(axes);
  }

  @Override
  public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> w) {
    return tf.math.div(w, tf.math.add(tf.constant(Norms.EPSILON), Norms.of(tf, w, axes)));
  }

  @Override
  public String toString() {
    return "UnitNorm(axis=" + Arrays.toString(axes) + ")";
  }

  /** Keras's config: {@code axis}. */
  @Override
  public Config getConfig() {
    return new Config().put("axis", Norms.axisValue(axes));
  }

  /** Keras's {@code UnitNorm.from_config}: axis 0 by default. */
  public static UnitNorm fromConfig(Config config) {
    int[] axes = Norms.readAxes(config);
    config.checkAllRead();
    return new UnitNorm(axes);
  }
}
