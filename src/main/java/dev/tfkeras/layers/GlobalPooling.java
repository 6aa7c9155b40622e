package dev.tfkeras.layers;

import dev.tfkeras.saving.Config;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt32;

/**
 * Base of the global pooling layers: one value per channel over every axis between batch and
 * channels, dropping those axes unless {@link #keepdims} keeps them with size 1.
 *
 * @param <L> the concrete layer, returned by {@link #keepdims}
 */
public abstract class GlobalPooling<L extends GlobalPooling<L>> extends Layer {

  private final int rank;
  private boolean keepdims;

  /** @param rank the input rank: 3 for steps, 4 for height and width */
  GlobalPooling(int rank) {
    this.rank = rank;
  }

  /** Whether to keep the pooled axes, with size 1 (default false); returns this. */
  @SuppressWarnings("unchecked")
  public L keepdims(boolean keepdims) {
    checkNotBuilt("keepdims");
    this.keepdims = keepdims;
    return (L) this;
  }

  /** Whether the pooled axes are kept. */
  protected final boolean keepsDims() {
    return keepdims;
  }

  /** The pooled axes, {@code [1]} or {@code [1, 2]}. */
  protected final Operand<TInt32> pooledAxes(Ops tf) {
    int[] axes = new int[rank - 2];
    for (int i = 0; i < axes.length; i++) {
      axes[i] = i + 1;
    }
    return tf.constant(axes);
  }

  @Override
  protected void validateInput(Shape shape) {
    requireRank(shape, rank);
  }

  /** Whether the pooled axes are kept (Keras's {@code keepdims}). */
  public boolean keepdims() {
    return keepdims;
  }

  /** Keras's {@code BaseGlobalPooling.get_config}: {@code data_format}, {@code keepdims}. */
  @Override
  public Config getConfig() {
    return super.getConfig().put("data_format", "channels_last").put("keepdims", keepdims);
  }

  /** Reads the keys of {@link #getConfig()}; returns this. */
  final L readPoolingSettings(Config config) {
    Configs.channelsLast(config);
    return keepdims(config.getBoolean("keepdims", false));
  }
}
