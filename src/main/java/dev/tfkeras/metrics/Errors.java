package dev.tfkeras.metrics;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TNumber;

/** The per-sample regression errors of Keras's {@code losses.py}, for the error metrics. */
final class Errors {

  private Errors() {}

  /**
   * The mean over the last axis of the squared (or absolute) differences, computed in the
   * predictions' float dtype (float32 for integer predictions) after matching ranks.
   */
  static Operand<? extends TNumber> meanOverLastAxis(
      Ops tf,
      Operand<? extends TNumber> yTrue,
      Operand<? extends TNumber> yPred,
      boolean squared,
      String metric) {
    return meanOverLastAxis(tf, MetricOps.floatType(yPred), yTrue, yPred, squared, metric);
  }

  private static <F extends TNumber> Operand<F> meanOverLastAxis(
      Ops tf,
      Class<F> type,
      Operand<? extends TNumber> yTrue,
      Operand<? extends TNumber> yPred,
      boolean squared,
      String metric) {
    Operand<F> diff = difference(tf, type, yTrue, yPred, metric);
    Operand<F> error = squared ? tf.math.square(diff) : tf.math.abs(diff);
    return tf.math.mean(error, tf.constant(-1));
  }

  /** {@code yTrue - yPred} in {@code type}, ranks matched. */
  static <F extends TNumber> Operand<F> difference(
      Ops tf,
      Class<F> type,
      Operand<? extends TNumber> yTrue,
      Operand<? extends TNumber> yPred,
      String metric) {
    var matched =
        MetricOps.matchRanks(
            tf, MetricOps.cast(tf, yTrue, type), MetricOps.cast(tf, yPred, type), true);
    if (!MetricOps.broadcastable(matched.first().shape(), matched.second().shape())) {
      throw new IllegalArgumentException(
          "Metric '" + metric + "' compares labels and predictions element by element: received"
              + " labels " + MetricOps.format(yTrue) + " and predictions " + MetricOps.format(yPred)
              + ".");
    }
    if (MetricOps.rank(matched.second()) == 0) {
      throw new IllegalArgumentException(
          "Metric '" + metric + "' needs predictions of shape (batch, ...), received a scalar.");
    }
    return tf.math.sub(matched.first(), matched.second());
  }
}
