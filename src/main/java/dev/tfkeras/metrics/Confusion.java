package dev.tfkeras.metrics;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Settings and results shared by {@link Precision} and {@link Recall}. */
final class Confusion {

  private Confusion() {}

  /** Keras's defaults: threshold 0.5, or NEG_INF (every top-k prediction positive) with topK. */
  static ConfusionMatrix.Spec spec(
      double[] thresholds, Integer topK, Integer classId, String metric) {
    if (topK != null && topK < 1) {
      throw new IllegalArgumentException(
          "Metric '" + metric + "' needs topK >= 1 or null, received: topK=" + topK + ".");
    }
    if (classId != null && classId < 0) {
      throw new IllegalArgumentException(
          "Metric '" + metric + "' needs classId >= 0 or null, received: classId=" + classId + ".");
    }
    float defaultThreshold = topK == null ? 0.5f : ConfusionMatrix.NEG_INF;
    float[] parsed = ConfusionMatrix.Spec.parse(thresholds, defaultThreshold, metric);
    boolean even =
        thresholds != null && ConfusionMatrix.Spec.evenlyDistributed(thresholds);
    return new ConfusionMatrix.Spec(parsed, even, topK, classId);
  }

  /** A scalar for one threshold, as Keras returns {@code result[0]}; the vector otherwise. */
  static Operand<TFloat32> perThreshold(Ops tf, Operand<TFloat32> values, int thresholds) {
    return thresholds == 1 ? tf.reshape(values, tf.constant(new int[0])) : values;
  }
}
