package dev.tfkeras.layers;

import dev.tfkeras.saving.Config;
import java.util.Arrays;
import java.util.Objects;
import org.tensorflow.ndarray.Shape;

/**
 * Settings shared by {@link MaxPooling2D} and {@link AveragePooling2D}, as Keras's {@code
 * BasePooling}: the pool size, strides (default: the pool size) and padding, over {@code (batch,
 * height, width, channels)} inputs.
 *
 * @param <L> the concrete layer, returned by the settings
 */
public abstract class Pooling2D<L extends Pooling2D<L>> extends Layer {

  final int[] poolSize;
  int[] strides;
  Padding padding = Padding.VALID;

  Pooling2D(int[] poolSize) {
    this.poolSize = Pairs.positive("pool_size", poolSize);
    this.strides = this.poolSize;
  }

  @SuppressWarnings("unchecked")
  private L self() {
    return (L) this;
  }

  /** Same stride on both axes; returns this. */
  public L strides(int stride) {
    return strides(Pairs.twice(stride));
  }

  /** Strides {height, width}; returns this. */
  public L strides(int[] strides) {
    checkNotBuilt("strides");
    this.strides = Pairs.positive("strides", strides);
    return self();
  }

  /** {@link #padding(Padding)} by Keras's name, {@code "valid"} or {@code "same"}; returns this. */
  public L padding(String padding) {
    return padding(Padding.of(padding, false));
  }

  /** {@link Padding#VALID} (default) or {@link Padding#SAME}; returns this. */
  public L padding(Padding padding) {
    checkNotBuilt("padding");
    this.padding = Objects.requireNonNull(padding, "padding");
    return self();
  }

  /** Rank 4, and with VALID padding at least one window per spatial axis (Keras's check). */
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

  /** Window {height, width} (Keras's {@code pool_size}). */
  public int[] poolSize() {
    return poolSize.clone();
  }

  /** Strides {height, width}; the pool size unless set. */
  public int[] strides() {
    return strides.clone();
  }

  /** The padding, {@link Padding#VALID} or {@link Padding#SAME}. */
  public Padding padding() {
    return padding;
  }

  /** Keras's {@code BasePooling.get_config}: {@code pool_size}, {@code padding}, {@code strides}, {@code data_format}. */
  @Override
  public Config getConfig() {
    return super.getConfig().put("pool_size", poolSize).put("padding", Configs.padding(padding))
        .put("strides", strides).put("data_format", "channels_last");
  }

  /** Reads the keys of {@link #getConfig()} but {@code pool_size}; strides null are the pool size. */
  final L readPoolingSettings(Config config) {
    Configs.channelsLast(config);
    int[] strides = config.getInts("strides", 2, null);
    if (strides != null) {
      strides(strides);
    }
    return padding(Configs.padding(config, false));
  }
}
