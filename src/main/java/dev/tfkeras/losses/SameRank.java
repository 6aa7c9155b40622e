package dev.tfkeras.losses;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Squeeze;
import org.tensorflow.types.family.TType;

/**
 * Keras's {@code squeeze_or_expand_to_same_rank}: when two ranks differ by one and the longer
 * operand ends in a unit axis, that axis is dropped, or, when the shorter operand has rank 1, a unit
 * axis is appended to it. So {@code (batch,)} and {@code (batch, 1)} meet as {@code (batch, 1)}, and
 * {@code (batch, n, 1)} and {@code (batch, n)} as {@code (batch, n)}. Other ranks are left alone.
 */
final class SameRank {

  /** The two operands after matching, in their original order. */
  record Pair<A extends TType, B extends TType>(Operand<A> first, Operand<B> second) {}

  private SameRank() {}

  static <A extends TType, B extends TType> Pair<A, B> match(Ops tf, Operand<A> x1, Operand<B> x2) {
    Shape s1 = x1.shape();
    Shape s2 = x2.shape();
    if (s1.isUnknown() || s2.isUnknown()) {
      return new Pair<>(x1, x2);
    }
    int r1 = s1.numDimensions();
    int r2 = s2.numDimensions();
    if (r1 == r2 + 1 && s1.get(r1 - 1) == 1) {
      return r2 == 1 ? new Pair<>(x1, expand(tf, x2)) : new Pair<>(squeeze(tf, x1), x2);
    }
    if (r2 == r1 + 1 && s2.get(r2 - 1) == 1) {
      return r1 == 1 ? new Pair<>(expand(tf, x1), x2) : new Pair<>(x1, squeeze(tf, x2));
    }
    return new Pair<>(x1, x2);
  }

  private static <T extends TType> Operand<T> expand(Ops tf, Operand<T> x) {
    return tf.expandDims(x, tf.constant(-1));
  }

  private static <T extends TType> Operand<T> squeeze(Ops tf, Operand<T> x) {
    return tf.squeeze(x, Squeeze.axis(List.of(-1L)));
  }
}
