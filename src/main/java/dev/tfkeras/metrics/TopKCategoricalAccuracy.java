package dev.tfkeras.metrics;

import dev.tfkeras.losses.LossShapes;
import dev.tfkeras.saving.Config;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TNumber;

/**
 * How often the one-hot label's class is among the {@code k} highest predictions (Keras {@code
 * TopKCategoricalAccuracy}, k = 5 by default).
 */
public class TopKCategoricalAccuracy extends MeanMetricWrapper {

  private int k;

  public TopKCategoricalAccuracy() {
    this("top_k_categorical_accuracy", 5);
  }

  public TopKCategoricalAccuracy(int k) {
    this("top_k_categorical_accuracy", k);
  }

  public TopKCategoricalAccuracy(String name, int k) {
    super(name);
    this.k = TopK.checkK(k);
  }

  /**
   * Keras's {@code k}: how many of the highest predictions count (default 5); returns this.
   *
   * @throws IllegalArgumentException if not positive
   * @throws IllegalStateException after the first update
   */
  public TopKCategoricalAccuracy k(int k) {
    checkNotUpdated("k");
    this.k = TopK.checkK(k);
    return this;
  }

  /** How many of the highest predictions count. */
  public int k() {
    return k;
  }

  @Override
  protected Operand<TFloat32> values(
      Ops tf, Operand<? extends TNumber> yTrue, Operand<? extends TNumber> yPred) {
    Operand<TFloat32> targets = LossShapes.denseTargets(tf, yTrue, yPred);
    Operand<TInt64> classes = tf.math.argMax(targets, tf.constant(-1), TInt64.class);
    return TopK.inTopK(tf, classes, yPred, k);
  }

  /** Keras's config: {@code name}, {@code dtype}, {@code k}. */
  @Override
  public Config getConfig() {
    return super.getConfig().put("k", k);
  }

  /** Keras's {@code TopKCategoricalAccuracy.from_config}: k 5 when left out. */
  public static TopKCategoricalAccuracy fromConfig(Config config) {
    return configure(new TopKCategoricalAccuracy(config.getString("name", "top_k_categorical_accuracy"), config.getInt("k", 5)), config);
  }
}
