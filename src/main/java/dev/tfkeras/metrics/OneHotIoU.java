package dev.tfkeras.metrics;

import dev.tfkeras.saving.Config;

/**
 * Keras's {@code OneHotIoU}: {@link IoU} with one-hot labels (their arg-max along {@code axis}) and,
 * by default, class scores as predictions (their arg-max too).
 */
public class OneHotIoU extends IntersectionOverUnion {

  /** Named {@code "one_hot_io_u"}, predictions as scores, axis -1. */
  public OneHotIoU(int numClasses, int[] targetClassIds) {
    this("one_hot_io_u", numClasses, targetClassIds, null, false, -1);
  }

  /** Keras's full form: {@code sparseYPred} true for predictions given as class ids. */
  public OneHotIoU(String name, int numClasses, int[] targetClassIds, Integer ignoreClass, boolean sparseYPred, int axis) {
    super(name, numClasses, targetClassIds, ignoreClass, false, sparseYPred, axis);
  }

  /** Keras's config: name, dtype, num_classes, target_class_ids, ignore_class, sparse_y_pred, axis. */
  @Override
  public Config getConfig() {
    return new Config().put("num_classes", numClasses).put("target_class_ids", targetClassIds)
        .put("name", name()).put("dtype", dtype()).put("ignore_class", ignoreClass)
        .put("sparse_y_pred", sparseYPred).put("axis", axis);
  }

  /** Keras's {@code OneHotIoU.from_config}. */
  public static OneHotIoU fromConfig(Config config) {
    require(config, "num_classes", "target_class_ids");
    OneHotIoU metric = new OneHotIoU(config.getString("name", "one_hot_io_u"), config.getInt("num_classes", 0),
        ints(config, "target_class_ids", null), ignoreClass(config), config.getBoolean("sparse_y_pred", false),
        config.getInt("axis", -1));
    return configured(metric, config);
  }
}
