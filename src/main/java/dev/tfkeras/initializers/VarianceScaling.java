package dev.tfkeras.initializers;

import dev.tfkeras.saving.Config;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras's {@code VarianceScaling}: samples whose variance is {@code scale / n}, where {@code n} is
 * the fan-in, the fan-out or their average ({@link GlorotUniform#fans}). Truncated normal samples
 * use {@code stddev = sqrt(scale / n) / 0.87962566103423978} before truncation at two standard
 * deviations (so the variance after truncation is {@code scale / n}); untruncated normal samples
 * {@code sqrt(scale / n)}; uniform samples {@code [-limit, limit]} with {@code limit = sqrt(3 scale
 * / n)}. Written on TensorFlow's raw random ops (the framework's version samples uniform over
 * {@code [0, limit)}).
 */
public class VarianceScaling implements Initializer {

  /** Which fan divides the scale. */
  public enum Mode {
    FAN_IN,
    FAN_OUT,
    FAN_AVG
  }

  /** The distribution sampled. */
  public enum Distribution {
    TRUNCATED_NORMAL,
    UNTRUNCATED_NORMAL,
    UNIFORM
  }

  /** The standard deviation of a standard normal truncated to [-2, 2]. */
  static final double TRUNCATED_STDDEV = 0.87962566103423978;

  private final double scale;
  private final Mode mode;
  private final Distribution distribution;
  private final Long seed;

  /** Keras's defaults: scale 1, fan-in, truncated normal; seeded from the runtime. */
  public VarianceScaling() {
    this(1.0, Mode.FAN_IN, Distribution.TRUNCATED_NORMAL);
  }

  /** Seeded from the runtime, so two weights never start identical. */
  public VarianceScaling(double scale, Mode mode, Distribution distribution) {
    this(scale, mode, distribution, null);
  }

  /** Reproducible: the same seed gives the same values for the same shape. */
  public VarianceScaling(double scale, Mode mode, Distribution distribution, long seed) {
    this(scale, mode, distribution, Long.valueOf(seed));
  }

  VarianceScaling(double scale, Mode mode, Distribution distribution, Long seed) {
    if (!(scale > 0) || Double.isInfinite(scale)) {
      throw new IllegalArgumentException(
          "Argument `scale` must be positive float. Received: scale=" + scale);
    }
    this.scale = scale;
    this.mode = Objects.requireNonNull(mode, "mode");
    this.distribution = Objects.requireNonNull(distribution, "distribution");
    this.seed = seed;
  }

  /** {@code scale / max(1, n)} for this shape: the variance of the samples. */
  public double variance(Shape shape) {
    long[] fans = GlorotUniform.fans(shape);
    double n =
        switch (mode) {
          case FAN_IN -> fans[0];
          case FAN_OUT -> fans[1];
          case FAN_AVG -> (fans[0] + fans[1]) / 2.0;
        };
    return scale / Math.max(1.0, n);
  }

  @Override
  public Operand<TFloat32> create(Ops tf, Shape shape, long runtimeSeed) {
    long s = seed != null ? seed : runtimeSeed;
    double variance = variance(shape);
    return switch (distribution) {
      case TRUNCATED_NORMAL ->
          Sampling.truncatedNormal(tf, shape, s, 0, Math.sqrt(variance) / TRUNCATED_STDDEV);
      case UNTRUNCATED_NORMAL -> Sampling.normal(tf, shape, s, 0, Math.sqrt(variance));
      case UNIFORM -> {
        double limit = Math.sqrt(3.0 * variance);
        yield Sampling.uniform(tf, shape, s, -limit, limit);
      }
    };
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "(scale=" + scale + ", mode=" + mode + ", distribution="
        + distribution + (seed == null ? "" : ", seed=" + seed) + ")";
  }

  /** The fixed seed, or null when drawn from the runtime. */
  Long seed() {
    return seed;
  }

  /**
   * Keras's config: {@code seed}, {@code scale}, {@code mode}, {@code distribution} ({@code
   * "fan_in"}, {@code "truncated_normal"}...); subclasses with fixed settings write only their seed.
   */
  @Override
  public Config getConfig() {
    return new Config()
        .put("seed", seed)
        .put("scale", scale)
        .put("mode", mode)
        .put("distribution", distribution);
  }

  /** Keras's {@code VarianceScaling.from_config}, with Keras's defaults. */
  public static VarianceScaling fromConfig(Config config) {
    Long seed = config.getLongOrNull("seed");
    double scale = config.getDouble("scale", 1.0);
    Mode mode = parse(Mode.class, config, "mode", "fan_in");
    Distribution distribution = parse(Distribution.class, config, "distribution", "truncated_normal");
    config.requireDefault("input_axes", "output_axes");
    config.checkAllRead();
    return new VarianceScaling(scale, mode, distribution, seed);
  }

  private static <E extends Enum<E>> E parse(Class<E> type, Config config, String key, String defaultValue) {
    String value = config.getString(key, defaultValue);
    // Keras accepts "normal" as "truncated_normal" (keras/src/initializers/random_initializers.py)
    String name = value.equals("normal") ? "truncated_normal" : value;
    for (E e : type.getEnumConstants()) {
      if (e.name().equalsIgnoreCase(name)) {
        return e;
      }
    }
    throw config.invalid(key, "one of " + java.util.Arrays.stream(type.getEnumConstants())
        .map(e -> "'" + e.name().toLowerCase(java.util.Locale.ROOT) + "'").toList());
  }
}
