package dev.tfkeras.losses;

import dev.tfkeras.saving.Config;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TNumber;

/** {@code mean(|yTrue - yPred|, axis=-1)}, Keras's {@code MeanAbsoluteError}. */
public class MeanAbsoluteError extends Loss {

  public MeanAbsoluteError() {
    this(Reduction.SUM_OVER_BATCH_SIZE);
  }

  public MeanAbsoluteError(Reduction reduction) {
    super("mean_absolute_error", reduction);
  }

  /** Keras's {@code name}, the loss's scope and log key; returns this. */
  @Override
  public MeanAbsoluteError name(String name) {
    super.name(name);
    return this;
  }

  /** Keras's {@code reduction}; returns this. */
  @Override
  public MeanAbsoluteError reduction(Reduction reduction) {
    super.reduction(reduction);
    return this;
  }

  /** Keras's {@code reduction} by name, e.g. {@code "sum"}; returns this. */
  @Override
  public MeanAbsoluteError reduction(String reduction) {
    super.reduction(reduction);
    return this;
  }

  @Override
  protected Operand<TFloat32> perSample(
      Ops tf, Operand<? extends TNumber> labels, Operand<TFloat32> predictions) {
    DenseInputs in = DenseInputs.broadcasting(tf, labels, predictions, name());
    return tf.math.mean(tf.math.abs(tf.math.sub(in.yTrue(), in.yPred())), tf.constant(-1));
  }

  /** Keras's {@code MeanAbsoluteError.from_config}: {@code name} and {@code reduction}. */
  public static MeanAbsoluteError fromConfig(Config config) {
    return configure(new MeanAbsoluteError(), config);
  }
}
