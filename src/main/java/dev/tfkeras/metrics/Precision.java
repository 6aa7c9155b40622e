package dev.tfkeras.metrics;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TNumber;

/**
 * The fraction of positive predictions that are right, tp / (tp + fp), over everything seen (Keras
 * {@code Precision}). A prediction above a threshold is positive; any non-zero label is positive.
 */
public class Precision extends PredictionMetric {

  private final ConfusionMatrix.Spec spec;
  private final State truePositives;
  private final State falsePositives;

  /** Threshold 0.5, named {@code precision}. */
  public Precision() {
    this("precision");
  }

  public Precision(String name) {
    this(name, null, null, null);
  }

  /** One value per threshold, each in [0, 1]; with a single threshold the result is a scalar. */
  public Precision(String name, double... thresholds) {
    this(name, thresholds, null, null);
  }

  /**
   * Keras's full form.
   *
   * @param thresholds in [0, 1]; null for 0.5, or for no threshold (any value) with {@code topK}
   * @param topK null, or count only the k highest predictions of each sample as positive
   * @param classId null, or the class (last-axis index) to measure alone
   */
  public Precision(String name, double[] thresholds, Integer topK, Integer classId) {
    super(name);
    this.spec = Confusion.spec(thresholds, topK, classId, name);
    Shape shape = Shape.of(spec.thresholds().length);
    truePositives = addVariable("true_positives", shape);
    falsePositives = addVariable("false_positives", shape);
  }

  @Override
  public void update(
      Operand<? extends TNumber> yTrue,
      Operand<? extends TNumber> yPred,
      Operand<? extends TNumber> sampleWeight) {
    Ops tf = updateOps();
    ConfusionMatrix counts =
        ConfusionMatrix.of(tf, yTrue, yPred, sampleWeight, spec, false, name());
    assignAdd(truePositives, counts.tp());
    assignAdd(falsePositives, counts.fp());
  }

  @Override
  protected Operand<TFloat32> computeResult(Ops tf) {
    Operand<TFloat32> tp = truePositives.read(tf);
    return Confusion.perThreshold(
        tf, tf.math.divNoNan(tp, tf.math.add(tp, falsePositives.read(tf))), resultSize());
  }

  @Override
  protected int resultSize() {
    return spec.thresholds().length;
  }
}
