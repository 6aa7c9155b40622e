package dev.tfkeras.metrics;

import dev.tfkeras.layers.Layer;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Squeeze;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.family.TNumber;

/** Shape and dtype helpers shared by the metrics, after Keras's {@code losses/loss.py}. */
final class MetricOps {

  private MetricOps() {}

  /** Two operands after {@link #matchRanks}. */
  record Matched<A extends TNumber, B extends TNumber>(Operand<A> first, Operand<B> second) {}

  /**
   * Keras's {@code squeeze_or_expand_to_same_rank}: when the ranks differ by one and the longer
   * operand ends in a dimension of 1, squeezes it, or expands a rank-1 other operand if {@code
   * expandRank1}.
   */
  static <A extends TNumber, B extends TNumber> Matched<A, B> matchRanks(
      Ops tf, Operand<A> x1, Operand<B> x2, boolean expandRank1) {
    int r1 = rank(x1);
    int r2 = rank(x2);
    if (r1 == r2 + 1 && lastDim(x1) == 1) {
      if (r2 == 1 && expandRank1) {
        x2 = tf.expandDims(x2, tf.constant(-1));
      } else {
        x1 = squeezeLast(tf, x1);
      }
    }
    if (r2 == r1 + 1 && lastDim(x2) == 1) {
      if (r1 == 1 && expandRank1) {
        x1 = tf.expandDims(x1, tf.constant(-1));
      } else {
        x2 = squeezeLast(tf, x2);
      }
    }
    return new Matched<>(x1, x2);
  }

  /** Removes the last axis, of size 1. */
  static <T extends TNumber> Operand<T> squeezeLast(Ops tf, Operand<T> x) {
    return tf.squeeze(x, Squeeze.axis(List.of((long) rank(x) - 1)));
  }

  /**
   * The static rank.
   *
   * @throws IllegalArgumentException if it is unknown
   */
  static int rank(Operand<?> x) {
    Shape shape = x.shape();
    if (shape.isUnknown()) {
      throw new IllegalArgumentException(
          "Metrics need operands of known rank, received one of unknown shape (" + x + ").");
    }
    return shape.numDimensions();
  }

  /** The static size of the last axis, {@link Shape#UNKNOWN_SIZE} if unknown or a scalar. */
  static long lastDim(Operand<?> x) {
    int rank = rank(x);
    return rank == 0 ? Shape.UNKNOWN_SIZE : x.shape().get(rank - 1);
  }

  /** {@code x} as {@code type}, without an op when it already is. */
  @SuppressWarnings("unchecked")
  static <T extends TNumber> Operand<T> cast(Ops tf, Operand<? extends TNumber> x, Class<T> type) {
    return x.type() == type ? (Operand<T>) x : tf.dtypes.cast(x, type);
  }

  /** The dtype of {@code x}. */
  @SuppressWarnings("unchecked")
  static <T extends TNumber> Class<T> typeOf(Operand<? extends TNumber> x) {
    return (Class<T>) x.type();
  }

  /** The dtype maths on {@code x} happens in: its own if float32/64, float32 otherwise. */
  @SuppressWarnings("unchecked")
  static <T extends TNumber> Class<T> floatType(Operand<? extends TNumber> x) {
    return (Class<T>) (x.type() == TFloat64.class ? TFloat64.class : TFloat32.class);
  }

  /** Axes {@code from} to {@code to - 1}, as a constant. */
  static Operand<org.tensorflow.types.TInt32> axes(Ops tf, int from, int to) {
    int[] axes = new int[Math.max(0, to - from)];
    for (int i = 0; i < axes.length; i++) {
      axes[i] = from + i;
    }
    return tf.constant(axes);
  }

  /** All axes of {@code x}. */
  static Operand<org.tensorflow.types.TInt32> allAxes(Ops tf, Operand<?> x) {
    return axes(tf, 0, rank(x));
  }

  /**
   * Whether static shapes {@code a} and {@code b} may broadcast together: on each axis from the
   * right, equal, 1 or unknown.
   */
  static boolean broadcastable(Shape a, Shape b) {
    int n = Math.min(a.numDimensions(), b.numDimensions());
    for (int i = 1; i <= n; i++) {
      long x = a.get(a.numDimensions() - i);
      long y = b.get(b.numDimensions() - i);
      if (x != y && x != 1 && y != 1 && x != Shape.UNKNOWN_SIZE && y != Shape.UNKNOWN_SIZE) {
        return false;
      }
    }
    return true;
  }

  /** {@code x} as float32 with the same shape: 1 where true, 0 where false. */
  static Operand<TFloat32> asFloat(Ops tf, Operand<org.tensorflow.types.TBool> x) {
    return tf.dtypes.cast(x, TFloat32.class);
  }

  /** A shape for messages, as Keras prints it: {@code (None, 3)}. */
  static String format(Operand<?> x) {
    return Layer.format(x.shape());
  }
}
