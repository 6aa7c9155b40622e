package dev.tfkeras.losses;

import dev.tfkeras.layers.Layer;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TUint8;
import org.tensorflow.types.family.TNumber;

/** Shape checks and conversions shared by the losses and metrics. */
public final class LossShapes {

  private LossShapes() {}

  /**
   * Class-index labels as int64 of shape {@code (batch)}, accepting {@code (batch)} or {@code
   * (batch, 1)} integer labels for predictions {@code (batch, classes)}.
   */
  public static Operand<TInt64> sparseLabels(
      Ops tf, Operand<? extends TNumber> labels, Operand<? extends TNumber> predictions) {
    Class<?> type = labels.type();
    if (type != TInt32.class && type != TInt64.class && type != TUint8.class) {
      throw new IllegalArgumentException(
          "Sparse labels must be class indices of an integer type (TInt32, TInt64 or TUint8),"
              + " received " + ((Class<?>) type).getSimpleName() + ".");
    }
    Shape l = labels.shape();
    Shape p = predictions.shape();
    int predRank = p.numDimensions();
    Operand<? extends TNumber> flat = labels;
    if (l.numDimensions() == predRank && l.get(predRank - 1) == 1) {
      flat = tf.squeeze(labels, org.tensorflow.op.core.Squeeze.axis(java.util.List.of((long) predRank - 1)));
    } else if (l.numDimensions() != predRank - 1) {
      boolean oneHot =
          l.numDimensions() == predRank && l.get(predRank - 1) == p.get(predRank - 1);
      throw new IllegalArgumentException(
          "Sparse labels must have shape (batch,) or (batch, 1) for predictions of shape "
              + Layer.format(p) + ", received labels of shape " + Layer.format(l) + "."
              + (oneHot
                  ? " One-hot labels need CategoricalCrossentropy or CategoricalAccuracy."
                  : ""));
    }
    return tf.dtypes.cast(flat, TInt64.class);
  }

  /** Dense targets as float32 with the predictions' rank. */
  public static Operand<TFloat32> denseTargets(
      Ops tf, Operand<? extends TNumber> labels, Operand<? extends TNumber> predictions) {
    Shape l = labels.shape();
    Shape p = predictions.shape();
    if (l.numDimensions() != p.numDimensions()) {
      boolean classIndices =
          l.numDimensions() == p.numDimensions() - 1 && labels.type() != TFloat32.class;
      throw new IllegalArgumentException(
          "Targets must have the same rank as the predictions " + Layer.format(p)
              + ", received targets of shape " + Layer.format(l) + "."
              + (classIndices
                  ? " Integer class labels need SparseCategoricalCrossentropy or"
                      + " SparseCategoricalAccuracy."
                  : ""));
    }
    int last = p.numDimensions() - 1;
    if (last >= 0 && l.get(last) != Shape.UNKNOWN_SIZE && p.get(last) != Shape.UNKNOWN_SIZE
        && l.get(last) != p.get(last)) {
      throw new IllegalArgumentException(
          "Targets of shape " + Layer.format(l) + " do not match predictions of shape " + Layer.format(p)
              + " on the last axis.");
    }
    return labels.type() == TFloat32.class
        ? (Operand<TFloat32>) (Operand<?>) labels
        : tf.dtypes.cast(labels, TFloat32.class);
  }
}
