package dev.tfkeras.layers;

import dev.tfkeras.saving.Config;
import org.tensorflow.Operand;
import org.tensorflow.op.core.Max;
import org.tensorflow.types.TFloat32;

/**
 * The maximum of each channel over height and width: {@code (batch, h, w, c) -> (batch, c)}, or
 * {@code (batch, 1, 1, c)} with {@link #keepdims}.
 */
public class GlobalMaxPooling2D extends GlobalPooling<GlobalMaxPooling2D> {

  /** A layer pooling over the middle axes of a rank-4 input. */
  public GlobalMaxPooling2D() {
    super(4);
  }

  @Override
  protected Operand<TFloat32> call(Operand<TFloat32> input, boolean training) {
    var tf = tf();
    return tf.max(input, pooledAxes(tf), Max.keepDims(keepsDims()));
  }

  /** Keras's {@code GlobalMaxPooling2D.from_config}: an equal, unbuilt layer. */
  public static GlobalMaxPooling2D fromConfig(Config config) {
    return configured(new GlobalMaxPooling2D().readPoolingSettings(config), config);
  }
}
