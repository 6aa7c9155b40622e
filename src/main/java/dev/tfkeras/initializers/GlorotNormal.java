package dev.tfkeras.initializers;

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
}
