package dev.tfkeras.optimizers;

import dev.tfkeras.optimizers.schedules.LearningRateSchedule;
import dev.tfkeras.variables.Variable;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras's {@code Ftrl}, "Follow The Regularized Leader" (McMahan et al., 2013), with Keras's
 * defaults (learning rate 1e-3, learning-rate power -0.5, accumulators starting at 0.1, no
 * regularization, beta 0): with {@code p = -learningRatePower} and {@code g' = g + 2 · l2Shrinkage
 * · w}, {@code n' = n + g²; z += g' - (n'^p - n^p) / lr · w; w = (clip(z, -l1, l1) - z) / (n'^p /
 * lr + 2 (l2 + beta / (2 lr))); n = n'}.
 *
 * <p>Runs TensorFlow's {@code ApplyFtrlV2} kernel, which computes exactly this update when given
 * Keras's effective L2 strength {@code l2 + beta / (2 lr)}, computed here from the current rate.
 */
public class Ftrl extends Optimizer {

  private final float learningRatePower;
  private final float initialAccumulatorValue;
  private final float l1;
  private final float l2;
  private final float l2Shrinkage;
  private final float beta;

  /** Keras defaults. */
  public Ftrl() {
    this(1e-3f);
  }

  public Ftrl(float learningRate) {
    this(learningRate, -0.5f, 0.1f, 0f, 0f, 0f, 0f);
  }

  /** Keras defaults, with the learning rate set by {@code schedule}. */
  public Ftrl(LearningRateSchedule schedule) {
    this();
    setLearningRate(schedule);
  }

  /**
   * @param learningRatePower {@code <= 0}; 0 keeps the learning rate fixed
   * @param initialAccumulatorValue {@code >= 0}, the accumulators' starting value
   * @param l1 L1 regularization strength, {@code >= 0}
   * @param l2 L2 (stabilization) regularization strength, {@code >= 0}
   * @param l2Shrinkage L2 shrinkage (magnitude penalty) strength, {@code >= 0}
   * @param beta the beta of the paper, {@code >= 0}
   */
  public Ftrl(
      float learningRate,
      float learningRatePower,
      float initialAccumulatorValue,
      float l1,
      float l2,
      float l2Shrinkage,
      float beta) {
    super("ftrl", learningRate);
    this.initialAccumulatorValue =
        kerasCheck("initial_accumulator_value", initialAccumulatorValue, "positive or zero");
    if (!(learningRatePower <= 0f) || Float.isInfinite(learningRatePower)) {
      throw new IllegalArgumentException(
          "`learning_rate_power` needs to be negative or zero. Received: learning_rate_power="
              + learningRatePower
              + ".");
    }
    this.learningRatePower = learningRatePower;
    this.l1 = kerasCheck("l1_regularization_strength", l1, "positive or zero");
    this.l2 = kerasCheck("l2_regularization_strength", l2, "positive or zero");
    this.l2Shrinkage =
        kerasCheck("l2_shrinkage_regularization_strength", l2Shrinkage, "positive or zero");
    this.beta = kerasCheck("beta", beta, "positive or zero");
  }

  private static float kerasCheck(String what, float value, String expected) {
    if (!(value >= 0f) || Float.isInfinite(value)) {
      throw new IllegalArgumentException(
          "`" + what + "` needs to be " + expected + ". Received: " + what + "=" + value + ".");
    }
    return value;
  }

  @Override
  protected Op applyDense(
      Ops tf,
      Variable<TFloat32> variable,
      Operand<TFloat32> gradient,
      Operand<TFloat32> lr,
      Operand<TFloat32> step) {
    Operand<TFloat32> effectiveL2 =
        tf.math.add(
            tf.constant(l2), tf.math.div(tf.constant(beta), tf.math.mul(tf.constant(2f), lr)));
    return tf.train.applyFtrl(
        variable.handle(),
        slot(variable, "accumulator", initialAccumulatorValue).handle(),
        slot(variable, "linear").handle(),
        gradient,
        lr,
        tf.constant(l1),
        effectiveL2,
        tf.constant(l2Shrinkage),
        tf.constant(learningRatePower));
  }
}
