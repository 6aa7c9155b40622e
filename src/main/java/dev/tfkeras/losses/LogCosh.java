package dev.tfkeras.losses;

import dev.tfkeras.saving.Config;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TNumber;

/**
 * {@code mean(log(cosh(yPred - yTrue)), axis=-1)}, Keras's {@code LogCosh}: about {@code x² / 2}
 * for small errors and {@code |x| - log 2} for large ones, computed as Keras does, {@code x +
 * softplus(-2x) - log 2}, which does not overflow.
 */
public class LogCosh extends Loss {

  /** Keras's defaults: the mean over the batch. */
  public LogCosh() {
    this(Reduction.SUM_OVER_BATCH_SIZE);
  }

  /** @param reduction how the weighted values are reduced */
  public LogCosh(Reduction reduction) {
    super("log_cosh", reduction);
  }

  /** Keras's {@code name}, the loss's scope and log key; returns this. */
  @Override
  public LogCosh name(String name) {
    super.name(name);
    return this;
  }

  /** Keras's {@code reduction}; returns this. */
  @Override
  public LogCosh reduction(Reduction reduction) {
    super.reduction(reduction);
    return this;
  }

  /** Keras's {@code reduction} by name, e.g. {@code "sum"}; returns this. */
  @Override
  public LogCosh reduction(String reduction) {
    super.reduction(reduction);
    return this;
  }

  @Override
  protected Operand<TFloat32> perSample(
      Ops tf, Operand<? extends TNumber> labels, Operand<TFloat32> predictions) {
    DenseInputs in = DenseInputs.broadcasting(tf, labels, predictions, name());
    Operand<TFloat32> x = tf.math.sub(in.yPred(), in.yTrue());
    Operand<TFloat32> logCosh =
        tf.math.sub(
            tf.math.add(x, tf.math.softplus(tf.math.mul(x, tf.constant(-2f)))),
            tf.constant((float) Math.log(2.0)));
    return tf.math.mean(logCosh, tf.constant(-1));
  }

  /** Keras's {@code LogCosh.from_config}: {@code name} and {@code reduction}. */
  public static LogCosh fromConfig(Config config) {
    return configure(new LogCosh(), config);
  }
}
