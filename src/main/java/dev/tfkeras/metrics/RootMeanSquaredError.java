package dev.tfkeras.metrics;

import dev.tfkeras.saving.Config;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TNumber;

/**
 * The square root of the weighted mean of squared errors over everything seen (Keras {@code
 * RootMeanSquaredError}): the root is taken of the running mean, not per batch.
 */
public class RootMeanSquaredError extends MeanMetricWrapper {

  public RootMeanSquaredError() {
    this("root_mean_squared_error");
  }

  public RootMeanSquaredError(String name) {
    super(name);
  }

  /** Squared errors in float32, one per element; {@link Mean}'s rules reduce them per sample. */
  @Override
  protected Operand<TFloat32> values(
      Ops tf, Operand<? extends TNumber> yTrue, Operand<? extends TNumber> yPred) {
    return tf.math.square(Errors.difference(tf, TFloat32.class, yTrue, yPred, name()));
  }

  @Override
  protected Operand<TFloat32> computeResult(Ops tf) {
    return tf.math.sqrt(super.computeResult(tf));
  }

  /** Keras's {@code RootMeanSquaredError.from_config}: {@code name} (default {@code "root_mean_squared_error"}) and {@code dtype}. */
  public static RootMeanSquaredError fromConfig(Config config) {
    return configure(new RootMeanSquaredError(config.getString("name", "root_mean_squared_error")), config);
  }
}
