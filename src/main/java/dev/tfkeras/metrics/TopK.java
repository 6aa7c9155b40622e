package dev.tfkeras.metrics;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TNumber;

/** Keras's {@code in_top_k} over any leading axes, shared by the top-k accuracies. */
final class TopK {

  private TopK() {}

  /**
   * 1 where the class index {@code targets} is among the {@code k} highest of {@code yPred} on the
   * last axis (ties at the boundary count as in, as TensorFlow's {@code InTopKV2}), shaped like
   * {@code targets}.
   */
  static Operand<TFloat32> inTopK(
      Ops tf, Operand<? extends TNumber> targets, Operand<? extends TNumber> yPred, int k) {
    Operand<TFloat32> scores = MetricOps.cast(tf, yPred, TFloat32.class);
    Operand<TInt32> classes = MetricOps.cast(tf, targets, TInt32.class);
    int rank = MetricOps.rank(scores);
    if (rank == 2 && MetricOps.rank(classes) == 1) {
      return MetricOps.asFloat(tf, tf.nn.inTopK(scores, classes, tf.constant(k)));
    }
    // (..., classes) scores as rows of classes, targets as one column, as Keras's in_top_k does
    Operand<TInt32> classCount =
        tf.slice(tf.shape(scores), tf.constant(new int[] {rank - 1}), tf.constant(new int[] {1}));
    Operand<TInt32> rowsShape =
        tf.concat(List.of(tf.constant(new int[] {-1}), classCount), tf.constant(0));
    Operand<TFloat32> rows = tf.reshape(scores, rowsShape);
    Operand<TInt32> flat = tf.reshape(classes, tf.constant(new int[] {-1}));
    Operand<TFloat32> matches = MetricOps.asFloat(tf, tf.nn.inTopK(rows, flat, tf.constant(k)));
    return tf.reshape(matches, tf.shape(classes));
  }

  /** {@code k}, checked to be at least 1. */
  static int checkK(int k) {
    if (k < 1) {
      throw new IllegalArgumentException("Top-k accuracy needs k >= 1, received: k=" + k + ".");
    }
    return k;
  }
}
