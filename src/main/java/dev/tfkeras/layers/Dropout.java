package dev.tfkeras.layers;

import dev.tfkeras.saving.Config;
import org.tensorflow.Operand;
import org.tensorflow.op.random.RandomUniform;
import org.tensorflow.types.TFloat32;

/**
 * Randomly zeroes a fraction {@code rate} of the inputs during training and scales the rest by
 * {@code 1 / (1 - rate)}; the identity at inference.
 */
public class Dropout extends Layer {

  private final float rate;
  private final Long seed;

  /** @param rate fraction to drop, in [0, 1) */
  public Dropout(double rate) {
    this(rate, null);
  }

  /** Reproducible dropout masks for a given seed. */
  public Dropout(double rate, long seed) {
    this(rate, Long.valueOf(seed));
  }

  private Dropout(double requested, Long seed) {
    float rate = (float) requested;
    if (!(rate >= 0f && rate < 1f)) {
      throw new IllegalArgumentException(
          "Invalid value received for argument `rate`. Expected a float value between 0 and 1"
              + " (1 excluded). Received: rate=" + rate);
    }
    this.rate = rate;
    this.seed = seed;
  }

  /** The fraction dropped during training. */
  public float rate() {
    return rate;
  }

  @Override
  protected Operand<TFloat32> call(Operand<TFloat32> input, boolean training) {
    if (!training || rate == 0f) {
      return input;
    }
    var tf = tf();
    long s = seed != null ? seed : runtime().nextSeed();
    Operand<TFloat32> noise =
        tf.random.randomUniform(
            tf.shape(input), TFloat32.class, RandomUniform.seed(s), RandomUniform.seed2(s ^ 0x5DEECE66DL | 1));
    Operand<TFloat32> keep = tf.dtypes.cast(tf.math.greaterEqual(noise, tf.constant(rate)), TFloat32.class);
    return tf.math.mul(input, tf.math.mul(keep, tf.constant(1f / (1f - rate))));
  }

  /** The seed of the dropout masks, or null when unseeded. */
  public Long seed() {
    return seed;
  }

  /** Keras's {@code Dropout.get_config}: {@code rate}, {@code seed} (null when unseeded), {@code noise_shape} (null). */
  @Override
  public Config getConfig() {
    return super.getConfig().put("rate", rate).put("seed", seed).putNull("noise_shape");
  }

  /** Keras's {@code Dropout.from_config}; a {@code noise_shape} is refused (tfkeras drops each value alone). */
  public static Dropout fromConfig(Config config) {
    double rate = config.getDouble("rate", 0);
    Long seed = config.getLongOrNull("seed");
    config.requireDefault("noise_shape");
    return configured(seed == null ? new Dropout(rate) : new Dropout(rate, seed), config);
  }
}
