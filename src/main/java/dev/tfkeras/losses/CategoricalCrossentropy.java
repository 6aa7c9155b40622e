package dev.tfkeras.losses;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TNumber;

/**
 * Cross-entropy between one-hot (or soft) labels and predictions of the same shape {@code (batch,
 * classes)}: logits when {@code fromLogits}, else probabilities.
 */
public class CategoricalCrossentropy extends Loss {

  private static final float EPSILON = 1e-7f;
  private final boolean fromLogits;

  /** Expects probabilities (Keras's default). */
  public CategoricalCrossentropy() {
    this(false);
  }

  /** @param fromLogits whether predictions are logits */
  public CategoricalCrossentropy(boolean fromLogits) {
    this(fromLogits, Reduction.SUM_OVER_BATCH_SIZE);
  }

  public CategoricalCrossentropy(boolean fromLogits, Reduction reduction) {
    super(reduction);
    this.fromLogits = fromLogits;
  }

  @Override
  protected Operand<TFloat32> perSample(
      Ops tf, Operand<? extends TNumber> labels, Operand<TFloat32> predictions) {
    Operand<TFloat32> targets = LossShapes.denseTargets(tf, labels, predictions);
    Operand<TFloat32> logP;
    if (fromLogits) {
      logP = tf.nn.logSoftmax(predictions);
    } else {
      Operand<TFloat32> normalized =
          tf.math.div(predictions, tf.sum(predictions, tf.constant(-1), org.tensorflow.op.core.Sum.keepDims(true)));
      logP = tf.math.log(tf.clipByValue(normalized, tf.constant(EPSILON), tf.constant(1f - EPSILON)));
    }
    return tf.math.neg(tf.sum(tf.math.mul(targets, logP), tf.constant(-1)));
  }
}
