package dev.tfkeras.initializers;

import dev.tfkeras.saving.Config;
/**
 * Keras's {@code GlorotNormal} (Xavier normal): truncated normal with variance {@code 2 / (fanIn +
 * fanOut)}.
 */
public final class GlorotNormal extends VarianceScaling {

  /** Seeded from the runtime, so two weights never start identical. */
  public GlorotNormal() {
    super(1.0, Mode.FAN_AVG, Distribution.TRUNCATED_NORMAL, null);
  }

  /** Reproducible: the same seed gives the same values for the same shape. */
  public GlorotNormal(long seed) {
    super(1.0, Mode.FAN_AVG, Distribution.TRUNCATED_NORMAL, seed);
  }

  /** Keras's config: {@code seed} (null when drawn from the runtime). */
  @Override
  public Config getConfig() {
    return new Config().put("seed", seed());
  }

  /** Keras's {@code GlorotNormal.from_config}: {@code seed}; {@code input_axes}/{@code output_axes} null only. */
  public static GlorotNormal fromConfig(Config config) {
    Long seed = config.getLongOrNull("seed");
    config.requireDefault("input_axes", "output_axes");
    config.checkAllRead();
    return seed == null ? new GlorotNormal() : new GlorotNormal(seed);
  }
}
