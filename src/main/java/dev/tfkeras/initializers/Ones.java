package dev.tfkeras.initializers;

import dev.tfkeras.saving.Config;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** All ones, as Keras's {@code Ones}: e.g. a normalization layer's scale. */
public final class Ones implements Initializer {

  @Override
  public Operand<TFloat32> create(Ops tf, Shape shape, long seed) {
    return tf.fill(tf.constant(shape.asArray()), tf.constant(1f));
  }

  @Override
  public String toString() {
    return "Ones";
  }

  /** Keras's config: empty. */
  @Override
  public Config getConfig() {
    return new Config();
  }

  /** Keras's {@code Ones.from_config}: no keys. */
  public static Ones fromConfig(Config config) {
    config.checkAllRead();
    return new Ones();
  }
}
