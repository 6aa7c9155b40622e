package dev.tfkeras.optimizers.schedules;

import dev.tfkeras.saving.Config;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Keras's {@code ExponentialDecay}: {@code initialLearningRate · decayRate^(step / decaySteps)},
 * with the exponent rounded down when {@code staircase} (the rate then drops every {@code
 * decaySteps} steps).
 */
public final class ExponentialDecay extends LearningRateSchedule {

  private final float initialLearningRate;
  private final long decaySteps;
  private final float decayRate;
  private final boolean staircase;

  /** Smooth decay. */
  public ExponentialDecay(double initialLearningRate, long decaySteps, double decayRate) {
    this(initialLearningRate, decaySteps, decayRate, false);
  }

  public ExponentialDecay(
      double initialLearningRate, long decaySteps, double decayRate, boolean staircase) {
    this.initialLearningRate = checkFinite("initial_learning_rate", initialLearningRate);
    this.decaySteps = checkDecaySteps("decay_steps", decaySteps);
    this.decayRate = checkFinite("decay_rate", decayRate);
    this.staircase = staircase;
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TInt64> step) {
    Operand<TFloat32> p =
        tf.math.div(tf.dtypes.cast(step, TFloat32.class), tf.constant((float) decaySteps));
    if (staircase) {
      p = tf.math.floor(p);
    }
    return tf.math.mul(tf.constant(initialLearningRate), tf.math.pow(tf.constant(decayRate), p));
  }

  @Override
  public String toString() {
    return "ExponentialDecay[initialLearningRate="
        + initialLearningRate
        + ", decaySteps="
        + decaySteps
        + ", decayRate="
        + decayRate
        + ", staircase="
        + staircase
        + "]";
  }

  /** Sets Keras's {@code name} (default {@code "ExponentialDecay"}); returns this. */
  @Override
  public ExponentialDecay name(String name) {
    super.name(name);
    return this;
  }

  /**
   * Keras's config: {@code initial_learning_rate}, {@code decay_steps}, {@code decay_rate}, {@code
   * staircase}, {@code name}.
   */
  @Override
  public Config getConfig() {
    return new Config()
        .put("initial_learning_rate", initialLearningRate)
        .put("decay_steps", decaySteps)
        .put("decay_rate", decayRate)
        .put("staircase", staircase)
        .put("name", name());
  }

  /** Keras's {@code ExponentialDecay.from_config}: the first three keys are required, as in Keras. */
  public static ExponentialDecay fromConfig(Config config) {
    requireKeys(config, "initial_learning_rate", "decay_steps", "decay_rate");
    ExponentialDecay schedule = new ExponentialDecay(
        config.getDouble("initial_learning_rate", 0), config.getLong("decay_steps", 0),
        config.getDouble("decay_rate", 0), config.getBoolean("staircase", false));
    schedule.name(config.getString("name", "ExponentialDecay"));
    config.checkAllRead();
    return schedule;
  }
}
