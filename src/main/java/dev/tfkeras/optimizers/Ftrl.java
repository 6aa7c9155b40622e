package dev.tfkeras.optimizers;

import dev.tfkeras.optimizers.schedules.LearningRateSchedule;
import dev.tfkeras.saving.Config;
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

  private float learningRatePower;
  private float initialAccumulatorValue;
  private float l1;
  private float l2;
  private float l2Shrinkage;
  private float beta;

  /** Keras defaults. */
  public Ftrl() {
    this(1e-3);
  }

  public Ftrl(double learningRate) {
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
      double learningRate,
      double learningRatePower,
      double initialAccumulatorValue,
      double l1,
      double l2,
      double l2Shrinkage,
      double beta) {
    super("ftrl", learningRate);
    this.initialAccumulatorValue =
        kerasCheck("initial_accumulator_value", initialAccumulatorValue, "positive or zero");
    this.learningRatePower = checkPower(learningRatePower);
    this.l1 = kerasCheck("l1_regularization_strength", l1, "positive or zero");
    this.l2 = kerasCheck("l2_regularization_strength", l2, "positive or zero");
    this.l2Shrinkage =
        kerasCheck("l2_shrinkage_regularization_strength", l2Shrinkage, "positive or zero");
    this.beta = kerasCheck("beta", beta, "positive or zero");
  }

  private static float checkPower(double requested) {
    float learningRatePower = (float) requested;
    if (!(learningRatePower <= 0f) || Float.isInfinite(learningRatePower)) {
      throw new IllegalArgumentException(
          "`learning_rate_power` needs to be negative or zero. Received: learning_rate_power="
              + learningRatePower
              + ".");
    }
    return learningRatePower;
  }

  private static float kerasCheck(String what, double requested, String expected) {
    float value = (float) requested;
    if (!(value >= 0f) || Float.isInfinite(value)) {
      throw new IllegalArgumentException(
          "`" + what + "` needs to be " + expected + ". Received: " + what + "=" + value + ".");
    }
    return value;
  }

  /** Sets Keras's {@code name}, the first part of the optimizer's variable paths; returns this. */
  @Override
  public Ftrl name(String name) {
    super.name(name);
    return this;
  }

  /** Sets the learning rate (Keras's {@code learning_rate}); returns this. */
  @Override
  public Ftrl learningRate(double value) {
    super.learningRate(value);
    return this;
  }

  /**
   * Keras's {@code learning_rate_power} (default -0.5, at most 0; 0 keeps the learning rate
   * fixed); returns this.
   *
   * @throws IllegalArgumentException if positive
   * @throws IllegalStateException after the optimizer's first step
   */
  public Ftrl learningRatePower(double learningRatePower) {
    checkNotBuilt("learning_rate_power");
    this.learningRatePower = checkPower(learningRatePower);
    return this;
  }

  /** Keras's {@code learning_rate_power}. */
  public float learningRatePower() {
    return learningRatePower;
  }

  /**
   * Keras's {@code initial_accumulator_value} (default 0.1, at least 0); returns this.
   *
   * @throws IllegalArgumentException if negative
   * @throws IllegalStateException after the optimizer's first step
   */
  public Ftrl initialAccumulatorValue(double initialAccumulatorValue) {
    checkNotBuilt("initial_accumulator_value");
    this.initialAccumulatorValue =
        kerasCheck("initial_accumulator_value", initialAccumulatorValue, "positive or zero");
    return this;
  }

  /** Keras's {@code initial_accumulator_value}. */
  public float initialAccumulatorValue() {
    return initialAccumulatorValue;
  }

  /**
   * Keras's {@code l1_regularization_strength} (default 0, at least 0); returns this.
   *
   * @throws IllegalArgumentException if negative
   * @throws IllegalStateException after the optimizer's first step
   */
  public Ftrl l1RegularizationStrength(double l1) {
    checkNotBuilt("l1_regularization_strength");
    this.l1 = kerasCheck("l1_regularization_strength", l1, "positive or zero");
    return this;
  }

  /** Keras's {@code l1_regularization_strength}. */
  public float l1RegularizationStrength() {
    return l1;
  }

  /**
   * Keras's {@code l2_regularization_strength} (default 0, at least 0); returns this.
   *
   * @throws IllegalArgumentException if negative
   * @throws IllegalStateException after the optimizer's first step
   */
  public Ftrl l2RegularizationStrength(double l2) {
    checkNotBuilt("l2_regularization_strength");
    this.l2 = kerasCheck("l2_regularization_strength", l2, "positive or zero");
    return this;
  }

  /** Keras's {@code l2_regularization_strength}. */
  public float l2RegularizationStrength() {
    return l2;
  }

  /**
   * Keras's {@code l2_shrinkage_regularization_strength} (default 0, at least 0); returns this.
   *
   * @throws IllegalArgumentException if negative
   * @throws IllegalStateException after the optimizer's first step
   */
  public Ftrl l2ShrinkageRegularizationStrength(double l2Shrinkage) {
    checkNotBuilt("l2_shrinkage_regularization_strength");
    this.l2Shrinkage =
        kerasCheck("l2_shrinkage_regularization_strength", l2Shrinkage, "positive or zero");
    return this;
  }

  /** Keras's {@code l2_shrinkage_regularization_strength}. */
  public float l2ShrinkageRegularizationStrength() {
    return l2Shrinkage;
  }

  /**
   * Keras's {@code beta} (default 0, at least 0); returns this.
   *
   * @throws IllegalArgumentException if negative
   * @throws IllegalStateException after the optimizer's first step
   */
  public Ftrl beta(double beta) {
    checkNotBuilt("beta");
    this.beta = kerasCheck("beta", beta, "positive or zero");
    return this;
  }

  /** Keras's {@code beta}. */
  public float beta() {
    return beta;
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

  /**
   * Keras's config: the keys every optimizer has ({@link Optimizer#getConfig()}), then {@code learning_rate_power}, {@code initial_accumulator_value}, {@code l1_regularization_strength}, {@code l2_regularization_strength}, {@code l2_shrinkage_regularization_strength}, {@code beta}.
   */
  @Override
  public Config getConfig() {
    return super.getConfig()
        .put("learning_rate_power", learningRatePower)
        .put("initial_accumulator_value", initialAccumulatorValue)
        .put("l1_regularization_strength", l1)
        .put("l2_regularization_strength", l2)
        .put("l2_shrinkage_regularization_strength", l2Shrinkage)
        .put("beta", beta);
  }

  /** Keras's {@code Ftrl.from_config}: each key left out takes Keras's default. */
  public static Ftrl fromConfig(Config config) {
    return configure(new Ftrl(1e-3, config.getDouble("learning_rate_power", -0.5), config.getDouble("initial_accumulator_value", 0.1), config.getDouble("l1_regularization_strength", 0.0), config.getDouble("l2_regularization_strength", 0.0), config.getDouble("l2_shrinkage_regularization_strength", 0.0), config.getDouble("beta", 0.0)), config);
  }
}
