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
 * Keras's {@code Adagrad} (learning rate 1e-3, accumulators starting at 0.1, epsilon 1e-7): {@code
 * a += g²; w -= lr g / √(a + ε)}.
 *
 * <p>Written with raw ops: TensorFlow's {@code ApplyAdagradV2} adds epsilon outside the square root
 * ({@code √a + ε}) and {@code ApplyAdagrad} has none, so neither computes Keras's update.
 */
public class Adagrad extends Optimizer {

  private float initialAccumulatorValue;
  private float epsilon;

  /** Keras defaults. */
  public Adagrad() {
    this(1e-3);
  }

  public Adagrad(double learningRate) {
    this(learningRate, 0.1f, 1e-7f);
  }

  /** Keras defaults, with the learning rate set by {@code schedule}. */
  public Adagrad(LearningRateSchedule schedule) {
    this();
    setLearningRate(schedule);
  }

  public Adagrad(double learningRate, double initialAccumulatorValue, double epsilon) {
    super("adagrad", learningRate);
    this.initialAccumulatorValue =
        checkNonNegative("initial_accumulator_value", initialAccumulatorValue);
    this.epsilon = checkPositive("epsilon", epsilon);
  }

  /** Sets Keras's {@code name}, the first part of the optimizer's variable paths; returns this. */
  @Override
  public Adagrad name(String name) {
    super.name(name);
    return this;
  }

  /** Sets the learning rate (Keras's {@code learning_rate}); returns this. */
  @Override
  public Adagrad learningRate(double value) {
    super.learningRate(value);
    return this;
  }

  /**
   * Keras's {@code initial_accumulator_value} (default 0.1, finite and at least 0); returns this.
   *
   * @throws IllegalArgumentException if negative or not finite
   * @throws IllegalStateException after the optimizer's first step
   */
  public Adagrad initialAccumulatorValue(double initialAccumulatorValue) {
    checkNotBuilt("initial_accumulator_value");
    this.initialAccumulatorValue =
        checkNonNegative("initial_accumulator_value", initialAccumulatorValue);
    return this;
  }

  /** Keras's {@code initial_accumulator_value}. */
  public float initialAccumulatorValue() {
    return initialAccumulatorValue;
  }

  /**
   * Keras's {@code epsilon} (default 1e-7, positive); returns this.
   *
   * @throws IllegalArgumentException if not positive
   * @throws IllegalStateException after the optimizer's first step
   */
  public Adagrad epsilon(double epsilon) {
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

  /**
   * Keras's config: the keys every optimizer has ({@link Optimizer#getConfig()}), then {@code initial_accumulator_value}, {@code epsilon}.
   */
  @Override
  public Config getConfig() {
    return super.getConfig()
        .put("initial_accumulator_value", initialAccumulatorValue)
        .put("epsilon", epsilon);
  }

  /** Keras's {@code Adagrad.from_config}: each key left out takes Keras's default. */
  public static Adagrad fromConfig(Config config) {
    return configure(new Adagrad(1e-3, config.getDouble("initial_accumulator_value", 0.1), config.getDouble("epsilon", 1e-7)), config);
  }
}
