package dev.tfkeras.metrics;

import dev.tfkeras.saving.Config;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TNumber;

/**
 * How often thresholded predictions match binary labels (Keras {@code BinaryAccuracy}): a
 * prediction above the threshold counts as 1.
 */
public class BinaryAccuracy extends MeanMetricWrapper {

  private double threshold;

  /** Threshold 0.5, named {@code binary_accuracy}. */
  public BinaryAccuracy() {
    this("binary_accuracy", 0.5);
  }

  public BinaryAccuracy(String name) {
    this(name, 0.5);
  }

  /** For logits, use threshold 0. */
  public BinaryAccuracy(String name, double threshold) {
    super(name);
    this.threshold = checkThreshold(threshold);
  }

  private static double checkThreshold(double threshold) {
    if (!Double.isFinite(threshold)) {
      throw new IllegalArgumentException(
          "BinaryAccuracy needs a finite threshold, received: threshold=" + threshold + ".");
    }
    return threshold;
  }

  /**
   * Keras's {@code threshold} (default 0.5; 0 for logits); returns this.
   *
   * @throws IllegalArgumentException if not finite
   * @throws IllegalStateException after the first update
   */
  public BinaryAccuracy threshold(double threshold) {
    checkNotUpdated("threshold");
    this.threshold = checkThreshold(threshold);
    return this;
  }

  /** The threshold above which a prediction counts as 1. */
  public double threshold() {
    return threshold;
  }

  @Override
  protected Operand<TFloat32> values(
      Ops tf, Operand<? extends TNumber> yTrue, Operand<? extends TNumber> yPred) {
    return matches(tf, yTrue, yPred, threshold, name());
  }

  /**
   * Keras's {@code binary_accuracy}: ranks matched, predictions above {@code threshold} (compared
   * in their float dtype) cast to the labels' dtype and compared with the labels.
   */
  static Operand<TFloat32> matches(
      Ops tf,
      Operand<? extends TNumber> yTrue,
      Operand<? extends TNumber> yPred,
      double threshold,
      String metric) {
    var matched = MetricOps.matchRanks(tf, yTrue, yPred, true);
    if (!MetricOps.broadcastable(matched.first().shape(), matched.second().shape())) {
      throw new IllegalArgumentException(
          "Metric '" + metric + "' compares binary labels with predictions element by element:"
              + " received labels " + MetricOps.format(yTrue) + " and predictions "
              + MetricOps.format(yPred) + ". Give one label per prediction.");
    }
    return compare(tf, matched.first(), matched.second(), threshold, MetricOps.floatType(yPred));
  }

  private static <L extends TNumber, F extends TNumber> Operand<TFloat32> compare(
      Ops tf,
      Operand<L> labels,
      Operand<? extends TNumber> predictions,
      double threshold,
      Class<F> f) {
    Operand<F> p = MetricOps.cast(tf, predictions, f);
    // Keras makes the threshold a float32 tensor, widened to float64 for float64 predictions
    Operand<F> t = MetricOps.cast(tf, tf.constant((float) threshold), f);
    Operand<L> above = tf.dtypes.cast(tf.math.greater(p, t), labels.type());
    return MetricOps.asFloat(tf, tf.math.equal(labels, above));
  }

  /** Keras's config: {@code name}, {@code dtype}, {@code threshold}. */
  @Override
  public Config getConfig() {
    return super.getConfig().put("threshold", threshold);
  }

  /** Keras's {@code BinaryAccuracy.from_config}: threshold 0.5 when left out. */
  public static BinaryAccuracy fromConfig(Config config) {
    return configure(new BinaryAccuracy(config.getString("name", "binary_accuracy"), config.getDouble("threshold", 0.5)), config);
  }
}
