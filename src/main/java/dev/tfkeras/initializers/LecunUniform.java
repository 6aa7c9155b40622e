package dev.tfkeras.initializers;

import dev.tfkeras.saving.Config;
/**
 * Keras's {@code LecunUniform}: uniform on {@code [-limit, limit]} with {@code limit = sqrt(3 /
 * fanIn)}.
 */
public final class LecunUniform extends VarianceScaling {

  /** Seeded from the runtime, so two weights never start identical. */
  public LecunUniform() {
    super(1.0, Mode.FAN_IN, Distribution.UNIFORM, null);
  }

  /** Reproducible: the same seed gives the same values for the same shape. */
  public LecunUniform(long seed) {
    super(1.0, Mode.FAN_IN, Distribution.UNIFORM, seed);
  }

  /** Keras's config: {@code seed} (null when drawn from the runtime). */
  @Override
  public Config getConfig() {
    return new Config().put("seed", seed());
  }

  /** Keras's {@code LecunUniform.from_config}: {@code seed}; {@code input_axes}/{@code output_axes} null only. */
  public static LecunUniform fromConfig(Config config) {
    Long seed = config.getLongOrNull("seed");
    config.requireDefault("input_axes", "output_axes");
    config.checkAllRead();
    return seed == null ? new LecunUniform() : new LecunUniform(seed);
  }
}
