package dev.tfkeras.layers;

import dev.tfkeras.saving.Config;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Average pooling over {@code (batch, height, width, channels)} inputs; strides default to the pool
 * size. With SAME padding a window at the border averages only the pixels it covers, as
 * TensorFlow's (and so Keras's) average pooling does.
 */
public class AveragePooling2D extends Pooling2D<AveragePooling2D> {

  /** A square pool whose stride equals its size. */
  public AveragePooling2D(int poolSize) {
    this(Pairs.twice(poolSize));
  }

  /** A {height, width} pool whose strides equal its size. */
  public AveragePooling2D(int[] poolSize) {
    super(poolSize);
  }

  @Override
  protected Operand<TFloat32> call(Operand<TFloat32> input, boolean training) {
    return tf().nn.avgPool(
        input,
        List.of(1L, (long) poolSize[0], (long) poolSize[1], 1L),
        List.of(1L, (long) strides[0], (long) strides[1], 1L),
        padding.op());
  }

  /** Keras's {@code AveragePooling2D.from_config}: an equal, unbuilt layer. */
  public static AveragePooling2D fromConfig(Config config) {
    AveragePooling2D layer = new AveragePooling2D(config.getInts("pool_size", 2, new int[] {2, 2}));
    return configured(layer.readPoolingSettings(config), config);
  }
}
