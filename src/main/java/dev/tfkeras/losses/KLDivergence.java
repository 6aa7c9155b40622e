package dev.tfkeras.losses;

import dev.tfkeras.saving.Config;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TNumber;

/**
 * Kullback-Leibler divergence {@code sum(yTrue · log(yTrue / yPred), axis=-1)}, both clipped to
 * [1e-7, 1] first, as in Keras.
 */
public class KLDivergence extends Loss {

  private static final float EPSILON = 1e-7f;

  public KLDivergence() {
    this(Reduction.SUM_OVER_BATCH_SIZE);
  }

  public KLDivergence(Reduction reduction) {
    super("kl_divergence", reduction);
  }

  /** Keras's {@code name}, the loss's scope and log key; returns this. */
  @Override
  public KLDivergence name(String name) {
    super.name(name);
    return this;
  }

  /** Keras's {@code reduction}; returns this. */
  @Override
  public KLDivergence reduction(Reduction reduction) {
    super.reduction(reduction);
    return this;
  }

  /** Keras's {@code reduction} by name, e.g. {@code "sum"}; returns this. */
  @Override
  public KLDivergence reduction(String reduction) {
    super.reduction(reduction);
    return this;
  }

  @Override
  protected Operand<TFloat32> perSample(
      Ops tf, Operand<? extends TNumber> labels, Operand<TFloat32> predictions) {
    DenseInputs in = DenseInputs.broadcasting(tf, labels, predictions, name());
    Operand<TFloat32> t = clip(tf, in.yTrue());
    Operand<TFloat32> p = clip(tf, in.yPred());
    return tf.sum(tf.math.mul(t, tf.math.log(tf.math.div(t, p))), tf.constant(-1));
  }

  private static Operand<TFloat32> clip(Ops tf, Operand<TFloat32> x) {
    return tf.clipByValue(x, tf.constant(EPSILON), tf.constant(1f));
  }

  /** Keras's {@code KLDivergence.from_config}: {@code name} and {@code reduction}. */
  public static KLDivergence fromConfig(Config config) {
    return configure(new KLDivergence(), config);
  }
}
