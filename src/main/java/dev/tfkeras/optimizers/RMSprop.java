package dev.tfkeras.optimizers;

import dev.tfkeras.optimizers.schedules.LearningRateSchedule;
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

  private final float rho;
  private final float momentum;
  private final float epsilon;
  private final boolean centered;

  /** Keras defaults. */
  public RMSprop() {
    this(1e-3f);
  }

  public RMSprop(float learningRate) {
    this(learningRate, 0.9f, 0f, 1e-7f, false);
  }

  /** Keras defaults, with the learning rate set by {@code schedule}. */
  public RMSprop(LearningRateSchedule schedule) {
    this();
    setLearningRate(schedule);
  }

  public RMSprop(float learningRate, float rho, float momentum, float epsilon, boolean centered) {
    super("rmsprop", learningRate);
    this.rho = checkRange("rho", rho, 0f, 1f);
    this.momentum = checkRange("momentum", momentum, 0f, 1f);
    this.epsilon = checkPositive("epsilon", epsilon);
    this.centered = centered;
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
}
