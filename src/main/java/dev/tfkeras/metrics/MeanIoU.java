package dev.tfkeras.metrics;

import dev.tfkeras.saving.Config;

/**
 * Keras's {@code MeanIoU}: the mean intersection over union of every class, {@code tp / (tp + fp
 * + fn)} per class from a confusion matrix accumulated over the batches, classes that never occur
 * left out.
 *
 * <pre>{@code
 * MeanIoU m = new MeanIoU(2);   // keras.metrics.MeanIoU(num_classes=2)
 * }</pre>
 */
public class MeanIoU extends IntersectionOverUnion {

  /** Named {@code "mean_io_u"}, as Keras names it; class ids as labels and predictions. */
  public MeanIoU(int numClasses) {
    this("mean_io_u", numClasses, null, true, true, -1);
  }

  /** Keras's full form (see {@link IoU#IoU(String, int, int[], Integer, boolean, boolean, int)}). */
  public MeanIoU(String name, int numClasses, Integer ignoreClass, boolean sparseYTrue, boolean sparseYPred, int axis) {
    super(name, numClasses, range(Math.max(numClasses, 1)), ignoreClass, sparseYTrue, sparseYPred, axis);
  }

  /** Keras's config: name, dtype, num_classes, ignore_class, sparse_y_true, sparse_y_pred, axis. */
  @Override
  public Config getConfig() {
    return new Config().put("num_classes", numClasses).put("name", name()).put("dtype", dtype())
        .put("ignore_class", ignoreClass).put("sparse_y_true", sparseYTrue).put("sparse_y_pred", sparseYPred)
        .put("axis", axis);
  }

  /** Keras's {@code MeanIoU.from_config}. */
  public static MeanIoU fromConfig(Config config) {
    require(config, "num_classes");
    MeanIoU metric = new MeanIoU(config.getString("name", "mean_io_u"), config.getInt("num_classes", 0),
        ignoreClass(config), config.getBoolean("sparse_y_true", true), config.getBoolean("sparse_y_pred", true),
        config.getInt("axis", -1));
    return configured(metric, config);
  }
}
