package dev.tfkeras.optimizers;

import dev.tfkeras.optimizers.schedules.LearningRateSchedule;
import dev.tfkeras.saving.Config;
import dev.tfkeras.variables.Variable;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Stochastic gradient descent, optionally with (Nesterov) momentum, as Keras's {@code SGD}:
 * {@code w -= lr g}, or with momentum {@code v = m v - lr g; w += v} (Nesterov: {@code w += m v -
 * lr g}).
 *
 * <p>Without momentum, runs TensorFlow's {@code ApplyGradientDescent} kernel; with momentum, raw
 * ops: TensorFlow's {@code ApplyMomentum} keeps the learning rate out of its accumulator, which
 * departs from Keras as soon as the learning rate changes (a schedule, ReduceLROnPlateau).
 */
public class SGD extends Optimizer {

  private float momentum;
  private boolean nesterov;

  /** Keras defaults: learning rate 0.01, no momentum. */
  public SGD() {
    this(0.01);
  }

  /** Keras defaults with the given learning rate: {@code new SGD(0.01)}. */
  public SGD(double learningRate) {
    this(learningRate, 0, false);
  }

  /** Keras defaults, with the learning rate set by {@code schedule}. */
  public SGD(LearningRateSchedule schedule) {
    this();
    setLearningRate(schedule);
  }

  /**
   * @param learningRate positive
   * @param momentum in [0, 1], as Keras; 0 is plain gradient descent
   * @param nesterov whether to apply Nesterov momentum
   */
  public SGD(double learningRate, double momentum, boolean nesterov) {
    super("sgd", learningRate);
    this.momentum = checkMomentum(momentum);
    this.nesterov = nesterov;
  }

  private static float checkMomentum(double momentum) {
    return checkClosedRange("momentum", momentum, 0f, 1f);
  }

  /** Sets Keras's {@code name}, the first part of the optimizer's variable paths; returns this. */
  @Override
  public SGD name(String name) {
    super.name(name);
    return this;
  }

  /** Sets the learning rate (Keras's {@code learning_rate}); returns this. */
  @Override
  public SGD learningRate(double value) {
    super.learningRate(value);
    return this;
  }

  /**
   * Keras's {@code momentum} (default 0), in [0, 1]; returns this.
   *
   * @throws IllegalArgumentException outside [0, 1]
   * @throws IllegalStateException after the optimizer's first step
   */
  public SGD momentum(double momentum) {
    checkNotBuilt("momentum");
    this.momentum = checkMomentum(momentum);
    return this;
  }

  /**
   * Keras's {@code nesterov} (default false): Nesterov momentum; returns this.
   *
   * @throws IllegalStateException after the optimizer's first step
   */
  public SGD nesterov(boolean nesterov) {
    checkNotBuilt("nesterov");
    this.nesterov = nesterov;
    return this;
  }

  /** The momentum, in [0, 1]. */
  public float momentum() {
    return momentum;
  }

  /** Whether Nesterov momentum is applied. */
  public boolean nesterov() {
    return nesterov;
  }

  @Override
  protected Op applyDense(
      Ops tf,
      Variable<TFloat32> variable,
      Operand<TFloat32> gradient,
      Operand<TFloat32> lr,
      Operand<TFloat32> step) {
    if (momentum == 0f) {
      return tf.train.applyGradientDescent(variable.handle(), lr, gradient);
    }
    // Keras's velocity v = m v - lr g, kept as such. TensorFlow's ApplyMomentum keeps accum = m accum
    // + g and applies w -= lr accum, which equals Keras only while lr is constant: after a change of
    // learning rate it rescales the momentum of all earlier steps by the new rate.
    Operand<TFloat32> m = tf.constant(momentum);
    Operand<TFloat32> lrG = tf.math.mul(lr, gradient);
    Variable<TFloat32> velocitySlot = slot(variable, "momentum");
    Operand<TFloat32> velocity =
        tf.assign(velocitySlot.handle(), tf.math.sub(tf.math.mul(m, velocitySlot.read(tf)), lrG));
    Operand<TFloat32> delta = nesterov ? tf.math.sub(tf.math.mul(m, velocity), lrG) : velocity;
    return tf.assignAdd(variable.handle(), delta);
  }

  /**
   * Keras's config: the keys every optimizer has ({@link Optimizer#getConfig()}), then {@code momentum}, {@code nesterov}.
   */
  @Override
  public Config getConfig() {
    return super.getConfig()
        .put("momentum", momentum)
        .put("nesterov", nesterov);
  }

  /** Keras's {@code SGD.from_config}: each key left out takes Keras's default. */
  public static SGD fromConfig(Config config) {
    return configure(new SGD(0.01, config.getDouble("momentum", 0.0), config.getBoolean("nesterov", false)), config);
  }
}
