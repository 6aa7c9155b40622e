package dev.tfkeras.metrics;

import java.util.function.Function;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TNumber;

/**
 * tp / (tp + other) per threshold over everything seen: {@link Precision} (other = false
 * positives) and {@link Recall} (other = false negatives). A prediction above a threshold is
 * positive; any non-zero label is positive.
 */
abstract class TruePositiveRatio extends PredictionMetric {

  private final ConfusionMatrix.Spec spec;
  private final Function<ConfusionMatrix, Operand<TFloat32>> otherCount;
  private final State truePositives;
  private final State others;

  TruePositiveRatio(
      String name, double[] thresholds, Integer topK, Integer classId, String otherName,
      Function<ConfusionMatrix, Operand<TFloat32>> otherCount) {
    super(name);
    this.spec = Confusion.spec(thresholds, topK, classId, name);
    this.otherCount = otherCount;
    Shape shape = Shape.of(spec.thresholds().length);
    truePositives = addVariable("true_positives", shape);
    others = addVariable(otherName, shape);
  }

  @Override
  public void update(
      Operand<? extends TNumber> yTrue,
      Operand<? extends TNumber> yPred,
      Operand<? extends TNumber> sampleWeight) {
    Ops tf = updateOps();
    ConfusionMatrix counts = ConfusionMatrix.of(tf, yTrue, yPred, sampleWeight, spec, false, name());
    assignAdd(truePositives, counts.tp());
    assignAdd(others, otherCount.apply(counts));
  }

  @Override
  protected Operand<TFloat32> computeResult(Ops tf) {
    Operand<TFloat32> tp = truePositives.read(tf);
    return Confusion.perThreshold(tf, tf.math.divNoNan(tp, tf.math.add(tp, others.read(tf))), resultSize());
  }

  @Override
  protected int resultSize() {
    return spec.thresholds().length;
  }
}
