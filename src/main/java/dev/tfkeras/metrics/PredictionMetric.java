package dev.tfkeras.metrics;

import org.tensorflow.Operand;
import org.tensorflow.types.family.TNumber;

/** A metric computed from labels and predictions, as {@code Model.compile} takes them. */
public abstract class PredictionMetric extends Metric {

  protected PredictionMetric(String name) {
    super(name);
  }

  /** Accumulates the batch's values, unweighted, in the function being traced. */
  public final void update(Operand<? extends TNumber> yTrue, Operand<? extends TNumber> yPred) {
    update(yTrue, yPred, null);
  }

  /**
   * Accumulates the batch's values weighted by {@code sampleWeight} (null for unweighted), in the
   * function being traced. Operands may be of any numeric dtype; they are cast as Keras does.
   */
  public abstract void update(
      Operand<? extends TNumber> yTrue,
      Operand<? extends TNumber> yPred,
      Operand<? extends TNumber> sampleWeight);
}
