package dev.tfkeras.metrics;

import dev.tfkeras.saving.Config;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TNumber;

/** The mean squared difference between labels and predictions (Keras {@code MeanSquaredError}). */
public class MeanSquaredError extends MeanMetricWrapper {

  public MeanSquaredError() {
    this("mean_squared_error");
  }

  public MeanSquaredError(String name) {
    super(name);
  }

  /** Keras's {@code mean_squared_error}: the mean over the last axis, one value per sample. */
  @Override
  protected Operand<? extends TNumber> values(
      Ops tf, Operand<? extends TNumber> yTrue, Operand<? extends TNumber> yPred) {
    return Errors.meanOverLastAxis(tf, yTrue, yPred, true, name());
  }

  /** Keras's {@code MeanSquaredError.from_config}: {@code name} (default {@code "mean_squared_error"}) and {@code dtype}. */
  public static MeanSquaredError fromConfig(Config config) {
    return configure(new MeanSquaredError(config.getString("name", "mean_squared_error")), config);
  }
}
