package dev.tfkeras.metrics;

import dev.tfkeras.saving.Config;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TNumber;

/**
 * How often the class-index label is among the {@code k} highest predictions (Keras {@code
 * SparseTopKCategoricalAccuracy}, k = 5 by default).
 */
public class SparseTopKCategoricalAccuracy extends MeanMetricWrapper {

  private int k;

  public SparseTopKCategoricalAccuracy() {
    this("sparse_top_k_categorical_accuracy", 5);
  }

  public SparseTopKCategoricalAccuracy(int k) {
    this("sparse_top_k_categorical_accuracy", k);
  }

  public SparseTopKCategoricalAccuracy(String name, int k) {
    super(name);
    this.k = TopK.checkK(k);
  }

  /**
   * Keras's {@code k}: how many of the highest predictions count (default 5); returns this.
   *
   * @throws IllegalArgumentException if not positive
   * @throws IllegalStateException after the first update
   */
  public SparseTopKCategoricalAccuracy k(int k) {
    checkNotUpdated("k");
    this.k = TopK.checkK(k);
    return this;
  }

  /** How many of the highest predictions count. */
  public int k() {
    return k;
  }

  /** Labels of shape {@code (batch,)} or {@code (batch, 1)}, cast to int32 as Keras does. */
  @Override
  protected Operand<TFloat32> values(
      Ops tf, Operand<? extends TNumber> yTrue, Operand<? extends TNumber> yPred) {
    var labels =
        SparseCategoricalAccuracy.sparseLabels(tf, yTrue, yPred, "TopKCategoricalAccuracy");
    return TopK.inTopK(tf, labels, yPred, k);
  }

  /**
   * Keras's config: {@code name}, {@code dtype}, {@code k} ({@code from_sorted_ids}, which Keras
   * writes only when true, is never set here).
   */
  @Override
  public Config getConfig() {
    return super.getConfig().put("k", k);
  }

  /**
   * Keras's {@code SparseTopKCategoricalAccuracy.from_config}: k 5 when left out.
   *
   * @throws IllegalArgumentException for {@code from_sorted_ids} true, which tfkeras does not support
   */
  public static SparseTopKCategoricalAccuracy fromConfig(Config config) {
    if (config.getBoolean("from_sorted_ids", false)) {
      throw new IllegalArgumentException(config.owner() + " sets from_sorted_ids=true (predictions given as"
          + " sorted class ids), which tfkeras does not support; only scores are (from_sorted_ids=false).");
    }
    return configure(new SparseTopKCategoricalAccuracy(
        config.getString("name", "sparse_top_k_categorical_accuracy"), config.getInt("k", 5)), config);
  }
}
