package dev.tfkeras.metrics;

import dev.tfkeras.saving.Config;

/**
 * The fraction of positive labels predicted positive, tp / (tp + fn), over everything seen (Keras
 * {@code Recall}). A prediction above a threshold is positive; any non-zero label is positive.
 */
public class Recall extends TruePositiveRatio {

  /** Threshold 0.5, named {@code recall}. */
  public Recall() {
    this("recall");
  }

  public Recall(String name) {
    this(name, null, null, null);
  }

  /** One value per threshold, each in [0, 1]; with a single threshold the result is a scalar. */
  public Recall(String name, double... thresholds) {
    this(name, thresholds, null, null);
  }

  /**
   * Keras's full form.
   *
   * @param thresholds in [0, 1]; null for 0.5, or for no threshold (any value) with {@code topK}
   * @param topK null, or count only the k highest predictions of each sample as positive
   * @param classId null, or the class (last-axis index) to measure alone
   */
  public Recall(String name, double[] thresholds, Integer topK, Integer classId) {
    super(name, thresholds, topK, classId, "false_negatives", ConfusionMatrix::fn);
  }

  /** Keras's {@code Recall.from_config}: threshold 0.5, no top-k, every class when left out. */
  public static Recall fromConfig(Config config) {
    return configure(new Recall(config.getString("name", "recall"), thresholds(config),
        optionalInt(config, "top_k"), optionalInt(config, "class_id")), config);
  }
}
