package dev.tfkeras.optimizers;

import dev.tfkeras.variables.Variable;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Adam with Keras's defaults (learning rate 1e-3, beta1 0.9, beta2 0.999, epsilon 1e-7):
 * {@code m = b1 m + (1-b1) g; v = b2 v + (1-b2) g²; w -= lr √(1-b2^t)/(1-b1^t) · m / (√v + ε)}.
 */
public class Adam extends Optimizer {

  private final float beta1;
  private final float beta2;
  private final float epsilon;

  /** Keras defaults. */
  public Adam() {
    this(1e-3f);
  }

  public Adam(float learningRate) {
    this(learningRate, 0.9f, 0.999f, 1e-7f);
  }

  public Adam(float learningRate, float beta1, float beta2, float epsilon) {
    super("adam", learningRate);
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
    Operand<TFloat32> b2 = tf.constant(beta2);
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
}
