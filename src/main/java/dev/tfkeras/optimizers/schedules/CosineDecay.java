package dev.tfkeras.optimizers.schedules;

import dev.tfkeras.saving.Config;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Keras 3's {@code CosineDecay}, with optional linear warmup. Without warmup: {@code initial · ((1
 * - alpha) · ½(1 + cos(π · min(step, decaySteps) / decaySteps)) + alpha)}. With a {@code
 * warmupTarget}: the rate rises linearly from {@code initialLearningRate} to {@code warmupTarget}
 * over {@code warmupSteps}, then decays from {@code warmupTarget} as above over {@code decaySteps}.
 */
public final class CosineDecay extends LearningRateSchedule {

  private final float initialLearningRate;
  private final long decaySteps;
  private final float alpha;
  private final Float warmupTarget;
  private final long warmupSteps;

  /** Decay to 0 over {@code decaySteps}, no warmup. */
  public CosineDecay(double initialLearningRate, long decaySteps) {
    this(initialLearningRate, decaySteps, 0);
  }

  /** Decay to {@code alpha · initialLearningRate} over {@code decaySteps}, no warmup. */
  public CosineDecay(double initialLearningRate, long decaySteps, double alpha) {
    this(initialLearningRate, decaySteps, alpha, null, 0);
  }

  /**
   * With a linear warmup from {@code initialLearningRate} to {@code warmupTarget} over {@code
   * warmupSteps} steps, then the cosine decay from {@code warmupTarget}: {@code new
   * CosineDecay(0.0, 1000, 0.0, 1e-3, 100)}.
   */
  public CosineDecay(
      double initialLearningRate,
      long decaySteps,
      double alpha,
      double warmupTarget,
      long warmupSteps) {
    this(initialLearningRate, decaySteps, alpha, Float.valueOf((float) warmupTarget), warmupSteps);
  }

  /**
   * @param warmupTarget the rate reached at the end of warmup, or null for no warmup
   * @param warmupSteps steps of linear warmup from {@code initialLearningRate}
   */
  public CosineDecay(
      double initialLearningRate,
      long decaySteps,
      double alpha,
      Float warmupTarget,
      long warmupSteps) {
    this.initialLearningRate = checkFinite("initial_learning_rate", initialLearningRate);
    this.decaySteps = checkDecaySteps("decay_steps", decaySteps);
    this.alpha = checkFinite("alpha", alpha);
    if (warmupTarget != null) {
      checkFinite("warmup_target", warmupTarget);
    }
    if (warmupSteps < 0) {
      throw new IllegalArgumentException(
          "Argument `warmup_steps` must be >= 0. Received: warmup_steps=" + warmupSteps);
    }
    this.warmupTarget = warmupTarget;
    this.warmupSteps = warmupSteps;
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TInt64> step) {
    Operand<TFloat32> s = tf.dtypes.cast(step, TFloat32.class);
    Operand<TFloat32> decay = tf.constant((float) decaySteps);
    if (warmupTarget == null) {
      return decayed(tf, tf.math.minimum(s, decay), decay, tf.constant(initialLearningRate));
    }
    Operand<TFloat32> warmup = tf.constant((float) warmupSteps);
    s = tf.math.minimum(s, tf.math.add(decay, warmup));
    Operand<TFloat32> initial = tf.constant(initialLearningRate);
    Operand<TFloat32> target = tf.constant(warmupTarget);
    // warmup: (target - initial) · step / warmupSteps + initial
    Operand<TFloat32> warming =
        tf.math.add(tf.math.mul(tf.math.sub(target, initial), tf.math.div(s, warmup)), initial);
    // Keras's cond, as a select: both sides are finite or unused (step / 0 only when warmupSteps
    // is 0, where the decay side is taken), and nothing is differentiated through it.
    return tf.select(
        tf.math.less(s, warmup), warming, decayed(tf, tf.math.sub(s, warmup), decay, target));
  }

  private Operand<TFloat32> decayed(
      Ops tf, Operand<TFloat32> step, Operand<TFloat32> decaySteps, Operand<TFloat32> from) {
    Operand<TFloat32> fraction = tf.math.div(step, decaySteps);
    Operand<TFloat32> cosine =
        tf.math.mul(
            tf.constant(0.5f),
            tf.math.add(
                tf.constant(1f), tf.math.cos(tf.math.mul(tf.constant((float) Math.PI), fraction))));
    Operand<TFloat32> scaled =
        tf.math.add(tf.math.mul(tf.constant(1f - alpha), cosine), tf.constant(alpha));
    return tf.math.mul(from, scaled);
  }

  @Override
  public String toString() {
    return "CosineDecay[initialLearningRate="
        + initialLearningRate
        + ", decaySteps="
        + decaySteps
        + ", alpha="
        + alpha
        + ", warmupTarget="
        + warmupTarget
        + ", warmupSteps="
        + warmupSteps
        + "]";
  }

  /** Sets Keras's {@code name} (default {@code "CosineDecay"}); returns this. */
  @Override
  public CosineDecay name(String name) {
    super.name(name);
    return this;
  }

  /**
   * Keras's config: {@code initial_learning_rate}, {@code decay_steps}, {@code alpha}, {@code
   * name}, {@code warmup_target} (null without warmup), {@code warmup_steps}.
   */
  @Override
  public Config getConfig() {
    return new Config()
        .put("initial_learning_rate", initialLearningRate)
        .put("decay_steps", decaySteps)
        .put("alpha", alpha)
        .put("name", name())
        .put("warmup_target", warmupTarget)
        .put("warmup_steps", warmupSteps);
  }

  /** Keras's {@code CosineDecay.from_config}, with Keras's defaults (alpha 0, no warmup). */
  public static CosineDecay fromConfig(Config config) {
    Object target = config.has("warmup_target") ? config.getFloat("warmup_target", 0) : null;
    requireKeys(config, "initial_learning_rate", "decay_steps");
    CosineDecay schedule = new CosineDecay(
        config.getDouble("initial_learning_rate", 0), config.getLong("decay_steps", 0),
        config.getDouble("alpha", 0.0), (Float) target, config.getLong("warmup_steps", 0));
    schedule.name(config.getString("name", "CosineDecay"));
    config.checkAllRead();
    return schedule;
  }
}
