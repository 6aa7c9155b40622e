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
  MEAN_WITH_SAMPLE_WEIGHT
}
