package dev.tfkeras.optimizers;

import dev.tfkeras.optimizers.schedules.LearningRateSchedule;
import dev.tfkeras.variables.Variable;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras's {@code Adagrad} (learning rate 1e-3, accumulators starting at 0.1, epsilon 1e-7): {@code
 * a += g²; w -= lr g / √(a + ε)}.
 *
 * <p>Written with raw ops: TensorFlow's {@code ApplyAdagradV2} adds epsilon outside the square root
 * ({@code √a + ε}) and {@code ApplyAdagrad} has none, so neither computes Keras's update.
 */
public class Adagrad extends Optimizer {

  private final float initialAccumulatorValue;
  private final float epsilon;

  /** Keras defaults. */
  public Adagrad() {
    this(1e-3f);
  }

  public Adagrad(float learningRate) {
    this(learningRate, 0.1f, 1e-7f);
  }

  /** Keras defaults, with the learning rate set by {@code schedule}. */
  public Adagrad(LearningRateSchedule schedule) {
    this();
    setLearningRate(schedule);
  }

  public Adagrad(float learningRate, float initialAccumulatorValue, float epsilon) {
    super("adagrad", learningRate);
    this.initialAccumulatorValue =
        checkNonNegative("initial_accumulator_value", initialAccumulatorValue);
    this.epsilon = checkPositive("epsilon", epsilon);
  }

  @Override
  protected Op applyDense(
      Ops tf,
      Variable<TFloat32> variable,
      Operand<TFloat32> gradient,
      Operand<TFloat32> lr,
      Operand<TFloat32> step) {
    Variable<TFloat32> accumulator = slot(variable, "accumulator", initialAccumulatorValue);
    Operand<TFloat32> accumulated = tf.math.add(accumulator.read(tf), tf.math.square(gradient));
    Operand<TFloat32> wNew =
        tf.math.sub(
            variable.read(tf),
            tf.math.div(
                tf.math.mul(lr, gradient),
                tf.math.sqrt(tf.math.add(accumulated, tf.constant(epsilon)))));
    return assignAll(tf, Map.of(variable, wNew, accumulator, accumulated));
  }
}
