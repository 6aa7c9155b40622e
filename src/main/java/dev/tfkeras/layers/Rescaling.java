package dev.tfkeras.layers;

import dev.tfkeras.saving.Config;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * {@code input · scale + offset} in float32, for inputs of any numeric dtype: {@code new
 * Rescaling(1 / 255.0)} maps uint8 pixels to [0, 1], {@code new Rescaling(1 / 127.5, -1)} to [-1,
 * 1].
 */
public class Rescaling extends Layer {

  private final double scale;
  private final double offset;

  /** Multiplies by {@code scale}. */
  public Rescaling(double scale) {
    this(scale, 0);
  }

  /** Multiplies by {@code scale}, then adds {@code offset}. */
  public Rescaling(double scale, double offset) {
    this.scale = scale;
    this.offset = offset;
  }

  @Override
  protected boolean supportsMasking() {
    return true;
  }

  @Override
  protected Operand<TFloat32> call(Operand<TFloat32> input, boolean training) {
    var tf = tf();
    return tf.math.add(tf.math.mul(input, tf.constant((float) scale)), tf.constant((float) offset));
  }

  /** The factor inputs are multiplied by. */
  public double scale() {
    return scale;
  }

  /** The offset added after scaling. */
  public double offset() {
    return offset;
  }

  /** Keras's {@code Rescaling.get_config}: {@code scale}, {@code offset}. */
  @Override
  public Config getConfig() {
    return super.getConfig().put("scale", scale).put("offset", offset);
  }

  /** Keras's {@code Rescaling.from_config}: scalar {@code scale} and {@code offset}. */
  public static Rescaling fromConfig(Config config) {
    for (String key : new String[] {"scale", "offset"}) {
      if (config.containsKey(key) && !(config.get(key) instanceof Number)) {
        throw config.invalid(key, "a number (tfkeras's Rescaling takes scalars, not per-channel arrays)");
      }
    }
    return configured(new Rescaling(config.getDouble("scale", 1), config.getDouble("offset", 0)), config);
  }
}
