package dev.tfkeras.initializers;

import dev.tfkeras.saving.Config;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.random.RandomUniform;
import org.tensorflow.types.TFloat32;

/**
 * Glorot (Xavier) uniform: samples U[-limit, limit] with {@code limit = sqrt(6 / (fanIn +
 * fanOut))}, the Keras default for kernels.
 *
 * <p>Written here rather than taken from tensorflow-framework, whose variance-scaling uniform
 * samples U[0, limit), counts convolution input channels twice and reuses seed 0 for every
 * unseeded weight.
 */
public final class GlorotUniform implements Initializer {

  private final Long seed;

  /** Draws its seed from the runtime, so two weights never start identical. */
  public GlorotUniform() {
    this.seed = null;
  }

  /** Reproducible: the same seed gives the same values for the same shape. */
  public GlorotUniform(long seed) {
    this.seed = seed;
  }

  /** The sampling limit for a weight of this shape. */
  public static double limit(Shape shape) {
    long[] fans = fans(shape);
    return Math.sqrt(6.0 / (fans[0] + fans[1]));
  }

  /**
   * Fan-in and fan-out as Keras computes them: a kernel {@code [..., in, out]} has {@code fanIn =
   * in * receptiveField} and {@code fanOut = out * receptiveField}, where the receptive field is
   * the product of the leading (spatial) dimensions.
   */
  public static long[] fans(Shape shape) {
    int rank = shape.numDimensions();
    if (rank == 0) {
      return new long[] {1, 1};
    }
    if (rank == 1) {
      return new long[] {shape.get(0), shape.get(0)};
    }
    long receptive = 1;
    for (int i = 0; i < rank - 2; i++) {
      receptive *= shape.get(i);
    }
    return new long[] {shape.get(rank - 2) * receptive, shape.get(rank - 1) * receptive};
  }

  @Override
  public Operand<TFloat32> create(Ops tf, Shape shape, long runtimeSeed) {
    long s = seed != null ? seed : runtimeSeed;
    float limit = (float) limit(shape);
    Operand<TFloat32> unit =
        tf.random.randomUniform(
            tf.constant(shape.asArray()),
            TFloat32.class,
            RandomUniform.seed(s == 0 ? 1 : s),
            RandomUniform.seed2(s * 0x9E3779B97F4A7C15L | 1));
    // U[0, 1) * 2 limit - limit = U[-limit, limit)
    return tf.math.sub(tf.math.mul(unit, tf.constant(2f * limit)), tf.constant(limit));
  }

  @Override
  public String toString() {
    return seed == null ? "GlorotUniform" : "GlorotUniform(seed=" + seed + ")";
  }

  /** Keras's config: {@code seed} (null when drawn from the runtime). */
  @Override
  public Config getConfig() {
    return new Config().put("seed", seed);
  }

  /** Keras's {@code GlorotUniform.from_config}: {@code seed}; {@code input_axes}/{@code output_axes} null only. */
  public static GlorotUniform fromConfig(Config config) {
    Long seed = config.getLongOrNull("seed");
    config.requireDefault("input_axes", "output_axes");
    config.checkAllRead();
    return seed == null ? new GlorotUniform() : new GlorotUniform(seed);
  }
}
