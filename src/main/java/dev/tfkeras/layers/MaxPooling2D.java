package dev.tfkeras.layers;

import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/** Max pooling over {@code (batch, height, width, channels)} inputs; strides default to the pool size. */
public class MaxPooling2D extends Layer {

  private final int[] poolSize;
  private int[] strides;
  private Padding padding = Padding.VALID;

  /** A {@code 2 x 2} pool with stride 2, the Keras default. */
  public MaxPooling2D() {
    this(2);
  }

  /** A square pool whose stride equals its size. */
  public MaxPooling2D(int poolSize) {
    this(new int[] {poolSize, poolSize});
  }

  /** A {height, width} pool whose strides equal its size. */
  public MaxPooling2D(int[] poolSize) {
    this.poolSize = Pairs.positive("pool_size", poolSize);
    this.strides = this.poolSize;
  }

  /** Strides {height, width}; returns this. */
  public MaxPooling2D strides(int[] strides) {
    checkNotBuilt("strides");
    this.strides = Pairs.positive("strides", strides);
    return this;
  }

  /** {@link Padding#VALID} (default) or {@link Padding#SAME}; returns this. */
  public MaxPooling2D padding(Padding padding) {
    checkNotBuilt("padding");
    this.padding = Objects.requireNonNull(padding, "padding");
    return this;
  }

  @Override
  protected void validateInput(Shape shape) {
    requireRank(shape, 4);
  }

  @Override
  protected Operand<TFloat32> call(Operand<TFloat32> input, boolean training) {
    var tf = tf();
    return tf.nn.maxPool(
        input,
        tf.constant(new int[] {1, poolSize[0], poolSize[1], 1}),
        tf.constant(new int[] {1, strides[0], strides[1], 1}),
        padding.op());
  }
}
