package dev.tfkeras.losses;

import dev.tfkeras.saving.Config;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TNumber;

/**
 * {@code mean((yTrue - yPred)², axis=-1)}: predictions {@code (batch, d)} give one value per row;
 * {@code (batch,)} predictions give a single value, as in Keras.
 */
public class MeanSquaredError extends Loss {

  public MeanSquaredError() {
    this(Reduction.SUM_OVER_BATCH_SIZE);
  }

  public MeanSquaredError(Reduction reduction) {
    super("mean_squared_error", reduction);
  }

  /** Keras's {@code name}, the loss's scope and log key; returns this. */
  @Override
  public MeanSquaredError name(String name) {
    super.name(name);
    return this;
  }

  /** Keras's {@code reduction}; returns this. */
  @Override
  public MeanSquaredError reduction(Reduction reduction) {
    super.reduction(reduction);
    return this;
  }

  /** Keras's {@code reduction} by name, e.g. {@code "sum"}; returns this. */
  @Override
  public MeanSquaredError reduction(String reduction) {
    super.reduction(reduction);
    return this;
  }

  @Override
  protected Operand<TFloat32> perSample(
      Ops tf, Operand<? extends TNumber> labels, Operand<TFloat32> predictions) {
    DenseInputs in = DenseInputs.broadcasting(tf, labels, predictions, name());
    return tf.math.mean(tf.math.squaredDifference(in.yPred(), in.yTrue()), tf.constant(-1));
  }

  /** Keras's {@code MeanSquaredError.from_config}: {@code name} and {@code reduction}. */
  public static MeanSquaredError fromConfig(Config config) {
    return configure(new MeanSquaredError(), config);
  }
}
