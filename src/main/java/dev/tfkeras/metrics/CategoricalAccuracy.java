package dev.tfkeras.metrics;

import dev.tfkeras.losses.LossShapes;
import dev.tfkeras.saving.Config;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TNumber;

/** How often the arg-max of the predictions equals the arg-max of one-hot labels. */
public class CategoricalAccuracy extends MeanMetricWrapper {

  public CategoricalAccuracy() {
    this("categorical_accuracy");
  }

  public CategoricalAccuracy(String name) {
    super(name);
  }

  @Override
  protected Operand<TFloat32> values(
      Ops tf, Operand<? extends TNumber> yTrue, Operand<? extends TNumber> yPred) {
    return matches(tf, yTrue, yPred);
  }

  /** Keras's {@code categorical_accuracy}: 1 per sample where the two arg-maxes agree. */
  static Operand<TFloat32> matches(
      Ops tf, Operand<? extends TNumber> yTrue, Operand<? extends TNumber> yPred) {
    Operand<TFloat32> targets = LossShapes.denseTargets(tf, yTrue, yPred);
    Operand<TInt64> expected = tf.math.argMax(targets, tf.constant(-1), TInt64.class);
    Operand<TInt64> predicted = tf.math.argMax(yPred, tf.constant(-1), TInt64.class);
    return MetricOps.asFloat(tf, tf.math.equal(predicted, expected));
  }

  /** Keras's {@code CategoricalAccuracy.from_config}: {@code name} (default {@code "categorical_accuracy"}) and {@code dtype}. */
  public static CategoricalAccuracy fromConfig(Config config) {
    return configure(new CategoricalAccuracy(config.getString("name", "categorical_accuracy")), config);
  }
}
