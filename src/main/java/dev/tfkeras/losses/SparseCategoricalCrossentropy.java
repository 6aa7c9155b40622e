package dev.tfkeras.losses;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TNumber;

/**
 * Cross-entropy between integer class labels {@code (batch)} and predictions {@code (batch,
 * classes)}: logits when {@code fromLogits}, else probabilities.
 */
public class SparseCategoricalCrossentropy extends Loss {

  private static final float EPSILON = 1e-7f;
  private final boolean fromLogits;

  /** Expects probabilities (Keras's default). */
  public SparseCategoricalCrossentropy() {
    this(false);
  }

  /** @param fromLogits whether predictions are logits (no softmax applied yet) */
  public SparseCategoricalCrossentropy(boolean fromLogits) {
    this(fromLogits, Reduction.SUM_OVER_BATCH_SIZE);
  }

  public SparseCategoricalCrossentropy(boolean fromLogits, Reduction reduction) {
    super(reduction);
    this.fromLogits = fromLogits;
    if (fromLogits) {
      SparseSoftmaxGradient.ensureRegistered();
    }
  }

  @Override
  protected Operand<TFloat32> perSample(
      Ops tf, Operand<? extends TNumber> labels, Operand<TFloat32> predictions) {
    Operand<TInt64> classes = LossShapes.sparseLabels(tf, labels, predictions);
    if (fromLogits) {
      return tf.nn.sparseSoftmaxCrossEntropyWithLogits(predictions, classes).loss();
    }
    long depth = predictions.shape().get(predictions.shape().numDimensions() - 1);
    if (depth == Shape.UNKNOWN_SIZE) {
      throw new IllegalArgumentException(
          "SparseCategoricalCrossentropy needs a known number of classes on the last axis of the"
              + " predictions, received shape " + predictions.shape() + ".");
    }
    Operand<TFloat32> oneHot =
        tf.oneHot(classes, tf.constant((int) depth), tf.constant(1f), tf.constant(0f));
    Operand<TFloat32> logP =
        tf.math.log(tf.clipByValue(predictions, tf.constant(EPSILON), tf.constant(1f - EPSILON)));
    return tf.math.neg(tf.sum(tf.math.mul(oneHot, logP), tf.constant(-1)));
  }
}
