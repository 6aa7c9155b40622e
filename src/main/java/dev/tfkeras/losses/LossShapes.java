package dev.tfkeras.losses;

import dev.tfkeras.layers.Layer;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Squeeze;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TNumber;

/** Shape checks and conversions shared by the losses and metrics. */
public final class LossShapes {

  private LossShapes() {}

  /**
   * Class-index labels as int64 of shape {@code (batch, ...)}, accepting {@code (batch, ...)} or
   * {@code (batch, ..., 1)} labels of any numeric dtype for predictions {@code (batch, ...,
   * classes)}; floats are truncated, as Keras's cast.
   */
  @SuppressWarnings("unchecked")
  public static Operand<TInt64> sparseLabels(
      Ops tf, Operand<? extends TNumber> labels, Operand<? extends TNumber> predictions) {
    Shape l = labels.shape();
    Shape p = predictions.shape();
    int predRank = p.numDimensions();
    Operand<? extends TNumber> flat = labels;
    if (l.numDimensions() == predRank && l.get(predRank - 1) == 1) {
      flat = tf.squeeze(labels, Squeeze.axis(List.of((long) predRank - 1)));
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
    return flat.type() == TInt64.class
        ? (Operand<TInt64>) (Operand<?>) flat
        : tf.dtypes.cast(flat, TInt64.class);
  }

  /**
   * {@code classes} gated by a run-time check that every index lies in {@code [0, depth)}: ops that
   * read the result run only after the check, which fails with "Received a label value of 12 which
   * is outside the valid range of [0, 10). ...". One reduction over the labels.
   */
  public static Operand<TInt64> checkedClassIndices(Ops tf, Operand<TInt64> classes, long depth) {
    Operand<TInt64> flat = tf.reshape(classes, tf.constant(new long[] {-1}));
    Operand<TBool> outside =
        tf.math.logicalOr(
            tf.math.less(flat, tf.constant(0L)), tf.math.greaterEqual(flat, tf.constant(depth)));
    // The smallest offending label, or MAX_VALUE when none (also for an empty batch). A label of
    // exactly Long.MAX_VALUE is the one value this cannot tell from "none".
    Operand<TInt64> none = tf.constant(Long.MAX_VALUE);
    Operand<TInt64> first = tf.min(tf.select(outside, flat, none), tf.constant(0));
    Op check =
        tf.assertThat(
            tf.math.equal(first, none),
            List.of(
                tf.constant("Received a label value of"),
                first,
                tf.constant(
                    "which is outside the valid range of [0, " + depth + "). Labels are class"
                        + " indices from 0 to " + (depth - 1) + " for predictions with " + depth
                        + " classes on the last axis: check the labels, or give the output layer"
                        + " one unit per class.")));
    return tf.withControlDependencies(List.of(check)).identity(classes);
  }

  /**
   * Dense targets as float32, checked against the predictions: same rank, and the same size on
   * every axis whose size is known.
   */
  public static Operand<TFloat32> denseTargets(
      Ops tf, Operand<? extends TNumber> labels, Operand<? extends TNumber> predictions) {
    return denseTargets(tf, labels, predictions, false);
  }

  /**
   * {@link #denseTargets(Ops, Operand, Operand)}, where with {@code broadcast} a known size of 1 on
   * either side also passes, for the element-wise losses that Keras computes with broadcasting
   * arithmetic ({@code mean_squared_error} of {@code (n, 1)} targets and {@code (n, 2)}
   * predictions).
   */
  @SuppressWarnings("unchecked")
  public static Operand<TFloat32> denseTargets(
      Ops tf,
      Operand<? extends TNumber> labels,
      Operand<? extends TNumber> predictions,
      boolean broadcast) {
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
    for (int axis = last; axis >= 0; axis--) {
      if (l.get(axis) != Shape.UNKNOWN_SIZE && p.get(axis) != Shape.UNKNOWN_SIZE
          && l.get(axis) != p.get(axis)
          && !(broadcast && (l.get(axis) == 1 || p.get(axis) == 1))) {
        throw new IllegalArgumentException(
            "Targets of shape " + Layer.format(l) + " do not match predictions of shape "
                + Layer.format(p) + (axis == last ? " on the last axis." : " on axis " + axis + "."));
      }
    }
    return labels.type() == TFloat32.class
        ? (Operand<TFloat32>) (Operand<?>) labels
        : tf.dtypes.cast(labels, TFloat32.class);
  }
}
