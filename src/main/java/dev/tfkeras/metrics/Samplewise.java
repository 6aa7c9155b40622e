package dev.tfkeras.metrics;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TNumber;

/**
 * Keras's {@code reduce_to_samplewise_values}: values (cast to float32) weighted and reduced to one
 * per example, and the weights reduced alike.
 *
 * @param values per-example values, shape {@code (batch,)}; a scalar for a scalar input or weight
 * @param weights per-example weights of the same shape, or null when no weight was given
 */
record Samplewise(Operand<TFloat32> values, Operand<TFloat32> weights) {

  /** How values are reduced over the axes past the weights' rank. */
  enum Reduction {
    MEAN,
    SUM
  }

  /**
   * Matches the ranks of {@code values} and {@code sampleWeight}, reduces the values' extra axes,
   * broadcasts and applies the weights, then reduces both to one entry per example.
   *
   * @param sampleWeight null for unweighted values
   * @throws IllegalArgumentException if the weights cannot broadcast to the values
   */
  static Samplewise reduce(
      Ops tf,
      Operand<? extends TNumber> values,
      Operand<? extends TNumber> sampleWeight,
      Reduction reduction,
      String metric) {
    Operand<TFloat32> v = MetricOps.cast(tf, values, TFloat32.class);
    Operand<TFloat32> w = null;
    if (sampleWeight != null) {
      var matched =
          MetricOps.matchRanks(tf, v, MetricOps.cast(tf, sampleWeight, TFloat32.class), true);
      v = matched.first();
      w = matched.second();
      int weightRank = MetricOps.rank(w);
      int valuesRank = MetricOps.rank(v);
      if (valuesRank < weightRank) {
        throw new IllegalArgumentException(
            "Metric '" + metric + "' received sample weights of shape " + MetricOps.format(w)
                + " for values of shape " + MetricOps.format(v) + ": the weights may not have more"
                + " axes than the values. Give one weight per example, shape (batch,).");
      }
      if (valuesRank > weightRank) {
        v = reduce(tf, v, MetricOps.axes(tf, weightRank, valuesRank), reduction);
      }
      checkBroadcast(w.shape(), v.shape(), metric);
      w = tf.broadcastTo(w, tf.shape(v));
      v = tf.math.mul(v, w);
      if (weightRank > 1) {
        w = reduce(tf, w, MetricOps.axes(tf, 1, weightRank), reduction);
      }
    }
    int valuesRank = MetricOps.rank(v);
    if (valuesRank > 1) {
      v = reduce(tf, v, MetricOps.axes(tf, 1, valuesRank), reduction);
    }
    return new Samplewise(v, w);
  }

  /** The number of examples these values stand for: the weights' sum, else the batch size. */
  Operand<TFloat32> count(Ops tf) {
    if (weights != null) {
      return tf.sum(weights, MetricOps.allAxes(tf, weights));
    }
    if (MetricOps.rank(values) == 0) {
      return tf.constant(1f);
    }
    return tf.dtypes.cast(
        tf.gather(tf.shape(values), tf.constant(0), tf.constant(0)), TFloat32.class);
  }

  /** The sum of the (weighted) values. */
  Operand<TFloat32> sum(Ops tf) {
    return tf.sum(values, MetricOps.allAxes(tf, values));
  }

  private static Operand<TFloat32> reduce(
      Ops tf, Operand<TFloat32> x, Operand<org.tensorflow.types.TInt32> axes, Reduction reduction) {
    return reduction == Reduction.MEAN ? tf.math.mean(x, axes) : tf.sum(x, axes);
  }

  private static void checkBroadcast(Shape weights, Shape values, String metric) {
    for (int i = 0; i < weights.numDimensions(); i++) {
      long w = weights.get(i);
      long v = values.get(i);
      if (w != 1 && w != Shape.UNKNOWN_SIZE && v != Shape.UNKNOWN_SIZE && w != v) {
        throw new IllegalArgumentException(
            "Metric '" + metric + "' cannot broadcast sample weights of shape "
                + dev.tfkeras.layers.Layer.format(weights) + " to values of shape "
                + dev.tfkeras.layers.Layer.format(values) + " (axis " + i + "). Give one weight"
                + " per example, shape (batch,), or one per value.");
      }
    }
  }
}
