package dev.tfkeras.metrics;

import dev.tfkeras.saving.Config;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TNumber;

/** How often the arg-max of the predictions equals the class-index label. */
public class SparseCategoricalAccuracy extends MeanMetricWrapper {

  public SparseCategoricalAccuracy() {
    this("sparse_categorical_accuracy");
  }

  public SparseCategoricalAccuracy(String name) {
    super(name);
  }

  @Override
  protected Operand<TFloat32> values(
      Ops tf, Operand<? extends TNumber> yTrue, Operand<? extends TNumber> yPred) {
    return matches(tf, yTrue, yPred);
  }

  /**
   * Keras's {@code sparse_categorical_accuracy}: labels of shape {@code (batch,)} or {@code (batch,
   * 1)} (any numeric dtype) compared with the arg-max of the predictions, in the predictions'
   * dtype.
   */
  static Operand<TFloat32> matches(
      Ops tf, Operand<? extends TNumber> yTrue, Operand<? extends TNumber> yPred) {
    Operand<? extends TNumber> labels = sparseLabels(tf, yTrue, yPred, "CategoricalAccuracy");
    return compare(tf, labels, yPred, MetricOps.typeOf(yPred));
  }

  private static <T extends TNumber> Operand<TFloat32> compare(
      Ops tf, Operand<? extends TNumber> labels, Operand<? extends TNumber> yPred, Class<T> type) {
    Operand<TInt64> predicted = tf.math.argMax(yPred, tf.constant(-1), TInt64.class);
    return MetricOps.asFloat(
        tf, tf.math.equal(MetricOps.cast(tf, labels, type), MetricOps.cast(tf, predicted, type)));
  }

  /**
   * Class-index labels with one axis fewer than the predictions: {@code (batch, 1)} labels are
   * squeezed, {@code (batch,)} kept.
   *
   * @param oneHotMetric the metric to suggest for one-hot labels
   */
  static Operand<? extends TNumber> sparseLabels(
      Ops tf,
      Operand<? extends TNumber> yTrue,
      Operand<? extends TNumber> yPred,
      String oneHotMetric) {
    int predRank = MetricOps.rank(yPred);
    int labelRank = MetricOps.rank(yTrue);
    if (labelRank == predRank && MetricOps.lastDim(yTrue) == 1) {
      return MetricOps.squeezeLast(tf, yTrue);
    }
    if (labelRank != predRank - 1) {
      boolean oneHot =
          labelRank == predRank && MetricOps.lastDim(yTrue) == MetricOps.lastDim(yPred);
      throw new IllegalArgumentException(
          "Sparse labels must have shape (batch,) or (batch, 1) for predictions of shape "
              + MetricOps.format(yPred) + ", received labels of shape " + MetricOps.format(yTrue)
              + "." + (oneHot ? " One-hot labels need " + oneHotMetric + "." : ""));
    }
    return yTrue;
  }

  /** Keras's {@code SparseCategoricalAccuracy.from_config}: {@code name} (default {@code "sparse_categorical_accuracy"}) and {@code dtype}. */
  public static SparseCategoricalAccuracy fromConfig(Config config) {
    return configure(new SparseCategoricalAccuracy(config.getString("name", "sparse_categorical_accuracy")), config);
  }
}
