package dev.tfkeras.initializers;

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
}
