package dev.tfkeras.initializers;

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
}
