package dev.tfkeras.layers.preprocessing;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Squeeze;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TNumber;
import org.tensorflow.types.family.TType;

/**
 * Keras's {@code numerical_utils.encode_categorical_inputs}, shared by {@link CategoryEncoding} and
 * {@link Discretization}: integer ids to {@code "int"} (the ids), {@code "one_hot"}, {@code
 * "multi_hot"} or {@code "count"} rows of {@code depth} columns, in float32.
 */
final class CategoricalOutput {

  static final List<String> MODES = List.of("int", "one_hot", "multi_hot", "count");

  private CategoricalOutput() {}

  /** Integer ids keep int32 or int64; other dtypes (a model's float32 input) are cast to int32. */
  @SuppressWarnings("unchecked")
  static Operand<? extends TNumber> integerIds(Ops tf, Operand<?> input) {
    Class<?> type = input.type();
    if (type == TInt32.class || type == TInt64.class) {
      return (Operand<? extends TNumber>) input;
    }
    return tf.dtypes.cast((Operand<? extends TType>) input, TInt32.class);
  }

  /**
   * Keras's encoding: a scalar is one sample; one_hot replaces a last axis of size 1 (else appends
   * {@code depth}); multi_hot and count reduce axis 1 (axis 0 of a vector), as Keras does.
   *
   * @param countWeights per-id weights of the count, or null
   */
  static Operand<TFloat32> encode(
      Ops tf, Operand<? extends TNumber> ids, String mode, int depth, Operand<TFloat32> countWeights) {
    if (mode.equals("int")) {
      return tf.dtypes.cast(ids, TFloat32.class);
    }
    Shape shape = ids.shape();
    if (shape.numDimensions() == 0) {
      ids = tf.expandDims(ids, tf.constant(-1));
      shape = ids.shape();
    }
    int rank = shape.numDimensions();
    if (mode.equals("one_hot")) {
      if (rank > 1 && shape.get(rank - 1) == 1) {
        ids = tf.squeeze(ids, Squeeze.axis(List.of(-1L)));
      }
      return oneHot(tf, ids, depth);
    }
    Operand<TFloat32> hot = oneHot(tf, ids, depth);
    Operand<TInt32> axis = tf.constant(rank > 1 ? 1 : 0);
    if (mode.equals("multi_hot")) {
      return tf.max(hot, axis);
    }
    if (countWeights != null) {
      hot = tf.math.mul(hot, tf.expandDims(countWeights, tf.constant(-1)));
    }
    return tf.sum(hot, axis);
  }

  private static Operand<TFloat32> oneHot(Ops tf, Operand<? extends TNumber> ids, int depth) {
    return tf.oneHot(ids, tf.constant(depth), tf.constant(1f), tf.constant(0f));
  }
}
