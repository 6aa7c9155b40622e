package dev.tfkeras.initializers;

import dev.tfkeras.saving.Config;
/**
 * Keras's {@code HeNormal}: truncated normal with variance {@code 2 / fanIn} (stddev {@code sqrt(2
 * / fanIn)} after truncation), for ReLU layers.
 */
public final class HeNormal extends VarianceScaling {

  /** Seeded from the runtime, so two weights never start identical. */
  public HeNormal() {
    super(2.0, Mode.FAN_IN, Distribution.TRUNCATED_NORMAL, null);
  }

  /** Reproducible: the same seed gives the same values for the same shape. */
  public HeNormal(long seed) {
    super(2.0, Mode.FAN_IN, Distribution.TRUNCATED_NORMAL, seed);
  }

  /** Keras's config: {@code seed} (null when drawn from the runtime). */
  @Override
  public Config getConfig() {
    return new Config().put("seed", seed());
  }

  /** Keras's {@code HeNormal.from_config}: {@code seed}; {@code input_axes}/{@code output_axes} null only. */
  public static HeNormal fromConfig(Config config) {
    Long seed = config.getLongOrNull("seed");
    config.requireDefault("input_axes", "output_axes");
    config.checkAllRead();
    return seed == null ? new HeNormal() : new HeNormal(seed);
  }
}
