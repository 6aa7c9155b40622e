package dev.tfkeras.metrics;

import dev.tfkeras.layers.Layer;
import dev.tfkeras.saving.Config;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TNumber;

/** How often predictions equal labels exactly, element by element (Keras {@code Accuracy}). */
public class Accuracy extends MeanMetricWrapper {

  public Accuracy() {
    this("accuracy");
  }

  public Accuracy(String name) {
    super(name);
  }

  /**
   * 1 where the prediction equals the label, compared in the predictions' dtype after matching
   * ranks; labels and predictions must have the same shape.
   */
  @Override
  protected Operand<TFloat32> values(
      Ops tf, Operand<? extends TNumber> yTrue, Operand<? extends TNumber> yPred) {
    return matches(tf, MetricOps.typeOf(yPred), yTrue, yPred);
  }

  private static <T extends TNumber> Operand<TFloat32> matches(
      Ops tf, Class<T> type, Operand<? extends TNumber> yTrue, Operand<? extends TNumber> yPred) {
    var matched =
        MetricOps.matchRanks(
            tf, MetricOps.cast(tf, yTrue, type), MetricOps.cast(tf, yPred, type), true);
    if (!matched.first().shape().isCompatibleWith(matched.second().shape())) {
      throw new IllegalArgumentException(
          "Accuracy compares labels and predictions element by element: shapes must match, received"
              + " labels " + Layer.format(yTrue.shape()) + " and predictions "
              + Layer.format(yPred.shape()) + ".");
    }
    return MetricOps.asFloat(tf, tf.math.equal(matched.first(), matched.second()));
  }

  /** Keras's {@code Accuracy.from_config}: {@code name} (default {@code "accuracy"}) and {@code dtype}. */
  public static Accuracy fromConfig(Config config) {
    return configure(new Accuracy(config.getString("name", "accuracy")), config);
  }
}
