package dev.tfkeras.metrics;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.math.Cumsum;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TNumber;

/**
 * Keras's {@code update_confusion_matrix_variables} (metrics_utils.py): the weighted true/false
 * positive/negative counts of one batch at each threshold, where a prediction above a threshold
 * counts as positive and any non-zero label as a positive label.
 *
 * @param tp true positives per threshold
 * @param fp false positives per threshold
 * @param tn true negatives per threshold
 * @param fn false negatives per threshold
 */
record ConfusionMatrix(
    Operand<TFloat32> tp, Operand<TFloat32> fp, Operand<TFloat32> tn, Operand<TFloat32> fn) {

  /** Keras's {@code NEG_INF}: the threshold used with top-k when none is given. */
  static final float NEG_INF = -1e10f;

  /** What to count: thresholds, and the optional top-k and class filters. */
  record Spec(float[] thresholds, boolean evenlyDistributed, Integer topK, Integer classId) {

    /** Thresholds as Keras's confusion metrics take them: in [0, 1], by default one. */
    static float[] parse(double[] thresholds, float defaultValue, String metric) {
      if (thresholds == null) {
        return new float[] {defaultValue};
      }
      if (thresholds.length == 0) {
        throw new IllegalArgumentException(
            "Metric '" + metric + "' needs at least one threshold, received none.");
      }
      float[] parsed = new float[thresholds.length];
      for (int i = 0; i < thresholds.length; i++) {
        if (!(thresholds[i] >= 0 && thresholds[i] <= 1)) {
          throw new IllegalArgumentException(
              "Threshold values must be in [0, 1]. Received: "
                  + java.util.Arrays.toString(thresholds) + " for metric '" + metric + "'.");
        }
        parsed[i] = (float) thresholds[i];
      }
      return parsed;
    }

    /**
     * Keras's {@code is_evenly_distributed_thresholds}: at least 3 thresholds, each close to
     * {@code i / (n - 1)} (numpy's allclose, atol 1e-7).
     */
    static boolean evenlyDistributed(double[] thresholds) {
      int n = thresholds.length;
      if (n < 3) {
        return false;
      }
      for (int i = 0; i < n; i++) {
        double even = (float) i / (float) (n - 1);
        if (!(Math.abs(thresholds[i] - even) <= 1e-7 + 1e-5 * Math.abs(even))) {
          return false;
        }
      }
      return true;
    }
  }

  /**
   * The counts of one batch.
   *
   * @param sampleWeight null, or weights broadcastable to the labels after Keras's rank matching
   * @param withEpsilon whether the first and last thresholds lie just outside [0, 1] (AUC)
   */
  static ConfusionMatrix of(
      Ops tf,
      Operand<? extends TNumber> yTrue,
      Operand<? extends TNumber> yPred,
      Operand<? extends TNumber> sampleWeight,
      Spec spec,
      boolean withEpsilon,
      String metric) {
    var matched =
        MetricOps.matchRanks(
            tf,
            MetricOps.cast(tf, yPred, TFloat32.class),
            MetricOps.cast(tf, yTrue, TFloat32.class),
            true);
    Operand<TFloat32> predictions = matched.first();
    Operand<TFloat32> labels = matched.second();
    if (!predictions.shape().isCompatibleWith(labels.shape())) {
      throw new IllegalArgumentException(
          "Metric '" + metric + "' needs one label per prediction: received labels "
              + MetricOps.format(yTrue) + " and predictions " + MetricOps.format(yPred) + ".");
    }
    Operand<TFloat32> weights = null;
    if (sampleWeight != null) {
      Operand<TFloat32> w =
          tf.expandDims(MetricOps.cast(tf, sampleWeight, TFloat32.class), tf.constant(-1));
      weights = MetricOps.matchRanks(tf, labels, w, false).second();
    }
    if (spec.topK() != null) {
      predictions = filterTopK(tf, predictions, spec.topK());
    }
    if (spec.classId() != null) {
      if (MetricOps.rank(predictions) < 2) {
        throw new IllegalArgumentException(
            "When class_id is provided, y_pred must be a 2D array with shape (num_samples,"
                + " num_classes), found shape: " + MetricOps.format(predictions) + " (metric '"
                + metric + "').");
      }
      long classes = MetricOps.lastDim(predictions);
      if (classes != org.tensorflow.ndarray.Shape.UNKNOWN_SIZE && spec.classId() >= classes) {
        throw new IllegalArgumentException(
            "Metric '" + metric + "' has class_id=" + spec.classId() + " but the predictions "
                + MetricOps.format(predictions) + " hold " + classes + " classes.");
      }
      labels = classColumn(tf, labels, spec.classId());
      predictions = classColumn(tf, predictions, spec.classId());
    }
    if (weights != null) {
      if (MetricOps.rank(weights) > MetricOps.rank(predictions)
          || !MetricOps.broadcastable(weights.shape(), predictions.shape())) {
        throw new IllegalArgumentException(
            "Metric '" + metric + "' cannot broadcast sample weights of shape "
                + MetricOps.format(sampleWeight) + " to predictions of shape "
                + MetricOps.format(predictions) + ". Give one weight per example, shape (batch,),"
                + " or one per prediction.");
      }
      weights = tf.broadcastTo(weights, tf.shape(predictions));
    }
    return spec.evenlyDistributed()
        ? bucketed(tf, labels, predictions, weights, spec.thresholds().length, withEpsilon)
        : compared(tf, labels, predictions, weights, spec.thresholds());
  }

  /** Each threshold compared with each prediction: O(thresholds x predictions). */
  private static ConfusionMatrix compared(
      Ops tf,
      Operand<TFloat32> labels,
      Operand<TFloat32> predictions,
      Operand<TFloat32> weights,
      float[] thresholds) {
    Operand<TInt32> row = tf.constant(new int[] {1, -1});
    Operand<TFloat32> p = tf.reshape(predictions, row);
    Operand<TBool> labelIsPos = tf.reshape(tf.math.notEqual(labels, tf.constant(0f)), row);
    Operand<TFloat32> t = tf.reshape(tf.constant(thresholds), tf.constant(new int[] {-1, 1}));
    Operand<TBool> predIsPos = tf.math.greater(p, t);
    Operand<TBool> labelIsNeg = tf.math.logicalNot(labelIsPos);
    Operand<TBool> predIsNeg = tf.math.logicalNot(predIsPos);
    Operand<TFloat32> w = weights == null ? null : tf.reshape(weights, row);
    return new ConfusionMatrix(
        count(tf, tf.math.logicalAnd(labelIsPos, predIsPos), w),
        count(tf, tf.math.logicalAnd(labelIsNeg, predIsPos), w),
        count(tf, tf.math.logicalAnd(labelIsNeg, predIsNeg), w),
        count(tf, tf.math.logicalAnd(labelIsPos, predIsNeg), w));
  }

  private static Operand<TFloat32> count(Ops tf, Operand<TBool> both, Operand<TFloat32> weights) {
    Operand<TFloat32> hits =
        weights == null
            ? MetricOps.asFloat(tf, both)
            : tf.select(both, weights, tf.zerosLike(weights));
    return tf.sum(hits, tf.constant(1));
  }

  /**
   * Keras's memory-efficient path for evenly spaced thresholds: each prediction falls into the
   * bucket {@code ceil(p * (n - 1)) - 1}; the count at threshold i is the reverse cumulative sum
   * of the buckets from i on.
   */
  private static ConfusionMatrix bucketed(
      Ops tf,
      Operand<TFloat32> labels,
      Operand<TFloat32> predictions,
      Operand<TFloat32> weights,
      int numThresholds,
      boolean withEpsilon) {
    Operand<TInt32> flat = tf.constant(new int[] {-1});
    Operand<TFloat32> p =
        tf.reshape(tf.clipByValue(predictions, tf.constant(0f), tf.constant(1f)), flat);
    Operand<TFloat32> positive =
        tf.reshape(MetricOps.asFloat(tf, tf.math.notEqual(labels, tf.constant(0f))), flat);
    Operand<TFloat32> negative = tf.math.sub(tf.constant(1f), positive);
    if (weights != null) {
      Operand<TFloat32> w = tf.reshape(weights, flat);
      positive = tf.math.mul(positive, w);
      negative = tf.math.mul(negative, w);
    }
    Operand<TFloat32> bucket =
        tf.math.sub(
            tf.math.ceil(tf.math.mul(p, tf.constant((float) (numThresholds - 1)))),
            tf.constant(1f));
    if (withEpsilon) {
      bucket = tf.nn.relu(bucket);
    }
    Operand<TInt32> ids = tf.dtypes.cast(bucket, TInt32.class);
    Operand<TInt32> n = tf.constant(numThresholds);
    Operand<TFloat32> tp = reverseCumsum(tf, tf.math.unsortedSegmentSum(positive, ids, n));
    Operand<TFloat32> fp = reverseCumsum(tf, tf.math.unsortedSegmentSum(negative, ids, n));
    Operand<TInt32> all = tf.constant(0);
    return new ConfusionMatrix(
        tp,
        fp,
        tf.math.sub(tf.sum(negative, all), fp),
        tf.math.sub(tf.sum(positive, all), tp));
  }

  private static Operand<TFloat32> reverseCumsum(Ops tf, Operand<TFloat32> x) {
    return tf.math.cumsum(x, tf.constant(0), Cumsum.reverse(true));
  }

  /** Keras's {@code _filter_top_k}: the top k values on the last axis kept, the rest NEG_INF. */
  private static Operand<TFloat32> filterTopK(Ops tf, Operand<TFloat32> x, int k) {
    int rank = MetricOps.rank(x);
    Operand<TInt32> indices = tf.nn.topK(x, tf.constant(k), TInt32.class).indices();
    Operand<TInt32> depth = tf.gather(tf.shape(x), tf.constant(rank - 1), tf.constant(0));
    Operand<TFloat32> mask =
        tf.sum(tf.oneHot(indices, depth, tf.constant(1f), tf.constant(0f)), tf.constant(-2));
    Operand<TFloat32> rest = tf.math.sub(tf.constant(1f), mask);
    return tf.math.add(tf.math.mul(x, mask), tf.math.mul(tf.constant(NEG_INF), rest));
  }

  /** {@code x[..., classId, None]}: one class's column, keeping the axis. */
  private static Operand<TFloat32> classColumn(Ops tf, Operand<TFloat32> x, int classId) {
    return tf.gather(x, tf.constant(new int[] {classId}), tf.constant(MetricOps.rank(x) - 1));
  }
}
