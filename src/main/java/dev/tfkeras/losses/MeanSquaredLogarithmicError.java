package dev.tfkeras.losses;

import dev.tfkeras.saving.Config;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TNumber;

/**
 * {@code mean((log(max(yPred, ε) + 1) - log(max(yTrue, ε) + 1))², axis=-1)} with ε = 1e-7: values
 * below ε (negatives included) count as ε, as in Keras.
 */
public class MeanSquaredLogarithmicError extends Loss {

  private static final float EPSILON = 1e-7f;

  public MeanSquaredLogarithmicError() {
    this(Reduction.SUM_OVER_BATCH_SIZE);
  }

  public MeanSquaredLogarithmicError(Reduction reduction) {
    super("mean_squared_logarithmic_error", reduction);
  }

  /** Keras's {@code name}, the loss's scope and log key; returns this. */
  @Override
  public MeanSquaredLogarithmicError name(String name) {
    super.name(name);
    return this;
  }

  /** Keras's {@code reduction}; returns this. */
  @Override
  public MeanSquaredLogarithmicError reduction(Reduction reduction) {
    super.reduction(reduction);
    return this;
  }

  /** Keras's {@code reduction} by name, e.g. {@code "sum"}; returns this. */
  @Override
  public MeanSquaredLogarithmicError reduction(String reduction) {
    super.reduction(reduction);
    return this;
  }

  @Override
  protected Operand<TFloat32> perSample(
      Ops tf, Operand<? extends TNumber> labels, Operand<TFloat32> predictions) {
    DenseInputs in = DenseInputs.broadcasting(tf, labels, predictions, name());
    return tf.math.mean(
        tf.math.squaredDifference(logOnePlus(tf, in.yPred()), logOnePlus(tf, in.yTrue())),
        tf.constant(-1));
  }

  private static Operand<TFloat32> logOnePlus(Ops tf, Operand<TFloat32> x) {
    return tf.math.log(tf.math.add(tf.math.maximum(x, tf.constant(EPSILON)), tf.constant(1f)));
  }

  /** Keras's {@code MeanSquaredLogarithmicError.from_config}: {@code name} and {@code reduction}. */
  public static MeanSquaredLogarithmicError fromConfig(Config config) {
    return configure(new MeanSquaredLogarithmicError(), config);
  }
}
