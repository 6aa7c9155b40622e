package dev.tfkeras.layers;

import dev.tfkeras.saving.Config;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * Keras's {@code GlobalAveragePooling1D}: the mean over the steps of {@code (batch, steps,
 * features)}, giving {@code (batch, features)} ({@code (batch, 1, features)} with {@link
 * #keepdims}). With a Keras mask on the input (from {@code Embedding.maskZero}) only the real steps
 * count, as in Keras.
 */
public class GlobalAveragePooling1D extends GlobalPooling<GlobalAveragePooling1D> {

  /** A layer pooling over the middle axes of a rank-3 input. */
  public GlobalAveragePooling1D() {
    super(3);
  }

  @Override
  protected Operand<TFloat32> call(Operand<TFloat32> input, boolean training) {
    Ops tf = tf();
    Operand<TBool> mask = maskOf(input);
    if (mask == null) {
      return tf.math.mean(input, pooledAxes(tf), Mean.keepDims(keepsDims()));
    }
    Operand<TFloat32> weights = tf.expandDims(tf.dtypes.cast(mask, TFloat32.class), tf.constant(2));
    Operand<TFloat32> sum = tf.reduceSum(tf.math.mul(input, weights), tf.constant(1), ReduceSum.keepDims(keepsDims()));
    return tf.math.div(sum, tf.reduceSum(weights, tf.constant(1), ReduceSum.keepDims(keepsDims())));
  }

  /** Keras's {@code GlobalAveragePooling1D.from_config}: an equal, unbuilt layer. */
  public static GlobalAveragePooling1D fromConfig(Config config) {
    return configured(new GlobalAveragePooling1D().readPoolingSettings(config), config);
  }
}
