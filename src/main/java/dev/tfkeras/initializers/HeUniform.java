package dev.tfkeras.initializers;

import dev.tfkeras.saving.Config;
/**
 * Keras's {@code HeUniform}: uniform on {@code [-limit, limit]} with {@code limit = sqrt(6 /
 * fanIn)}.
 */
public final class HeUniform extends VarianceScaling {

  /** Seeded from the runtime, so two weights never start identical. */
  public HeUniform() {
    super(2.0, Mode.FAN_IN, Distribution.UNIFORM, null);
  }

  /** Reproducible: the same seed gives the same values for the same shape. */
  public HeUniform(long seed) {
    super(2.0, Mode.FAN_IN, Distribution.UNIFORM, seed);
  }

  /** Keras's config: {@code seed} (null when drawn from the runtime). */
  @Override
  public Config getConfig() {
    return new Config().put("seed", seed());
  }

  /** Keras's {@code HeUniform.from_config}: {@code seed}; {@code input_axes}/{@code output_axes} null only. */
  public static HeUniform fromConfig(Config config) {
    Long seed = config.getLongOrNull("seed");
    config.requireDefault("input_axes", "output_axes");
    config.checkAllRead();
    return seed == null ? new HeUniform() : new HeUniform(seed);
  }
}
