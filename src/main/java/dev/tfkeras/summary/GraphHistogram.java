package dev.tfkeras.summary;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TNumber;

/**
 * {@link Histogram}'s buckets as graph ops, as TensorBoard's {@code histogram/summary_v2._buckets}
 * computes them inside a {@code tf.function}: float64 rows {@code [left, right, count]}, equal
 * widths from the minimum to the maximum with the last edge the maximum itself, all the count in the
 * last of {@code k} zero-width buckets when every value is the same.
 */
final class GraphHistogram {

  private GraphHistogram() {}

  static Operand<TFloat64> buckets(Ops tf, Operand<? extends TNumber> values, int k) {
    Operand<TFloat64> data = tf.reshape(tf.dtypes.cast(values, TFloat64.class), tf.constant(new long[] {-1}));
    Operand<TInt32> axis = tf.constant(0);
    Operand<TFloat64> min = tf.min(data, axis);
    Operand<TFloat64> max = tf.max(data, axis);
    Operand<TFloat64> range = tf.math.sub(max, min);
    Operand<TBool> single = tf.math.equal(range, tf.constant(0.0));
    // widths from a range of 1 when there is one value: computed, then not selected (no NaN)
    Operand<TFloat64> width = tf.math.div(tf.select(single, tf.constant(1.0), range), tf.constant((double) k));
    Operand<TInt32> index = tf.dtypes.cast(tf.math.floor(tf.math.div(tf.math.sub(data, min), width)), TInt32.class);
    Operand<TInt32> clamped = tf.math.minimum(index, tf.constant(k - 1));
    Operand<TFloat64> counts =
        tf.sum(tf.oneHot(clamped, tf.constant(k), tf.constant(1.0), tf.constant(0.0)), axis);
    double[] b = new double[k];
    double[] bPlusOne = new double[k - 1];
    for (int i = 0; i < k; i++) {
      b[i] = i;
      if (i < k - 1) {
        bPlusOne[i] = i + 1;
      }
    }
    Operand<TFloat64> left = tf.math.add(min, tf.math.mul(tf.constant(b), width));
    Operand<TFloat64> right = tf.concat(
        java.util.List.of(tf.math.add(min, tf.math.mul(tf.constant(bPlusOne), width)), tf.reshape(max, tf.constant(new long[] {1}))),
        axis);
    Operand<TFloat64> multiple = tf.linalg.transpose(tf.stack(java.util.List.of(left, right, counts)), tf.constant(new int[] {1, 0}));
    Operand<TFloat64> center = tf.fill(tf.constant(new int[] {k}), min);
    double[] lastOnly = new double[k];
    lastOnly[k - 1] = 1;
    Operand<TFloat64> size = tf.dtypes.cast(tf.size(data), TFloat64.class);
    Operand<TFloat64> singleCounts = tf.math.mul(tf.constant(lastOnly), size);
    Operand<TFloat64> one = tf.linalg.transpose(tf.stack(java.util.List.of(center, center, singleCounts)), tf.constant(new int[] {1, 0}));
    return tf.select(single, one, multiple);
  }
}
