package dev.tfkeras.initializers;

import dev.tfkeras.saving.Config;
import java.util.Arrays;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Fixed values given in row-major order, or one value repeated: for tests and known weights. */
public final class Constant implements Initializer {

  private final float[] values;

  private Constant(float[] values) {
    this.values = values;
  }

  /** Every element equals {@code value}. */
  public static Constant of(double value) {
    return new Constant(new float[] {(float) value});
  }

  /** The weight takes exactly these values, in row-major order. */
  public static Constant values(float... values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("Constant.values needs at least one value, received none.");
    }
    return new Constant(values.clone());
  }

  @Override
  public Operand<TFloat32> create(Ops tf, Shape shape, long seed) {
    if (values.length == 1) {
      return tf.fill(tf.constant(shape.asArray()), tf.constant(values[0]));
    }
    if (values.length != shape.size()) {
      throw new IllegalArgumentException(
          "Constant initializer holds " + values.length + " values but the weight of shape "
              + shape + " needs " + shape.size() + ".");
    }
    return tf.constant(shape, DataBuffers.of(values, true, false));
  }

  @Override
  public String toString() {
    return "Constant" + (values.length == 1 ? "(" + values[0] + ")" : Arrays.toString(values));
  }

  /** Keras's config: {@code value}, a number (or, for fixed values, the list of them). */
  @Override
  public Config getConfig() {
    return new Config().put("value", values.length == 1 ? (Object) values[0] : values);
  }

  /** Keras's {@code Constant.from_config}: {@code value} a number (default 0) or a list of numbers. */
  public static Constant fromConfig(Config config) {
    double[] value = config.getDoubles("value");
    config.checkAllRead();
    if (value == null) {
      return of(0.0);
    }
    if (value.length == 1) {
      return of(value[0]);
    }
    float[] values = new float[value.length];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) value[i];
    }
    return values(values);
  }
}
