package dev.tfkeras.layers.preprocessing;

import dev.tfkeras.layers.Layer;
import dev.tfkeras.saving.Config;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Keras's {@code CenterCrop}: the central {@code height × width} window of images (batch, height,
 * width, channels) or of a single image of rank 3; an image smaller than the window on either side
 * is instead cropped to the window's aspect ratio and resized (bilinear), as Keras does. Output is
 * float32.
 */
public class CenterCrop extends Layer {

  private final int height;
  private final int width;
  private String dataFormat = "channels_last";

  public CenterCrop(int height, int width) {
    if (height <= 0 || width <= 0) {
      throw new IllegalArgumentException(
          "`height` and `width` must be positive integers. Received: height=" + height + ", width=" + width);
    }
    this.height = height;
    this.width = width;
  }

  /** {@code "channels_last"} (default) or {@code "channels_first"}; returns this. */
  public CenterCrop dataFormat(String dataFormat) {
    checkNotBuilt("dataFormat");
    this.dataFormat = Resizing.checkDataFormat(dataFormat);
    return this;
  }

  @Override
  protected void validateInput(Shape shape) {
    Images.requireImageRank(shape);
  }

  @Override
  protected Operand<TFloat32> call(Operand<TFloat32> images, boolean training) {
    Ops tf = tf();
    boolean first = dataFormat.equals("channels_first");
    int rank = images.shape().numDimensions();
    Operand<TFloat32> nhwc = Images.toBatchChannelsLast(tf, images, first);
    long knownHeight = nhwc.shape().get(1);
    long knownWidth = nhwc.shape().get(2);
    Operand<TFloat32> out;
    if ((knownHeight < 0 || knownHeight >= height) && (knownWidth < 0 || knownWidth >= width)) {
      // Keras's rule: slice unless a known side is smaller than the window (sizes known only at
      // run time are sliced, as Keras's dynamic branch does)
      Operand<TInt32> shape = tf.shape(nhwc);
      Operand<TInt32> hStart = tf.math.floorDiv(tf.math.sub(tf.gather(shape, tf.constant(1), tf.constant(0)), tf.constant(height)), tf.constant(2));
      Operand<TInt32> wStart = tf.math.floorDiv(tf.math.sub(tf.gather(shape, tf.constant(2), tf.constant(0)), tf.constant(width)), tf.constant(2));
      Operand<TInt32> zero = tf.constant(0);
      out = tf.slice(nhwc, tf.stack(java.util.List.of(zero, hStart, wStart, zero)), tf.constant(new int[] {-1, height, width, -1}));
    } else {
      out = Images.resize(tf, Images.cropToAspectRatio(tf, nhwc, height, width), height, width, "bilinear");
    }
    return Images.fromBatchChannelsLast(tf, out, first, rank);
  }

  /** Keras's {@code CenterCrop.get_config}: {@code data_format} (from its base), {@code height}, {@code width}. */
  @Override
  public Config getConfig() {
    return super.getConfig().put("data_format", dataFormat).put("height", height).put("width", width);
  }

  /** Keras's {@code CenterCrop.from_config}. */
  public static CenterCrop fromConfig(Config config) {
    CenterCrop layer = new CenterCrop(config.getInt("height", 0), config.getInt("width", 0))
        .dataFormat(config.getString("data_format", "channels_last"));
    config.requireDefault("bounding_box_format");
    return configured(layer, config);
  }
}
