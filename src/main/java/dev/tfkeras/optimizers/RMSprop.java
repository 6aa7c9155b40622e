package dev.tfkeras.optimizers;

import dev.tfkeras.optimizers.schedules.LearningRateSchedule;
import dev.tfkeras.saving.Config;
import dev.tfkeras.variables.Variable;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * RMSprop with Keras's defaults (learning rate 1e-3, rho 0.9, momentum 0, epsilon 1e-7): {@code s =
 * rho s + (1-rho) g²; w -= lr g / √(s + ε)} (with momentum, the step accumulates in a velocity;
 * centered subtracts the squared mean gradient from {@code s}).
 *
 * <p>Runs TensorFlow's {@code ApplyRMSProp} and {@code ApplyCenteredRMSProp} kernels, which compute
 * exactly this update (with momentum 0, the velocity is the step itself).
 */
public class RMSprop extends Optimizer {

  private float rho;
  private float momentum;
  private float epsilon;
  private boolean centered;

  /** Keras defaults. */
  public RMSprop() {
    this(1e-3);
  }

  public RMSprop(double learningRate) {
    this(learningRate, 0.9f, 0f, 1e-7f, false);
  }

  /** Keras defaults, with the learning rate set by {@code schedule}. */
  public RMSprop(LearningRateSchedule schedule) {
    this();
    setLearningRate(schedule);
  }

  public RMSprop(double learningRate, double rho, double momentum, double epsilon, boolean centered) {
    super("rmsprop", learningRate);
    this.rho = checkRange("rho", rho, 0f, 1f);
    this.momentum = checkRange("momentum", momentum, 0f, 1f);
    this.epsilon = checkPositive("epsilon", epsilon);
    this.centered = centered;
  }

  /** Sets Keras's {@code name}, the first part of the optimizer's variable paths; returns this. */
  @Override
  public RMSprop name(String name) {
    super.name(name);
    return this;
  }

  /** Sets the learning rate (Keras's {@code learning_rate}); returns this. */
  @Override
  public RMSprop learningRate(double value) {
    super.learningRate(value);
    return this;
  }

  /**
   * Keras's {@code rho} (default 0.9, in [0, 1)); returns this.
   *
   * @throws IllegalArgumentException outside [0, 1)
   * @throws IllegalStateException after the optimizer's first step
   */
  public RMSprop rho(double rho) {
    checkNotBuilt("rho");
    this.rho = checkRange("rho", rho, 0f, 1f);
    return this;
  }

  /** Keras's {@code rho}. */
  public float rho() {
    return rho;
  }

  /**
   * Keras's {@code momentum} (default 0, in [0, 1)); returns this.
   *
   * @throws IllegalArgumentException outside [0, 1)
   * @throws IllegalStateException after the optimizer's first step
   */
  public RMSprop momentum(double momentum) {
    checkNotBuilt("momentum");
    this.momentum = checkRange("momentum", momentum, 0f, 1f);
    return this;
  }

  /** Keras's {@code momentum}. */
  public float momentum() {
    return momentum;
  }

  /**
   * Keras's {@code epsilon} (default 1e-7, positive); returns this.
   *
   * @throws IllegalArgumentException if not positive
   * @throws IllegalStateException after the optimizer's first step
   */
  public RMSprop epsilon(double epsilon) {
    checkNotBuilt("epsilon");
    this.epsilon = checkPositive("epsilon", epsilon);
    return this;
  }

  /** Keras's {@code epsilon}. */
  public float epsilon() {
    return epsilon;
  }

  /**
   * Keras's {@code centered} (default false: normalizes by the variance of the gradient); returns this.
   *
   * @throws IllegalStateException after the optimizer's first step
   */
  public RMSprop centered(boolean centered) {
    checkNotBuilt("centered");
    this.centered = centered;
    return this;
  }

  /** Keras's {@code centered}. */
  public boolean centered() {
    return centered;
  }

  @Override
  protected Op applyDense(
      Ops tf,
      Variable<TFloat32> variable,
      Operand<TFloat32> gradient,
      Operand<TFloat32> lr,
      Operand<TFloat32> step) {
    if (centered) {
      return tf.train.applyCenteredRmsProp(
          variable.handle(),
          slot(variable, "average_gradient").handle(),
          slot(variable, "velocity").handle(),
          slot(variable, "momentum").handle(),
          lr,
          tf.constant(rho),
          tf.constant(momentum),
          tf.constant(epsilon),
          gradient);
    }
    return tf.train.applyRmsProp(
        variable.handle(),
        slot(variable, "velocity").handle(),
        slot(variable, "momentum").handle(),
        lr,
        tf.constant(rho),
        tf.constant(momentum),
        tf.constant(epsilon),
        gradient);
  }

  /**
   * Keras's config: the keys every optimizer has ({@link Optimizer#getConfig()}), then {@code rho}, {@code momentum}, {@code epsilon}, {@code centered}.
   */
  @Override
  public Config getConfig() {
    return super.getConfig()
        .put("rho", rho)
        .put("momentum", momentum)
        .put("epsilon", epsilon)
        .put("centered", centered);
  }

  /** Keras's {@code RMSprop.from_config}: each key left out takes Keras's default. */
  public static RMSprop fromConfig(Config config) {
    return configure(new RMSprop(1e-3, config.getDouble("rho", 0.9), config.getDouble("momentum", 0.0), config.getDouble("epsilon", 1e-7), config.getBoolean("centered", false)), config);
  }
}
