package dev.tfkeras.layers;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.core.Max;
import org.tensorflow.types.TFloat32;

/**
 * Keras's {@code GlobalMaxPooling1D}: the maximum over the steps of {@code (batch, steps,
 * features)}, giving {@code (batch, features)} ({@code (batch, 1, features)} with {@link
 * #keepdims}). Like Keras, it ignores masks.
 */
public class GlobalMaxPooling1D extends Layer {

  private boolean keepdims;

  /** Whether to keep the steps axis, of size 1 (default false); returns this. */
  public GlobalMaxPooling1D keepdims(boolean keepdims) {
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
    var tf = tf();
    return tf.max(input, tf.constant(1), Max.keepDims(keepdims));
  }
}
