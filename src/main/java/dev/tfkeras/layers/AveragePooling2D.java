package dev.tfkeras.layers;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * Average pooling over {@code (batch, height, width, channels)} inputs; strides default to the pool
 * size. With SAME padding a window at the border averages only the pixels it covers, as
 * TensorFlow's (and so Keras's) average pooling does.
 */
public class AveragePooling2D extends Layer {

  private final int[] poolSize;
  private int[] strides;
  private Padding padding = Padding.VALID;

  /** A square pool whose stride equals its size. */
  public AveragePooling2D(int poolSize) {
    this(Pairs.twice(poolSize));
  }

  /** A {height, width} pool whose strides equal its size. */
  public AveragePooling2D(int[] poolSize) {
    this.poolSize = Pairs.positive("pool_size", poolSize);
    this.strides = this.poolSize;
  }

  /** Same stride on both axes; returns this. */
  public AveragePooling2D strides(int stride) {
    return strides(Pairs.twice(stride));
  }

  /** Strides {height, width}; returns this. */
  public AveragePooling2D strides(int[] strides) {
    checkNotBuilt("strides");
    this.strides = Pairs.positive("strides", strides);
    return this;
  }

  /** {@link Padding#VALID} (default) or {@link Padding#SAME}; returns this. */
  public AveragePooling2D padding(Padding padding) {
    checkNotBuilt("padding");
    this.padding = Objects.requireNonNull(padding, "padding");
    return this;
  }

  @Override
  protected void validateInput(Shape shape) {
    requireRank(shape, 4);
    for (int axis = 1; axis <= 2; axis++) {
      long size = shape.get(axis);
      if (padding == Padding.VALID && size != Shape.UNKNOWN_SIZE && size < poolSize[axis - 1]) {
        throw new IllegalArgumentException(
            "Computed output size would be zero or negative. Received: `inputs.shape="
                + format(shape) + "`, `pool_size=" + Arrays.toString(poolSize) + "`, `strides="
                + Arrays.toString(strides) + "`, `padding=valid`.");
      }
    }
  }

  @Override
  protected Operand<TFloat32> call(Operand<TFloat32> input, boolean training) {
    return tf().nn.avgPool(
        input,
        List.of(1L, (long) poolSize[0], (long) poolSize[1], 1L),
        List.of(1L, (long) strides[0], (long) strides[1], 1L),
        padding.op());
  }
}
