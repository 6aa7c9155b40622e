package dev.tfkeras.initializers;

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
}
