package dev.tfkeras.losses;

/**
 * How the weighted loss values are reduced to what a loss returns (Keras's {@code reduction}
 * argument).
 */
public enum Reduction {
  /**
   * The sum divided by the number of loss values (not by the sum of the weights): Keras's default,
   * {@code "sum_over_batch_size"}.
   */
  SUM_OVER_BATCH_SIZE,
  /** The sum of the weighted loss values, {@code "sum"}. */
  SUM,
  /** No reduction: the weighted loss values themselves, {@code "none"}. */
  NONE,
  /**
   * The sum divided by the sum of the sample weights, {@code "mean_with_sample_weight"}; without
   * weights, the same as {@link #SUM_OVER_BATCH_SIZE}.
   */
  MEAN_WITH_SAMPLE_WEIGHT;

  /** The name Keras knows this reduction by, e.g. {@code "sum_over_batch_size"}. */
  public String kerasName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * The reduction Keras knows by {@code name}: {@code "sum_over_batch_size"}, {@code "sum"},
   * {@code "none"} (or null) or {@code "mean_with_sample_weight"}.
   *
   * @throws IllegalArgumentException for another name, listing the known ones
   */
  public static Reduction get(String name) {
    if (name == null) {
      return NONE;
    }
    for (Reduction reduction : values()) {
      if (reduction.kerasName().equals(name)) {
        return reduction;
      }
    }
    throw new IllegalArgumentException(
        "Invalid value for argument `reduction`. Expected one of {'sum_over_batch_size', 'sum',"
            + " 'none', 'mean_with_sample_weight', None}. Received: reduction=" + name);
  }
}
