package dev.tfkeras.optimizers;

import dev.tfkeras.optimizers.schedules.LearningRateSchedule;
import dev.tfkeras.saving.Config;
import dev.tfkeras.variables.Variable;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Adam with Keras's defaults (learning rate 1e-3, beta1 0.9, beta2 0.999, epsilon 1e-7):
 * {@code m = b1 m + (1-b1) g; v = b2 v + (1-b2) g²; w -= lr √(1-b2^t)/(1-b1^t) · m / (√v + ε)};
 * with {@code amsgrad}, the denominator uses {@code v̂ = max(v̂, v)}, the largest v so far.
 *
 * <p>Runs TensorFlow's {@code ApplyAdam} kernel, which computes exactly this update. AMSGrad is
 * written with raw ops: TensorFlow's AMSGrad kernel takes resource variables only, and tfkeras's
 * variables are reference variables.
 */
public class Adam extends Optimizer {

  private float beta1;
  private float beta2;
  private float epsilon;
  private boolean amsgrad;

  /** Keras defaults. */
  public Adam() {
    this(1e-3);
  }

  public Adam(double learningRate) {
    this(learningRate, 0.9f, 0.999f, 1e-7f);
  }

  /** Keras defaults, with the learning rate set by {@code schedule}. */
  public Adam(LearningRateSchedule schedule) {
    this();
    setLearningRate(schedule);
  }

  public Adam(double learningRate, double beta1, double beta2, double epsilon) {
    this(learningRate, beta1, beta2, epsilon, false);
  }

  public Adam(double learningRate, double beta1, double beta2, double epsilon, boolean amsgrad) {
    this("adam", learningRate, beta1, beta2, epsilon, amsgrad);
  }

  /** For variants of Adam ({@link AdamW}) that keep its update under another name. */
  protected Adam(
      String name, double learningRate, double beta1, double beta2, double epsilon, boolean amsgrad) {
    super(name, learningRate);
    this.beta1 = checkRange("beta_1", beta1, 0f, 1f);
    this.beta2 = checkRange("beta_2", beta2, 0f, 1f);
    this.epsilon = checkPositive("epsilon", epsilon);
    this.amsgrad = amsgrad;
  }

  /** Sets Keras's {@code name}, the first part of the optimizer's variable paths; returns this. */
  @Override
  public Adam name(String name) {
    super.name(name);
    return this;
  }

  /** Sets the learning rate (Keras's {@code learning_rate}); returns this. */
  @Override
  public Adam learningRate(double value) {
    super.learningRate(value);
    return this;
  }

  /**
   * Keras's {@code beta_1} (default 0.9, in [0, 1)); returns this.
   *
   * @throws IllegalArgumentException outside [0, 1)
   * @throws IllegalStateException after the optimizer's first step
   */
  public Adam beta1(double beta1) {
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
  public Adam beta2(double beta2) {
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
  public Adam epsilon(double epsilon) {
    checkNotBuilt("epsilon");
    this.epsilon = checkPositive("epsilon", epsilon);
    return this;
  }

  /** Keras's {@code epsilon}. */
  public float epsilon() {
    return epsilon;
  }

  /**
   * Keras's {@code amsgrad} (default false: the AMSGrad variant); returns this.
   *
   * @throws IllegalStateException after the optimizer's first step
   */
  public Adam amsgrad(boolean amsgrad) {
    checkNotBuilt("amsgrad");
    this.amsgrad = amsgrad;
    return this;
  }

  /** Keras's {@code amsgrad}. */
  public boolean amsgrad() {
    return amsgrad;
  }

  @Override
  protected Op applyDense(
      Ops tf,
      Variable<TFloat32> variable,
      Operand<TFloat32> gradient,
      Operand<TFloat32> lr,
      Operand<TFloat32> step) {
    Operand<TFloat32> b1 = tf.constant(beta1);
    Operand<TFloat32> b2 = tf.constant(beta2);
    if (!amsgrad) {
      return tf.train.applyAdam(
          variable.handle(),
          slot(variable, "m").handle(),
          slot(variable, "v").handle(),
          tf.math.pow(b1, step),
          tf.math.pow(b2, step),
          lr,
          b1,
          b2,
          tf.constant(epsilon),
          gradient);
    }
    Variable<TFloat32> m = slot(variable, "m");
    Variable<TFloat32> v = slot(variable, "v");
    Variable<TFloat32> vHat = slot(variable, "v_hat");
    Operand<TFloat32> one = tf.constant(1f);
    Operand<TFloat32> alpha =
        tf.math.div(
            tf.math.mul(lr, tf.math.sqrt(tf.math.sub(one, tf.math.pow(b2, step)))),
            tf.math.sub(one, tf.math.pow(b1, step)));
    Operand<TFloat32> mRead = m.read(tf);
    Operand<TFloat32> vRead = v.read(tf);
    Operand<TFloat32> mNew =
        tf.math.add(mRead, tf.math.mul(tf.math.sub(gradient, mRead), tf.math.sub(one, b1)));
    Operand<TFloat32> vNew =
        tf.math.add(
            vRead, tf.math.mul(tf.math.sub(tf.math.square(gradient), vRead), tf.math.sub(one, b2)));
    Operand<TFloat32> vHatNew = tf.math.maximum(vHat.read(tf), vNew);
    Operand<TFloat32> wNew =
        tf.math.sub(
            variable.read(tf),
            tf.math.div(
                tf.math.mul(mNew, alpha),
                tf.math.add(tf.math.sqrt(vHatNew), tf.constant(epsilon))));
    return assignAll(tf, Map.of(variable, wNew, m, mNew, v, vNew, vHat, vHatNew));
  }

  /**
   * Keras's config: the keys every optimizer has ({@link Optimizer#getConfig()}), then {@code beta_1}, {@code beta_2}, {@code epsilon}, {@code amsgrad}.
   */
  @Override
  public Config getConfig() {
    return super.getConfig()
        .put("beta_1", beta1)
        .put("beta_2", beta2)
        .put("epsilon", epsilon)
        .put("amsgrad", amsgrad);
  }

  /** Keras's {@code Adam.from_config}: each key left out takes Keras's default. */
  public static Adam fromConfig(Config config) {
    return configure(new Adam(1e-3, config.getDouble("beta_1", 0.9), config.getDouble("beta_2", 0.999), config.getDouble("epsilon", 1e-7), config.getBoolean("amsgrad", false)), config);
  }
}
