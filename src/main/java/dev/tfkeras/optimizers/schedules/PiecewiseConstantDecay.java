package dev.tfkeras.optimizers.schedules;

import dev.tfkeras.saving.Config;
import java.util.Arrays;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Keras's {@code PiecewiseConstantDecay}: {@code values[0]} while {@code step <= boundaries[0]},
 * {@code values[i]} while {@code boundaries[i-1] < step <= boundaries[i]}, and the last value after
 * the last boundary.
 */
public final class PiecewiseConstantDecay extends LearningRateSchedule {

  private final long[] boundaries;
  private final float[] values;

  /**
   * As {@link #PiecewiseConstantDecay(long[], float[])}, with the values as Keras programs type
   * them: {@code new PiecewiseConstantDecay(new long[] {1000}, new double[] {1e-3, 1e-4})}.
   */
  public PiecewiseConstantDecay(long[] boundaries, double[] values) {
    this(boundaries, toFloats(values));
  }

  private static float[] toFloats(double[] values) {
    float[] floats = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      floats[i] = (float) values[i];
    }
    return floats;
  }

  /**
   * @param boundaries increasing steps at which the rate changes
   * @param values one more value than boundaries
   */
  public PiecewiseConstantDecay(long[] boundaries, float[] values) {
    super("PiecewiseConstant");
    if (boundaries.length != values.length - 1) {
      throw new IllegalArgumentException(
          "The length of boundaries should be 1 less than the length of values. Received:"
              + " boundaries="
              + Arrays.toString(boundaries)
              + " of length "
              + boundaries.length
              + ", and values="
              + Arrays.toString(values)
              + " of length "
              + values.length
              + ".");
    }
    for (int i = 1; i < boundaries.length; i++) {
      if (boundaries[i] <= boundaries[i - 1]) {
        throw new IllegalArgumentException(
            "boundaries must be strictly increasing, received: boundaries="
                + Arrays.toString(boundaries)
                + ". Sort them and drop repeated steps.");
      }
    }
    for (float value : values) {
      checkFinite("values", value);
    }
    this.boundaries = boundaries.clone();
    this.values = values.clone();
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TInt64> step) {
    if (boundaries.length == 0) {
      return tf.constant(values[0]);
    }
    // Keras's sum of indicator-weighted values, compared in the step's integer type.
    int last = boundaries.length - 1;
    Operand<TFloat32> rate =
        tf.math.add(
            weighted(tf, tf.math.lessEqual(step, tf.constant(boundaries[0])), values[0]),
            weighted(tf, tf.math.greater(step, tf.constant(boundaries[last])), values[last + 1]));
    for (int i = 0; i < last; i++) {
      Operand<TBool> inRange =
          tf.math.logicalAnd(
              tf.math.greater(step, tf.constant(boundaries[i])),
              tf.math.lessEqual(step, tf.constant(boundaries[i + 1])));
      rate = tf.math.add(rate, weighted(tf, inRange, values[i + 1]));
    }
    return rate;
  }

  private static Operand<TFloat32> weighted(Ops tf, Operand<TBool> condition, float value) {
    return tf.math.mul(tf.dtypes.cast(condition, TFloat32.class), tf.constant(value));
  }

  @Override
  public String toString() {
    return "PiecewiseConstantDecay[boundaries="
        + Arrays.toString(boundaries)
        + ", values="
        + Arrays.toString(values)
        + "]";
  }

  /** Sets Keras's {@code name} (default {@code "PiecewiseConstant"}); returns this. */
  @Override
  public PiecewiseConstantDecay name(String name) {
    super.name(name);
    return this;
  }

  /** Keras's config: {@code boundaries}, {@code values}, {@code name}. */
  @Override
  public Config getConfig() {
    return new Config().put("boundaries", boundaries).put("values", values).put("name", name());
  }

  /** Keras's {@code PiecewiseConstantDecay.from_config}: {@code boundaries} and {@code values} are required. */
  public static PiecewiseConstantDecay fromConfig(Config config) {
    requireKeys(config, "boundaries", "values");
    long[] boundaries = config.getLongs("boundaries");
    double[] values = config.getDoubles("values");
    PiecewiseConstantDecay schedule = new PiecewiseConstantDecay(boundaries, values);
    schedule.name(config.getString("name", "PiecewiseConstant"));
    config.checkAllRead();
    return schedule;
  }
}
