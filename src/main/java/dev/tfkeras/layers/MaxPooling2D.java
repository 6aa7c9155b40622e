package dev.tfkeras.layers;

import dev.tfkeras.saving.Config;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** Max pooling over {@code (batch, height, width, channels)} inputs; strides default to the pool size. */
public class MaxPooling2D extends Pooling2D<MaxPooling2D> {

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
    super(poolSize);
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

  /** Keras's {@code MaxPooling2D.from_config}: an equal, unbuilt layer. */
  public static MaxPooling2D fromConfig(Config config) {
    MaxPooling2D layer = new MaxPooling2D(config.getInts("pool_size", 2, new int[] {2, 2}));
    return configured(layer.readPoolingSettings(config), config);
  }
}
