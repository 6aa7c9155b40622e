package dev.tfkeras.layers;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;

/**
 * The mean of each channel over height and width: {@code (batch, h, w, c) -> (batch, c)}, or
 * {@code (batch, 1, 1, c)} with {@link #keepdims}.
 */
public class GlobalAveragePooling2D extends Layer {

  private boolean keepdims;

  /** Whether to keep the spatial axes with size 1 (default false); returns this. */
  public GlobalAveragePooling2D keepdims(boolean keepdims) {
    checkNotBuilt("keepdims");
    this.keepdims = keepdims;
    return this;
  }

  @Override
  protected void validateInput(Shape shape) {
    requireRank(shape, 4);
  }

  @Override
  protected Operand<TFloat32> call(Operand<TFloat32> input, boolean training) {
    var tf = tf();
    return tf.math.mean(input, tf.constant(new int[] {1, 2}), Mean.keepDims(keepdims));
  }
}
