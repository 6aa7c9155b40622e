package dev.tfkeras.initializers;

import dev.tfkeras.saving.Config;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Keras's {@code RandomUniform}: samples U[minval, maxval); Keras's defaults -0.05 and 0.05. */
public final class RandomUniform implements Initializer {

  private final double minval;
  private final double maxval;
  private final Long seed;

  /** U[-0.05, 0.05), seeded from the runtime. */
  public RandomUniform() {
    this(-0.05, 0.05);
  }

  /** Seeded from the runtime, so two weights never start identical. */
  public RandomUniform(double minval, double maxval) {
    this(minval, maxval, null);
  }

  /** Reproducible: the same seed gives the same values for the same shape. */
  public RandomUniform(double minval, double maxval, long seed) {
    this(minval, maxval, Long.valueOf(seed));
  }

  private RandomUniform(double minval, double maxval, Long seed) {
    if (!(minval <= maxval)) {
      throw new IllegalArgumentException(
          "RandomUniform needs minval <= maxval. Received: minval=" + minval + ", maxval=" + maxval);
    }
    this.minval = minval;
    this.maxval = maxval;
    this.seed = seed;
  }

  @Override
  public Operand<TFloat32> create(Ops tf, Shape shape, long runtimeSeed) {
    return Sampling.uniform(tf, shape, seed != null ? seed : runtimeSeed, minval, maxval);
  }

  @Override
  public String toString() {
    return "RandomUniform(minval=" + minval + ", maxval=" + maxval + (seed == null ? "" : ", seed=" + seed) + ")";
  }

  /** Keras's config: {@code seed}, {@code minval}, {@code maxval}. */
  @Override
  public Config getConfig() {
    return new Config().put("seed", seed).put("minval", minval).put("maxval", maxval);
  }

  /** Keras's {@code RandomUniform.from_config}, with Keras's defaults (minval -0.05, maxval 0.05). */
  public static RandomUniform fromConfig(Config config) {
    Long seed = config.getLongOrNull("seed");
    double minval = config.getDouble("minval", -0.05);
    double maxval = config.getDouble("maxval", 0.05);
    config.checkAllRead();
    return new RandomUniform(minval, maxval, seed);
  }
}
