package dev.tfkeras.metrics;

import dev.tfkeras.metrics.Samplewise.Reduction;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TNumber;

/**
 * The running weighted mean of a per-sample function of labels and predictions: Keras's {@code
 * MeanMetricWrapper}. Subclasses give the function; weighting and counting follow {@link Mean}.
 */
public abstract class MeanMetricWrapper extends PredictionMetric {

  private final State total = addVariable("total", Shape.scalar());
  private final State count = addVariable("count", Shape.scalar());

  protected MeanMetricWrapper(String name) {
    super(name);
  }

  /**
   * The per-sample values for a batch, e.g. 1 where the prediction is right and 0 elsewhere, shape
   * {@code (batch, ...)}.
   */
  protected abstract Operand<? extends TNumber> values(
      Ops tf, Operand<? extends TNumber> yTrue, Operand<? extends TNumber> yPred);

  @Override
  public final void update(
      Operand<? extends TNumber> yTrue,
      Operand<? extends TNumber> yPred,
      Operand<? extends TNumber> sampleWeight) {
    Ops tf = updateOps();
    Operand<? extends TNumber> values = values(tf, yTrue, yPred);
    Samplewise samples = Samplewise.reduce(tf, values, sampleWeight, Reduction.MEAN, name());
    assignAdd(total, samples.sum(tf));
    assignAdd(count, samples.count(tf));
  }

  @Override
  protected Operand<TFloat32> computeResult(Ops tf) {
    return tf.math.divNoNan(total.read(tf), count.read(tf));
  }
}
