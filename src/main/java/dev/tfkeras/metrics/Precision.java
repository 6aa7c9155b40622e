package dev.tfkeras.metrics;

import dev.tfkeras.saving.Config;

/**
 * The fraction of positive predictions that are right, tp / (tp + fp), over everything seen (Keras
 * {@code Precision}). A prediction above a threshold is positive; any non-zero label is positive.
 */
public class Precision extends TruePositiveRatio {

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
    super(name, thresholds, topK, classId, "false_positives", ConfusionMatrix::fp);
  }

  /** Keras's {@code Precision.from_config}: threshold 0.5, no top-k, every class when left out. */
  public static Precision fromConfig(Config config) {
    return configure(new Precision(config.getString("name", "precision"), thresholds(config),
        optionalInt(config, "top_k"), optionalInt(config, "class_id")), config);
  }
}
