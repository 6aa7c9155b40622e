package dev.tfkeras.layers;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * Keras's {@code GlobalAveragePooling1D}: the mean over the steps of {@code (batch, steps,
 * features)}, giving {@code (batch, features)} ({@code (batch, 1, features)} with {@link
 * #keepdims}). With a Keras mask on the input (from {@code Embedding.maskZero}) only the real steps
 * count, as in Keras.
 */
public class GlobalAveragePooling1D extends Layer {

  private boolean keepdims;

  /** Whether to keep the steps axis, of size 1 (default false); returns this. */
  public GlobalAveragePooling1D keepdims(boolean keepdims) {
    checkNotBuilt("keepdims");
    this.keepdims = keepdims;
    return this;
  }

  @Override
  protected void validateInput(Shape shape) {
    requireRank(shape, 3);
  }

  @Override
  protected Operand<TFloat32> call(Operand<TFloat32> input, boolean training) {
    Ops tf = tf();
    Operand<TBool> mask = maskOf(input);
    if (mask == null) {
      return tf.math.mean(input, tf.constant(1), Mean.keepDims(keepdims));
    }
    Operand<TFloat32> weights = tf.expandDims(tf.dtypes.cast(mask, TFloat32.class), tf.constant(2));
    Operand<TFloat32> sum = tf.reduceSum(tf.math.mul(input, weights), tf.constant(1), ReduceSum.keepDims(keepdims));
    return tf.math.div(sum, tf.reduceSum(weights, tf.constant(1), ReduceSum.keepDims(keepdims)));
  }
}
