package dev.tfkeras.initializers;

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
}
