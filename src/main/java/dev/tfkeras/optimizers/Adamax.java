package dev.tfkeras.optimizers;

import dev.tfkeras.optimizers.schedules.LearningRateSchedule;
import dev.tfkeras.saving.Config;
import dev.tfkeras.variables.Variable;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras's {@code Adamax}, Adam with the infinity norm (learning rate 1e-3, beta1 0.9, beta2 0.999,
 * epsilon 1e-7): {@code m = b1 m + (1-b1) g; u = max(b2 u, |g|); w -= lr m / ((1-b1^t)(u + ε))}.
 *
 * <p>Runs TensorFlow's {@code ApplyAdaMax} kernel, which computes exactly this update from the
 * learning rate it is given.
 */
public class Adamax extends Optimizer {

  private float beta1;
  private float beta2;
  private float epsilon;

  /** Keras defaults. */
  public Adamax() {
    this(1e-3);
  }

  public Adamax(double learningRate) {
    this(learningRate, 0.9f, 0.999f, 1e-7f);
  }

  /** Keras defaults, with the learning rate set by {@code schedule}. */
  public Adamax(LearningRateSchedule schedule) {
    this();
    setLearningRate(schedule);
  }

  public Adamax(double learningRate, double beta1, double beta2, double epsilon) {
    super("adamax", learningRate);
    this.beta1 = checkRange("beta_1", beta1, 0f, 1f);
    this.beta2 = checkRange("beta_2", beta2, 0f, 1f);
    this.epsilon = checkPositive("epsilon", epsilon);
  }

  /** Sets Keras's {@code name}, the first part of the optimizer's variable paths; returns this. */
  @Override
  public Adamax name(String name) {
    super.name(name);
    return this;
  }

  /** Sets the learning rate (Keras's {@code learning_rate}); returns this. */
  @Override
  public Adamax learningRate(double value) {
    super.learningRate(value);
    return this;
  }

  /**
   * Keras's {@code beta_1} (default 0.9, in [0, 1)); returns this.
   *
   * @throws IllegalArgumentException outside [0, 1)
   * @throws IllegalStateException after the optimizer's first step
   */
  public Adamax beta1(double beta1) {
    checkNotBuilt("beta_1");
    this.beta1 = checkRange("beta_1", beta1, 0f, 1f);
    return this;
  }

  /** Keras's {@code beta_1}. */
  public float beta1() {
    return beta1;
  }

  /**
   * Keras's {@code beta_2} (default 0.999, in [0, 1)); returns this.
   *
   * @throws IllegalArgumentException outside [0, 1)
   * @throws IllegalStateException after the optimizer's first step
   */
  public Adamax beta2(double beta2) {
    checkNotBuilt("beta_2");
    this.beta2 = checkRange("beta_2", beta2, 0f, 1f);
    return this;
  }

  /** Keras's {@code beta_2}. */
  public float beta2() {
    return beta2;
  }

  /**
   * Keras's {@code epsilon} (default 1e-7, positive); returns this.
   *
   * @throws IllegalArgumentException if not positive
   * @throws IllegalStateException after the optimizer's first step
   */
  public Adamax epsilon(double epsilon) {
    checkNotBuilt("epsilon");
    this.epsilon = checkPositive("epsilon", epsilon);
    return this;
  }

  /** Keras's {@code epsilon}. */
  public float epsilon() {
    return epsilon;
  }

  @Override
  protected Op applyDense(
      Ops tf,
      Variable<TFloat32> variable,
      Operand<TFloat32> gradient,
      Operand<TFloat32> lr,
      Operand<TFloat32> step) {
    Operand<TFloat32> b1 = tf.constant(beta1);
    return tf.train.applyAdaMax(
        variable.handle(),
        slot(variable, "momentum").handle(),
        slot(variable, "norm").handle(),
        tf.math.pow(b1, step),
        lr,
        b1,
        tf.constant(beta2),
        tf.constant(epsilon),
        gradient);
  }

  /**
   * Keras's config: the keys every optimizer has ({@link Optimizer#getConfig()}), then {@code beta_1}, {@code beta_2}, {@code epsilon}.
   */
  @Override
  public Config getConfig() {
    return super.getConfig()
        .put("beta_1", beta1)
        .put("beta_2", beta2)
        .put("epsilon", epsilon);
  }

  /** Keras's {@code Adamax.from_config}: each key left out takes Keras's default. */
  public static Adamax fromConfig(Config config) {
    return configure(new Adamax(1e-3, config.getDouble("beta_1", 0.9), config.getDouble("beta_2", 0.999), config.getDouble("epsilon", 1e-7)), config);
  }
}
