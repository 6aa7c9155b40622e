package dev.tfkeras.optimizers.schedules;

import dev.tfkeras.saving.Config;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Keras's {@code PolynomialDecay}: {@code (initial - end) · (1 - step / decaySteps)^power + end},
 * with the step held at {@code decaySteps} afterwards; with {@code cycle}, {@code decaySteps} grows
 * to the next multiple of itself instead, so the rate jumps back up and decays again.
 */
public final class PolynomialDecay extends LearningRateSchedule {

  private final float initialLearningRate;
  private final long decaySteps;
  private final float endLearningRate;
  private final float power;
  private final boolean cycle;

  /** Keras's defaults: linear decay to 1e-4, no cycle. */
  public PolynomialDecay(double initialLearningRate, long decaySteps) {
    this(initialLearningRate, decaySteps, 1e-4, 1, false);
  }

  public PolynomialDecay(
      double initialLearningRate,
      long decaySteps,
      double endLearningRate,
      double power,
      boolean cycle) {
    this.initialLearningRate = checkFinite("initial_learning_rate", initialLearningRate);
    this.decaySteps = checkDecaySteps("decay_steps", decaySteps);
    this.endLearningRate = checkFinite("end_learning_rate", endLearningRate);
    this.power = checkFinite("power", power);
    this.cycle = cycle;
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TInt64> step) {
    Operand<TFloat32> s = tf.dtypes.cast(step, TFloat32.class);
    Operand<TFloat32> decay = tf.constant((float) decaySteps);
    if (cycle) {
      // the step's cycle, ceil(step / decaySteps), counting step 0 in the first
      Operand<TFloat32> multiplier =
          tf.select(
              tf.math.equal(s, tf.constant(0f)),
              tf.constant(1f),
              tf.math.ceil(tf.math.div(s, decay)));
      decay = tf.math.mul(decay, multiplier);
    } else {
      s = tf.math.minimum(s, decay);
    }
    Operand<TFloat32> p = tf.math.div(s, decay);
    Operand<TFloat32> end = tf.constant(endLearningRate);
    return tf.math.add(
        tf.math.mul(
            tf.math.sub(tf.constant(initialLearningRate), end),
            tf.math.pow(tf.math.sub(tf.constant(1f), p), tf.constant(power))),
        end);
  }

  @Override
  public String toString() {
    return "PolynomialDecay[initialLearningRate="
        + initialLearningRate
        + ", decaySteps="
        + decaySteps
        + ", endLearningRate="
        + endLearningRate
        + ", power="
        + power
        + ", cycle="
        + cycle
        + "]";
  }

  /** Sets Keras's {@code name} (default {@code "PolynomialDecay"}); returns this. */
  @Override
  public PolynomialDecay name(String name) {
    super.name(name);
    return this;
  }

  /**
   * Keras's config: {@code initial_learning_rate}, {@code decay_steps}, {@code end_learning_rate},
   * {@code power}, {@code cycle}, {@code name}.
   */
  @Override
  public Config getConfig() {
    return new Config()
        .put("initial_learning_rate", initialLearningRate)
        .put("decay_steps", decaySteps)
        .put("end_learning_rate", endLearningRate)
        .put("power", power)
        .put("cycle", cycle)
        .put("name", name());
  }

  /** Keras's {@code PolynomialDecay.from_config}, with Keras's defaults (end 1e-4, power 1). */
  public static PolynomialDecay fromConfig(Config config) {
    requireKeys(config, "initial_learning_rate", "decay_steps");
    PolynomialDecay schedule = new PolynomialDecay(
        config.getDouble("initial_learning_rate", 0), config.getLong("decay_steps", 0),
        config.getDouble("end_learning_rate", 1e-4), config.getDouble("power", 1.0), config.getBoolean("cycle", false));
    schedule.name(config.getString("name", "PolynomialDecay"));
    config.checkAllRead();
    return schedule;
  }
}
