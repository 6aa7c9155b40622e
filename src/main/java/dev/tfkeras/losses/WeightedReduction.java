package dev.tfkeras.losses;

import dev.tfkeras.layers.Layer;
import java.util.Arrays;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TNumber;

/**
 * Keras's {@code reduce_weighted_values} and {@code reduce_values}: weights are cast to float32,
 * rank-matched to the loss values ({@link SameRank}), multiplied in (broadcasting), then the
 * product is reduced.
 */
final class WeightedReduction {

  private WeightedReduction() {}

  /**
   * @param values the loss values of {@code loss}, one per sample or per element
   * @param sampleWeight any numeric dtype, or null for unweighted
   */
  static Operand<TFloat32> reduce(
      Ops tf, Operand<TFloat32> values, Operand<? extends TNumber> sampleWeight,
      Reduction reduction, String loss) {
    Operand<TFloat32> weights = null;
    if (sampleWeight != null) {
      Shape givenValues = values.shape();
      Shape givenWeights = sampleWeight.shape();
      SameRank.Pair<TFloat32, TFloat32> matched = SameRank.match(tf, values, toFloat(tf, sampleWeight));
      values = matched.first();
      weights = matched.second();
      if (!broadcasts(values.shape(), weights.shape())) {
        throw mismatch(givenValues, givenWeights, loss);
      }
      values = tf.math.mul(values, weights);
    }
    return reduceValues(tf, values, weights, reduction);
  }

  private static Operand<TFloat32> reduceValues(
      Ops tf, Operand<TFloat32> values, Operand<TFloat32> weights, Reduction reduction) {
    Shape shape = values.shape();
    if (reduction == Reduction.NONE || (!shape.isUnknown() && shape.numDimensions() == 0)) {
      return values;
    }
    Operand<TFloat32> sum = tf.sum(values, allAxes(tf, values));
    if (reduction == Reduction.SUM) {
      return sum;
    }
    Operand<TFloat32> divisor =
        reduction == Reduction.MEAN_WITH_SAMPLE_WEIGHT && weights != null
            ? tf.sum(weights, allAxes(tf, weights))
            : tf.dtypes.cast(tf.size(values), TFloat32.class);
    // divide_no_nan, as Keras: an empty batch or all-zero weights give 0, not NaN
    return tf.math.divNoNan(sum, divisor);
  }

  @SuppressWarnings("unchecked")
  private static Operand<TFloat32> toFloat(Ops tf, Operand<? extends TNumber> x) {
    return x.type() == TFloat32.class
        ? (Operand<TFloat32>) x
        : tf.dtypes.cast(x, TFloat32.class);
  }

  private static Operand<TInt32> allAxes(Ops tf, Operand<TFloat32> x) {
    return tf.range(tf.constant(0), tf.rank(x), tf.constant(1));
  }

  /**
   * Whether weights broadcast onto the values without pairing the batch axis of one (unknown at
   * trace time) with another axis of the other, which would fail or mis-weight when run.
   */
  private static boolean broadcasts(Shape values, Shape weights) {
    if (values.isUnknown() || weights.isUnknown()) {
      return true;
    }
    int rv = values.numDimensions();
    int rw = weights.numDimensions();
    if (rv != rw && Math.min(rv, rw) >= 1) {
      Shape lower = rv < rw ? values : weights;
      if (lower.get(0) == Shape.UNKNOWN_SIZE) {
        return false;
      }
    }
    for (int k = 1; k <= Math.min(rv, rw); k++) {
      long v = values.get(rv - k);
      long w = weights.get(rw - k);
      if (v != Shape.UNKNOWN_SIZE && w != Shape.UNKNOWN_SIZE && v != w && v != 1 && w != 1) {
        return false;
      }
    }
    return true;
  }

  private static IllegalArgumentException mismatch(Shape values, Shape weights, String loss) {
    long[] perSample = new long[Math.max(values.numDimensions(), 2)];
    Arrays.fill(perSample, 1);
    perSample[0] = values.numDimensions() == 0 ? Shape.UNKNOWN_SIZE : values.get(0);
    return new IllegalArgumentException(
        "Sample weights of shape " + Layer.format(weights) + " do not match the loss values of shape "
            + Layer.format(values) + " computed by " + loss + ". Give one weight per value (shape "
            + Layer.format(values) + "), one per sample (shape " + Layer.format(Shape.of(perSample))
            + ") or a scalar.");
  }
}
