package dev.tfkeras.initializers;

import dev.tfkeras.saving.Config;
/**
 * Keras's {@code LecunNormal}: truncated normal with variance {@code 1 / fanIn}, for SELU layers.
 */
public final class LecunNormal extends VarianceScaling {

  /** Seeded from the runtime, so two weights never start identical. */
  public LecunNormal() {
    super(1.0, Mode.FAN_IN, Distribution.TRUNCATED_NORMAL, null);
  }

  /** Reproducible: the same seed gives the same values for the same shape. */
  public LecunNormal(long seed) {
    super(1.0, Mode.FAN_IN, Distribution.TRUNCATED_NORMAL, seed);
  }

  /** Keras's config: {@code seed} (null when drawn from the runtime). */
  @Override
  public Config getConfig() {
    return new Config().put("seed", seed());
  }

  /** Keras's {@code LecunNormal.from_config}: {@code seed}; {@code input_axes}/{@code output_axes} null only. */
  public static LecunNormal fromConfig(Config config) {
    Long seed = config.getLongOrNull("seed");
    config.requireDefault("input_axes", "output_axes");
    config.checkAllRead();
    return seed == null ? new LecunNormal() : new LecunNormal(seed);
  }
}
