package dev.tfkeras.losses;

/** How per-sample losses are reduced to the value a loss returns. */
public enum Reduction {
  /** The mean over all samples: Keras's default. */
  SUM_OVER_BATCH_SIZE,
  /** The sum over all samples. */
  SUM,
  /** No reduction: one loss value per sample. */
  NONE
}
