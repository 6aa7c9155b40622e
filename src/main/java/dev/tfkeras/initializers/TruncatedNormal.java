package dev.tfkeras.initializers;

import dev.tfkeras.saving.Config;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras's {@code TruncatedNormal}: samples N(mean, stddev²), redrawing values more than two {@code
 * stddev} from the mean; Keras's defaults mean 0, stddev 0.05 ({@code stddev} is before
 * truncation).
 */
public final class TruncatedNormal implements Initializer {

  private final double mean;
  private final double stddev;
  private final Long seed;

  /** Mean 0, stddev 0.05, seeded from the runtime. */
  public TruncatedNormal() {
    this(0.0, 0.05);
  }

  /** Seeded from the runtime, so two weights never start identical. */
  public TruncatedNormal(double mean, double stddev) {
    this(mean, stddev, null);
  }

  /** Reproducible: the same seed gives the same values for the same shape. */
  public TruncatedNormal(double mean, double stddev, long seed) {
    this(mean, stddev, Long.valueOf(seed));
  }

  private TruncatedNormal(double mean, double stddev, Long seed) {
    this.mean = mean;
    this.stddev = stddev;
    this.seed = seed;
  }

  @Override
  public Operand<TFloat32> create(Ops tf, Shape shape, long runtimeSeed) {
    return Sampling.truncatedNormal(tf, shape, seed != null ? seed : runtimeSeed, mean, stddev);
  }

  @Override
  public String toString() {
    return "TruncatedNormal(mean=" + mean + ", stddev=" + stddev + (seed == null ? "" : ", seed=" + seed) + ")";
  }

  /** Keras's config: {@code seed}, {@code mean}, {@code stddev}. */
  @Override
  public Config getConfig() {
    return new Config().put("seed", seed).put("mean", mean).put("stddev", stddev);
  }

  /** Keras's {@code TruncatedNormal.from_config}, with Keras's defaults (mean 0.0, stddev 0.05). */
  public static TruncatedNormal fromConfig(Config config) {
    Long seed = config.getLongOrNull("seed");
    double mean = config.getDouble("mean", 0.0);
    double stddev = config.getDouble("stddev", 0.05);
    config.checkAllRead();
    return new TruncatedNormal(mean, stddev, seed);
  }
}
