package dev.tfkeras.layers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** The arithmetic shared by the normalization layers, as TensorFlow's {@code tf.nn} computes it. */
final class Normalize {

  private Normalize() {}

  /** Mean and variance, both keeping the reduced axes (size 1). */
  record Moments(Operand<TFloat32> mean, Operand<TFloat32> variance) {}

  /**
   * {@code tf.nn.moments}: the mean over {@code axes} and the biased variance (divided by the
   * count), computed around the mean with its gradient stopped, as TensorFlow does.
   */
  static Moments moments(Ops tf, Operand<TFloat32> x, int[] axes) {
    Operand<TInt32> reduce = tf.constant(axes);
    Operand<TFloat32> mean = tf.math.mean(x, reduce, Mean.keepDims(true));
    Operand<TFloat32> variance =
        tf.math.mean(tf.math.squaredDifference(x, tf.stopGradient(mean)), reduce, Mean.keepDims(true));
    return new Moments(mean, variance);
  }

  /**
   * {@code tf.nn.batch_normalization}: {@code x · inv + (beta − mean · inv)} with {@code inv =
   * gamma / sqrt(variance + epsilon)}; {@code gamma} and {@code beta} may be null (not used).
   * Every statistic must broadcast against {@code x}.
   */
  static Operand<TFloat32> apply(
      Ops tf,
      Operand<TFloat32> x,
      Operand<TFloat32> mean,
      Operand<TFloat32> variance,
      Operand<TFloat32> gamma,
      Operand<TFloat32> beta,
      float epsilon) {
    Operand<TFloat32> inv = tf.math.rsqrt(tf.math.add(variance, tf.constant(epsilon)));
    if (gamma != null) {
      inv = tf.math.mul(inv, gamma);
    }
    Operand<TFloat32> shift =
        beta != null ? tf.math.sub(beta, tf.math.mul(mean, inv)) : tf.math.neg(tf.math.mul(mean, inv));
    return tf.math.add(tf.math.mul(x, inv), shift);
  }

  /** The shape that puts the sizes of {@code axes} of {@code shape} in place and 1 elsewhere. */
  static long[] broadcastShape(Shape shape, int[] axes) {
    long[] dims = new long[shape.numDimensions()];
    Arrays.fill(dims, 1);
    for (int axis : axes) {
      dims[axis] = shape.get(axis);
    }
    return dims;
  }

  /** Every axis of a rank-{@code rank} tensor but those in {@code kept}. */
  static int[] otherAxes(int rank, int[] kept) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < rank; i++) {
      boolean keep = false;
      for (int k : kept) {
        keep |= k == i;
      }
      if (!keep) {
        out.add(i);
      }
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * {@code axis} in {@code [0, rank)}, counting from the end when negative.
   *
   * @throws IllegalArgumentException outside {@code [-rank, rank)}, in Keras's words
   */
  static int canonicalAxis(int axis, int rank) {
    if (axis < -rank || axis >= rank) {
      throw new IllegalArgumentException(
          "axis " + axis + " is out of bounds for an array with dimension " + rank + ".");
    }
    return axis < 0 ? axis + rank : axis;
  }
}
