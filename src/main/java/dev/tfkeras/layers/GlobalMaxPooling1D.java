package dev.tfkeras.layers;

import dev.tfkeras.saving.Config;
import org.tensorflow.Operand;
import org.tensorflow.op.core.Max;
import org.tensorflow.types.TFloat32;

/**
 * Keras's {@code GlobalMaxPooling1D}: the maximum over the steps of {@code (batch, steps,
 * features)}, giving {@code (batch, features)} ({@code (batch, 1, features)} with {@link
 * #keepdims}). Like Keras, it ignores masks.
 */
public class GlobalMaxPooling1D extends GlobalPooling<GlobalMaxPooling1D> {

  /** A layer pooling over the middle axes of a rank-3 input. */
  public GlobalMaxPooling1D() {
    super(3);
  }

  @Override
  protected Operand<TFloat32> call(Operand<TFloat32> input, boolean training) {
    var tf = tf();
    return tf.max(input, pooledAxes(tf), Max.keepDims(keepsDims()));
  }

  /** Keras's {@code GlobalMaxPooling1D.from_config}: an equal, unbuilt layer. */
  public static GlobalMaxPooling1D fromConfig(Config config) {
    return configured(new GlobalMaxPooling1D().readPoolingSettings(config), config);
  }
}
