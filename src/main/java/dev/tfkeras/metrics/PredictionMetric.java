package dev.tfkeras.metrics;

import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TNumber;

/** A metric computed from labels and predictions, as {@code Model.compile} takes them. */
public abstract class PredictionMetric extends Metric {

  protected PredictionMetric(String name) {
    super(name);
  }

  /** Accumulates the batch's values, in the function being traced. */
  public abstract void update(Operand<? extends TNumber> labels, Operand<? extends TNumber> predictions);
}
