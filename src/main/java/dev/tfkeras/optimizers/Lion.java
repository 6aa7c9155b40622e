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
 * Keras's {@code Lion} (Chen et al., 2023; learning rate 1e-3, beta1 0.9, beta2 0.99): {@code w -=
 * lr · sign(b1 m + (1-b1) g); m = b2 m + (1-b2) g}. Its steps are larger than Adam's: use a
 * learning rate 3-10x smaller than AdamW's and a weight decay 3-10x larger.
 *
 * <p>Written with raw ops: TensorFlow has no Lion kernel.
 */
public class Lion extends Optimizer {

  private float beta1;
  private float beta2;

  /** Keras defaults. */
  public Lion() {
    this(1e-3);
  }

  public Lion(double learningRate) {
    this(learningRate, 0.9f, 0.99f);
  }

  /** Keras defaults, with the learning rate set by {@code schedule}. */
  public Lion(LearningRateSchedule schedule) {
    this();
    setLearningRate(schedule);
  }

  public Lion(double learningRate, double beta1, double beta2) {
    super("lion", learningRate);
    this.beta1 = checkLionBeta1(beta1);
    this.beta2 = checkRange("beta_2", beta2, 0f, 1f);
  }

  private static float checkLionBeta1(double requested) {
    float beta1 = (float) requested;
    if (!(beta1 > 0f && beta1 <= 1f)) {
      throw new IllegalArgumentException(
          "Argument `beta_1` must be in the [0, 1] range. Otherwise, the optimizer degenerates to"
              + " SignSGD. Received: beta_1="
              + beta1
              + ".");
    }
    return beta1;
  }

  /** Sets Keras's {@code name}, the first part of the optimizer's variable paths; returns this. */
  @Override
  public Lion name(String name) {
    super.name(name);
    return this;
  }

  /** Sets the learning rate (Keras's {@code learning_rate}); returns this. */
  @Override
  public Lion learningRate(double value) {
    super.learningRate(value);
    return this;
  }

  /**
   * Keras's {@code beta_1} (default 0.9, in (0, 1]); returns this.
   *
   * @throws IllegalArgumentException outside (0, 1]
   * @throws IllegalStateException after the optimizer's first step
   */
  public Lion beta1(double beta1) {
    checkNotBuilt("beta_1");
    this.beta1 = checkLionBeta1(beta1);
    return this;
  }

  /** Keras's {@code beta_1}. */
  public float beta1() {
    return beta1;
  }

  /**
   * Keras's {@code beta_2} (default 0.99, in [0, 1)); returns this.
   *
   * @throws IllegalArgumentException outside [0, 1)
   * @throws IllegalStateException after the optimizer's first step
   */
  public Lion beta2(double beta2) {
    checkNotBuilt("beta_2");
    this.beta2 = checkRange("beta_2", beta2, 0f, 1f);
    return this;
  }

  /** Keras's {@code beta_2}. */
  public float beta2() {
    return beta2;
  }

  @Override
  protected Op applyDense(
      Ops tf,
      Variable<TFloat32> variable,
      Operand<TFloat32> gradient,
      Operand<TFloat32> lr,
      Operand<TFloat32> step) {
    Variable<TFloat32> m = slot(variable, "momentum");
    Operand<TFloat32> mRead = m.read(tf);
    Operand<TFloat32> direction =
        tf.math.sign(
            tf.math.add(
                tf.math.mul(mRead, tf.constant(beta1)),
                tf.math.mul(gradient, tf.constant(1f - beta1))));
    Operand<TFloat32> wNew = tf.math.sub(variable.read(tf), tf.math.mul(lr, direction));
    Operand<TFloat32> mNew =
        tf.math.add(
            tf.math.mul(mRead, tf.constant(beta2)), tf.math.mul(gradient, tf.constant(1f - beta2)));
    return assignAll(tf, Map.of(variable, wNew, m, mNew));
  }

  /**
   * Keras's config: the keys every optimizer has ({@link Optimizer#getConfig()}), then {@code beta_1}, {@code beta_2}.
   */
  @Override
  public Config getConfig() {
    return super.getConfig()
        .put("beta_1", beta1)
        .put("beta_2", beta2);
  }

  /** Keras's {@code Lion.from_config}: each key left out takes Keras's default. */
  public static Lion fromConfig(Config config) {
    return configure(new Lion(1e-3, config.getDouble("beta_1", 0.9), config.getDouble("beta_2", 0.99)), config);
  }
}
