package dev.tfkeras.losses;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TNumber;

/**
 * Mean of squared differences over the last axis, per sample: predictions {@code (batch, d)} give
 * one value per row; {@code (batch,)} predictions give a single value, as in Keras.
 */
public class MeanSquaredError extends Loss {

  public MeanSquaredError() {
    this(Reduction.SUM_OVER_BATCH_SIZE);
  }

  public MeanSquaredError(Reduction reduction) {
    super(reduction);
  }

  @Override
  protected Operand<TFloat32> perSample(
      Ops tf, Operand<? extends TNumber> labels, Operand<TFloat32> predictions) {
    Operand<TFloat32> targets = LossShapes.denseTargets(tf, labels, predictions);
    Operand<TFloat32> diff = tf.math.squaredDifference(predictions, targets);
    // Keras: the mean over the last axis, so (batch,) predictions give one value, not one per row.
    return tf.math.mean(diff, tf.constant(-1));
  }
}
