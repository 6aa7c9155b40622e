package dev.tfkeras.metrics;

import dev.tfkeras.saving.Config;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TNumber;

/**
 * Keras's {@code BinaryIoU}: {@link IoU} of a binary task whose predictions are scores, class 1
 * where the score is at least {@code threshold}, else class 0; the mean IoU of the target classes
 * (0, 1 or both).
 */
public class BinaryIoU extends IntersectionOverUnion {

  private final double threshold;

  /** Keras's defaults: both classes, threshold 0.5, named {@code "binary_io_u"}. */
  public BinaryIoU() {
    this("binary_io_u", new int[] {0, 1}, 0.5);
  }

  /**
   * @param targetClassIds {0}, {1} or {0, 1}
   * @param threshold scores at or above it predict class 1
   */
  public BinaryIoU(String name, int[] targetClassIds, double threshold) {
    super(name, 2, targetClassIds, null, true, true, -1);
    this.threshold = threshold;
  }

  @Override
  Operand<TFloat32> predictedIds(Ops tf, Operand<? extends TNumber> yPred) {
    Operand<TFloat32> scores = MetricOps.cast(tf, yPred, TFloat32.class);
    return MetricOps.asFloat(tf, tf.math.greaterEqual(scores, tf.constant((float) threshold)));
  }

  /** Keras's config: target_class_ids, threshold, name, dtype. */
  @Override
  public Config getConfig() {
    return new Config().put("target_class_ids", targetClassIds).put("threshold", threshold)
        .put("name", name()).put("dtype", dtype());
  }

  /** Keras's {@code BinaryIoU.from_config}. */
  public static BinaryIoU fromConfig(Config config) {
    BinaryIoU metric = new BinaryIoU(config.getString("name", "binary_io_u"),
        ints(config, "target_class_ids", new int[] {0, 1}), config.getDouble("threshold", 0.5));
    return configured(metric, config);
  }
}
