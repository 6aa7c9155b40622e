package dev.tfkeras.metrics;

import dev.tfkeras.saving.Config;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TNumber;

/** The mean absolute difference of labels and predictions (Keras {@code MeanAbsoluteError}). */
public class MeanAbsoluteError extends MeanMetricWrapper {

  public MeanAbsoluteError() {
    this("mean_absolute_error");
  }

  public MeanAbsoluteError(String name) {
    super(name);
  }

  /** Keras's {@code mean_absolute_error}: the mean over the last axis, one value per sample. */
  @Override
  protected Operand<? extends TNumber> values(
      Ops tf, Operand<? extends TNumber> yTrue, Operand<? extends TNumber> yPred) {
    return Errors.meanOverLastAxis(tf, yTrue, yPred, false, name());
  }

  /** Keras's {@code MeanAbsoluteError.from_config}: {@code name} (default {@code "mean_absolute_error"}) and {@code dtype}. */
  public static MeanAbsoluteError fromConfig(Config config) {
    return configure(new MeanAbsoluteError(config.getString("name", "mean_absolute_error")), config);
  }
}
