package dev.tfkeras.metrics;

import dev.tfkeras.saving.Config;

/** Keras's {@code OneHotMeanIoU}: {@link MeanIoU} with one-hot labels and class scores as predictions. */
public class OneHotMeanIoU extends IntersectionOverUnion {

  /** Named {@code "one_hot_mean_io_u"}, predictions as scores, axis -1. */
  public OneHotMeanIoU(int numClasses) {
    this("one_hot_mean_io_u", numClasses, null, false, -1);
  }

  /** Keras's full form: {@code sparseYPred} true for predictions given as class ids. */
  public OneHotMeanIoU(String name, int numClasses, Integer ignoreClass, boolean sparseYPred, int axis) {
    super(name, numClasses, range(Math.max(numClasses, 1)), ignoreClass, false, sparseYPred, axis);
  }

  /** Keras's config: name, dtype, num_classes, ignore_class, sparse_y_pred, axis. */
  @Override
  public Config getConfig() {
    return new Config().put("num_classes", numClasses).put("name", name()).put("dtype", dtype())
        .put("ignore_class", ignoreClass).put("sparse_y_pred", sparseYPred).put("axis", axis);
  }

  /** Keras's {@code OneHotMeanIoU.from_config}. */
  public static OneHotMeanIoU fromConfig(Config config) {
    require(config, "num_classes");
    OneHotMeanIoU metric = new OneHotMeanIoU(config.getString("name", "one_hot_mean_io_u"),
        config.getInt("num_classes", 0), ignoreClass(config), config.getBoolean("sparse_y_pred", false),
        config.getInt("axis", -1));
    return configured(metric, config);
  }
}
