package dev.tfkeras.optimizers;

import dev.tfkeras.optimizers.schedules.LearningRateSchedule;
import dev.tfkeras.saving.Config;
import dev.tfkeras.variables.Variable;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras's {@code Adadelta} (learning rate 1e-3, rho 0.95, epsilon 1e-7): {@code a = rho a + (1-rho)
 * g²; Δ = √(d + ε) / √(a + ε) · g; d = rho d + (1-rho) Δ²; w -= lr Δ}.
 *
 * <p>Runs TensorFlow's {@code ApplyAdadelta} kernel, which computes exactly this update from the
 * learning rate it is given.
 */
public class Adadelta extends Optimizer {

  private float rho;
  private float epsilon;

  /** Keras defaults. */
  public Adadelta() {
    this(1e-3);
  }

  public Adadelta(double learningRate) {
    this(learningRate, 0.95f, 1e-7f);
  }

  /** Keras defaults, with the learning rate set by {@code schedule}. */
  public Adadelta(LearningRateSchedule schedule) {
    this();
    setLearningRate(schedule);
  }

  public Adadelta(double learningRate, double rho, double epsilon) {
    super("adadelta", learningRate);
    this.rho = checkRange("rho", rho, 0f, 1f);
    this.epsilon = checkPositive("epsilon", epsilon);
  }

  /** Sets Keras's {@code name}, the first part of the optimizer's variable paths; returns this. */
  @Override
  public Adadelta name(String name) {
    super.name(name);
    return this;
  }

  /** Sets the learning rate (Keras's {@code learning_rate}); returns this. */
  @Override
  public Adadelta learningRate(double value) {
    super.learningRate(value);
    return this;
  }

  /**
   * Keras's {@code rho} (default 0.95, in [0, 1)); returns this.
   *
   * @throws IllegalArgumentException outside [0, 1)
   * @throws IllegalStateException after the optimizer's first step
   */
  public Adadelta rho(double rho) {
    checkNotBuilt("rho");
    this.rho = checkRange("rho", rho, 0f, 1f);
    return this;
  }

  /** Keras's {@code rho}. */
  public float rho() {
    return rho;
  }

  /**
   * Keras's {@code epsilon} (default 1e-7, positive); returns this.
   *
   * @throws IllegalArgumentException if not positive
   * @throws IllegalStateException after the optimizer's first step
   */
  public Adadelta epsilon(double epsilon) {
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
    return tf.train.applyAdadelta(
        variable.handle(),
        slot(variable, "accumulated_grad").handle(),
        slot(variable, "accumulated_delta_var").handle(),
        lr,
        tf.constant(rho),
        tf.constant(epsilon),
        gradient);
  }

  /**
   * Keras's config: the keys every optimizer has ({@link Optimizer#getConfig()}), then {@code rho}, {@code epsilon}.
   */
  @Override
  public Config getConfig() {
    return super.getConfig()
        .put("rho", rho)
        .put("epsilon", epsilon);
  }

  /** Keras's {@code Adadelta.from_config}: each key left out takes Keras's default. */
  public static Adadelta fromConfig(Config config) {
    return configure(new Adadelta(1e-3, config.getDouble("rho", 0.95), config.getDouble("epsilon", 1e-7)), config);
  }
}
