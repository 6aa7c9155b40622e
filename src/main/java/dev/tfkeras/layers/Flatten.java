package dev.tfkeras.layers;

import dev.tfkeras.saving.Config;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Flattens every axis but the batch axis: {@code (N, 26, 26, 32) -> (N, 21632)}; {@code (N,)}
 * becomes {@code (N, 1)}. As in Keras, unknown non-batch sizes are allowed and leave the flattened
 * size unknown: {@code (None, None, 8) -> (None, None)}; a known batch size is kept: {@code (5, 2,
 * None) -> (5, None)}.
 */
public class Flatten extends Layer {

  @Override
  protected void validateInput(Shape shape) {
    requireMinRank(shape, 1);
  }

  @Override
  protected Operand<TFloat32> call(Operand<TFloat32> input, boolean training) {
    var tf = tf();
    Shape shape = input.shape();
    long features = 1;
    for (int i = 1; i < shape.numDimensions(); i++) {
      long d = shape.get(i);
      features = d == Shape.UNKNOWN_SIZE || features == -1 ? -1 : features * d;
    }
    if (features > 0) {
      return tf.reshape(input, tf.constant(new long[] {-1, features}));
    }
    long batchSize = shape.get(0);
    if (batchSize > 0) {
      // a static batch size stays static, as Keras: (5, 2, None) -> (5, None)
      return tf.reshape(input, tf.constant(new long[] {batchSize, features}));
    }
    // (batch, -1) with the batch size read at run time: -1 then stands for the unknown product
    Operand<TInt64> batch =
        tf.slice(tf.shape(input, TInt64.class), tf.constant(new long[] {0}), tf.constant(new long[] {1}));
    return tf.reshape(
        input, tf.concat(List.of(batch, tf.constant(new long[] {features == 0 ? 0 : -1})), tf.constant(0)));
  }

  /** Keras's {@code Flatten.get_config}: {@code data_format} {@code "channels_last"}. */
  @Override
  public Config getConfig() {
    return super.getConfig().put("data_format", "channels_last");
  }

  /** Keras's {@code Flatten.from_config}. */
  public static Flatten fromConfig(Config config) {
    Configs.channelsLast(config);
    return configured(new Flatten(), config);
  }
}
