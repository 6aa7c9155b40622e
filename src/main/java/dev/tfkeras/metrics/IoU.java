package dev.tfkeras.metrics;

import dev.tfkeras.saving.Config;

/**
 * Keras's {@code IoU}: intersection over union, {@code tp / (tp + fp + fn)}, of the given target
 * classes, averaged; the semantic-segmentation metric. Labels and predictions are class ids
 * (sparse, the default), or one-hot/probabilities whose arg-max along {@code axis} is taken.
 *
 * <pre>{@code
 * model.compile(optimizer, loss, new IoU(3, new int[] {0, 2}));   // keras.metrics.IoU(3, [0, 2])
 * }</pre>
 */
public class IoU extends IntersectionOverUnion {

  /** Keras's defaults: named {@code "io_u"} (Keras's name for the class), class ids as labels and predictions, axis -1. */
  public IoU(int numClasses, int[] targetClassIds) {
    this("io_u", numClasses, targetClassIds, null, true, true, -1);
  }

  /**
   * Keras's full form.
   *
   * @param ignoreClass a class id left out of the matrix (e.g. a void class, -1 or 255), or null
   * @param sparseYTrue whether labels are class ids (else their arg-max along {@code axis})
   * @param sparseYPred whether predictions are class ids (else their arg-max along {@code axis})
   * @throws IllegalArgumentException for a target class id outside {@code [0, numClasses)}
   */
  public IoU(String name, int numClasses, int[] targetClassIds, Integer ignoreClass,
      boolean sparseYTrue, boolean sparseYPred, int axis) {
    super(name, numClasses, targetClassIds, ignoreClass, sparseYTrue, sparseYPred, axis);
  }

  /** Keras's config: name, dtype, num_classes, target_class_ids, ignore_class, sparse_y_true, sparse_y_pred, axis. */
  @Override
  public Config getConfig() {
    return new Config().put("name", name()).put("dtype", dtype()).put("num_classes", numClasses)
        .put("target_class_ids", targetClassIds).put("ignore_class", ignoreClass)
        .put("sparse_y_true", sparseYTrue).put("sparse_y_pred", sparseYPred).put("axis", axis);
  }

  /** Keras's {@code IoU.from_config}. */
  public static IoU fromConfig(Config config) {
    require(config, "num_classes", "target_class_ids");
    IoU metric = new IoU(config.getString("name", "io_u"), config.getInt("num_classes", 0),
        ints(config, "target_class_ids", null), ignoreClass(config), config.getBoolean("sparse_y_true", true),
        config.getBoolean("sparse_y_pred", true), config.getInt("axis", -1));
    return configured(metric, config);
  }
}
