package dev.tfkeras.optimizers;

import dev.tfkeras.optimizers.schedules.LearningRateSchedule;
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

  private final float beta1;
  private final float beta2;
  private final float epsilon;

  /** Keras defaults. */
  public Adamax() {
    this(1e-3f);
  }

  public Adamax(float learningRate) {
    this(learningRate, 0.9f, 0.999f, 1e-7f);
  }

  /** Keras defaults, with the learning rate set by {@code schedule}. */
  public Adamax(LearningRateSchedule schedule) {
    this();
    setLearningRate(schedule);
  }

  public Adamax(float learningRate, float beta1, float beta2, float epsilon) {
    super("adamax", learningRate);
    this.beta1 = checkRange("beta_1", beta1, 0f, 1f);
    this.beta2 = checkRange("beta_2", beta2, 0f, 1f);
    this.epsilon = checkPositive("epsilon", epsilon);
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
}
