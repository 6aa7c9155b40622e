package dev.tfkeras.metrics;

import dev.tfkeras.saving.Config;
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
  private final double[] initThresholds;
  private final Integer topK;
  private final Integer classId;
  private final Function<ConfusionMatrix, Operand<TFloat32>> otherCount;
  private final State truePositives;
  private final State others;

  TruePositiveRatio(
      String name, double[] thresholds, Integer topK, Integer classId, String otherName,
      Function<ConfusionMatrix, Operand<TFloat32>> otherCount) {
    super(name);
    this.spec = Confusion.spec(thresholds, topK, classId, name);
    this.initThresholds = thresholds == null ? null : thresholds.clone();
    this.topK = topK;
    this.classId = classId;
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

  /**
   * Keras's config: {@code name}, {@code dtype}, {@code thresholds} (as given: null for the
   * default), {@code top_k}, {@code class_id}.
   */
  @Override
  public Config getConfig() {
    return super.getConfig().put("thresholds", initThresholds).put("top_k", topK).put("class_id", classId);
  }

  /** Keras's {@code thresholds} (null, a number or a list of numbers). */
  static double[] thresholds(Config config) {
    return config.getDoubles("thresholds");
  }

  /** An optional integer key (Keras's {@code top_k}, {@code class_id}), null when absent or null. */
  static Integer optionalInt(Config config, String key) {
    return config.has(key) ? config.getInt(key, 0) : null;
  }
}
