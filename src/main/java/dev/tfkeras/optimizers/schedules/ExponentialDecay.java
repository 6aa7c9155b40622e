package dev.tfkeras.optimizers.schedules;

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
}
