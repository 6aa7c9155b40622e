package dev.tfkeras.optimizers;

import dev.tfkeras.optimizers.schedules.LearningRateSchedule;
import dev.tfkeras.saving.Config;
import dev.tfkeras.variables.Variable;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras's {@code Nadam}, Adam with Nesterov momentum and Dozat's momentum schedule (learning rate
 * 1e-3, beta1 0.9, beta2 0.999, epsilon 1e-7): with {@code u_t = b1 (1 - ½·0.96^t)} and {@code Π}
 * the running product of the {@code u_t} (a scalar saved with the slots), {@code m̂ = u_{t+1} m /
 * (1 - Π·u_{t+1}) + (1 - u_t) g / (1 - Π)}, {@code v̂ = v / (1 - b2^t)}, {@code w -= lr m̂ / (√v̂ +
 * ε)}.
 *
 * <p>Written with raw ops: TensorFlow has no kernel for this schedule ({@code ApplyAdam} with
 * {@code use_nesterov} is another formula).
 */
public class Nadam extends Optimizer {

  private float beta1;
  private float beta2;
  private float epsilon;

  /** This step's running product Π, computed once per traced step by {@link #prepareStep}. */
  private Operand<TFloat32> uProduct;

  /** Keras defaults. */
  public Nadam() {
    this(1e-3);
  }

  public Nadam(double learningRate) {
    this(learningRate, 0.9f, 0.999f, 1e-7f);
  }

  /** Keras defaults, with the learning rate set by {@code schedule}. */
  public Nadam(LearningRateSchedule schedule) {
    this();
    setLearningRate(schedule);
  }

  public Nadam(double learningRate, double beta1, double beta2, double epsilon) {
    super("nadam", learningRate);
    this.beta1 = checkRange("beta_1", beta1, 0f, 1f);
    this.beta2 = checkRange("beta_2", beta2, 0f, 1f);
    this.epsilon = checkPositive("epsilon", epsilon);
  }

  private Operand<TFloat32> u(Ops tf, Operand<TFloat32> step) {
    return tf.math.mul(
        tf.constant(beta1),
        tf.math.sub(
            tf.constant(1f),
            tf.math.mul(tf.constant(0.5f), tf.math.pow(tf.constant(0.96f), step))));
  }

  /** Sets Keras's {@code name}, the first part of the optimizer's variable paths; returns this. */
  @Override
  public Nadam name(String name) {
    super.name(name);
    return this;
  }

  /** Sets the learning rate (Keras's {@code learning_rate}); returns this. */
  @Override
  public Nadam learningRate(double value) {
    super.learningRate(value);
    return this;
  }

  /**
   * Keras's {@code beta_1} (default 0.9, in [0, 1)); returns this.
   *
   * @throws IllegalArgumentException outside [0, 1)
   * @throws IllegalStateException after the optimizer's first step
   */
  public Nadam beta1(double beta1) {
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
  public Nadam beta2(double beta2) {
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
  public Nadam epsilon(double epsilon) {
    checkNotBuilt("epsilon");
    this.epsilon = checkPositive("epsilon", epsilon);
    return this;
  }

  /** Keras's {@code epsilon}. */
  public float epsilon() {
    return epsilon;
  }

  @Override
  protected List<Op> prepareStep(Ops tf, Operand<TFloat32> step) {
    Variable<TFloat32> product = stateVariable("u_product", 1f);
    uProduct = tf.math.mul(product.read(tf), u(tf, step));
    return List.of(tf.assign(product.handle(), uProduct));
  }

  @Override
  protected Op applyDense(
      Ops tf,
      Variable<TFloat32> variable,
      Operand<TFloat32> gradient,
      Operand<TFloat32> lr,
      Operand<TFloat32> step) {
    Operand<TFloat32> one = tf.constant(1f);
    Operand<TFloat32> uT = u(tf, step);
    Operand<TFloat32> uNext = u(tf, tf.math.add(step, one));
    Operand<TFloat32> uProductNext = tf.math.mul(uProduct, uNext);
    Variable<TFloat32> m = slot(variable, "momentum");
    Variable<TFloat32> v = slot(variable, "velocity");
    Operand<TFloat32> mRead = m.read(tf);
    Operand<TFloat32> vRead = v.read(tf);
    Operand<TFloat32> mNew =
        tf.math.add(mRead, tf.math.mul(tf.math.sub(gradient, mRead), tf.constant(1f - beta1)));
    Operand<TFloat32> vNew =
        tf.math.add(
            vRead,
            tf.math.mul(tf.math.sub(tf.math.square(gradient), vRead), tf.constant(1f - beta2)));
    Operand<TFloat32> mHat =
        tf.math.add(
            tf.math.div(tf.math.mul(uNext, mNew), tf.math.sub(one, uProductNext)),
            tf.math.div(tf.math.mul(tf.math.sub(one, uT), gradient), tf.math.sub(one, uProduct)));
    Operand<TFloat32> vHat =
        tf.math.div(vNew, tf.math.sub(one, tf.math.pow(tf.constant(beta2), step)));
    Operand<TFloat32> wNew =
        tf.math.sub(
            variable.read(tf),
            tf.math.div(
                tf.math.mul(mHat, lr), tf.math.add(tf.math.sqrt(vHat), tf.constant(epsilon))));
    return assignAll(tf, Map.of(variable, wNew, m, mNew, v, vNew));
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

  /** Keras's {@code Nadam.from_config}: each key left out takes Keras's default. */
  public static Nadam fromConfig(Config config) {
    return configure(new Nadam(1e-3, config.getDouble("beta_1", 0.9), config.getDouble("beta_2", 0.999), config.getDouble("epsilon", 1e-7)), config);
  }
}
