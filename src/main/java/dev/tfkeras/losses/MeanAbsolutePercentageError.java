package dev.tfkeras.losses;

import dev.tfkeras.saving.Config;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TNumber;

/**
 * {@code 100 · mean(|yTrue - yPred| / max(|yTrue|, 1e-7), axis=-1)}, Keras's {@code
 * MeanAbsolutePercentageError}: the error as a percentage of the target, with a target of 0 counted
 * as 1e-7.
 */
public class MeanAbsolutePercentageError extends Loss {

  private static final float EPSILON = 1e-7f;

  /** Keras's defaults: the mean over the batch. */
  public MeanAbsolutePercentageError() {
    this(Reduction.SUM_OVER_BATCH_SIZE);
  }

  /** @param reduction how the weighted values are reduced */
  public MeanAbsolutePercentageError(Reduction reduction) {
    super("mean_absolute_percentage_error", reduction);
  }

  /** Keras's {@code name}, the loss's scope and log key; returns this. */
  @Override
  public MeanAbsolutePercentageError name(String name) {
    super.name(name);
    return this;
  }

  /** Keras's {@code reduction}; returns this. */
  @Override
  public MeanAbsolutePercentageError reduction(Reduction reduction) {
    super.reduction(reduction);
    return this;
  }

  /** Keras's {@code reduction} by name, e.g. {@code "sum"}; returns this. */
  @Override
  public MeanAbsolutePercentageError reduction(String reduction) {
    super.reduction(reduction);
    return this;
  }

  @Override
  protected Operand<TFloat32> perSample(
      Ops tf, Operand<? extends TNumber> labels, Operand<TFloat32> predictions) {
    DenseInputs in = DenseInputs.broadcasting(tf, labels, predictions, name());
    Operand<TFloat32> scale = tf.math.maximum(tf.math.abs(in.yTrue()), tf.constant(EPSILON));
    Operand<TFloat32> diff = tf.math.abs(tf.math.div(tf.math.sub(in.yTrue(), in.yPred()), scale));
    return tf.math.mul(tf.constant(100f), tf.math.mean(diff, tf.constant(-1)));
  }

  /** Keras's {@code MeanAbsolutePercentageError.from_config}: {@code name} and {@code reduction}. */
  public static MeanAbsolutePercentageError fromConfig(Config config) {
    return configure(new MeanAbsolutePercentageError(), config);
  }
}
