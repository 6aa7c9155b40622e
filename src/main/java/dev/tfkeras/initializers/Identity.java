package dev.tfkeras.initializers;

import dev.tfkeras.saving.Config;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras's {@code Identity}: {@code gain} times the identity matrix, for 2-D weights (a non-square
 * shape gets ones on its leading diagonal).
 */
public final class Identity implements Initializer {

  private final float gain;

  /** Gain 1. */
  public Identity() {
    this(1f);
  }

  /** An identity matrix times {@code gain}. */
  public Identity(double gain) {
    this.gain = (float) gain;
  }

  @Override
  public Operand<TFloat32> create(Ops tf, Shape shape, long seed) {
    if (shape.numDimensions() != 2) {
      throw new IllegalArgumentException(
          "Identity matrix initializer can only be used for 2D matrices. Received: shape="
              + dev.tfkeras.layers.Layer.format(shape) + " of rank " + shape.numDimensions() + ".");
    }
    int rows = (int) shape.get(0);
    int cols = (int) shape.get(1);
    float[] values = new float[rows * cols];
    for (int i = 0; i < Math.min(rows, cols); i++) {
      values[i * cols + i] = gain;
    }
    return tf.constant(shape, DataBuffers.of(values, true, false));
  }

  @Override
  public String toString() {
    return "Identity(gain=" + gain + ")";
  }

  /** Keras's config: {@code gain}. */
  @Override
  public Config getConfig() {
    return new Config().put("gain", gain);
  }

  /** Keras's {@code Identity.from_config}, gain 1 by default. */
  public static Identity fromConfig(Config config) {
    double gain = config.getDouble("gain", 1.0);
    config.checkAllRead();
    return new Identity(gain);
  }
}
