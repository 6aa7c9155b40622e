package dev.tfkeras.initializers;

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
}
