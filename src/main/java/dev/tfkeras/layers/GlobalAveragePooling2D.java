package dev.tfkeras.layers;

import dev.tfkeras.saving.Config;
import org.tensorflow.Operand;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;

/**
 * The mean of each channel over height and width: {@code (batch, h, w, c) -> (batch, c)}, or
 * {@code (batch, 1, 1, c)} with {@link #keepdims}.
 */
public class GlobalAveragePooling2D extends GlobalPooling<GlobalAveragePooling2D> {

  /** A layer pooling over the middle axes of a rank-4 input. */
  public GlobalAveragePooling2D() {
    super(4);
  }

  @Override
  protected Operand<TFloat32> call(Operand<TFloat32> input, boolean training) {
    var tf = tf();
    return tf.math.mean(input, pooledAxes(tf), Mean.keepDims(keepsDims()));
  }

  /** Keras's {@code GlobalAveragePooling2D.from_config}: an equal, unbuilt layer. */
  public static GlobalAveragePooling2D fromConfig(Config config) {
    return configured(new GlobalAveragePooling2D().readPoolingSettings(config), config);
  }
}
