package dev.tfkeras.initializers;

import dev.tfkeras.saving.Config;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** All zeros: the default for biases. */
public final class Zeros implements Initializer {

  @Override
  public Operand<TFloat32> create(Ops tf, Shape shape, long seed) {
    return tf.zeros(tf.constant(shape.asArray()), TFloat32.class);
  }

  @Override
  public String toString() {
    return "Zeros";
  }

  /** Keras's config: empty. */
  @Override
  public Config getConfig() {
    return new Config();
  }

  /** Keras's {@code Zeros.from_config}: no keys. */
  public static Zeros fromConfig(Config config) {
    config.checkAllRead();
    return new Zeros();
  }
}
