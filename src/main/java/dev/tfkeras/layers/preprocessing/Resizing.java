package dev.tfkeras.layers.preprocessing;

import dev.tfkeras.layers.Layer;
import dev.tfkeras.saving.Config;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TUint8;

/**
 * Keras's {@code Resizing}: resizes images (batch, height, width, channels), or a single image of
 * rank 3, to {@code height × width} with {@code tf.image.resize}: {@code "bilinear"} (default),
 * {@code "nearest"}, {@code "bicubic"} or {@code "area"}, optionally center-cropping
 * ({@link #cropToAspectRatio}) or padding ({@link #padToAspectRatio}) to the target's aspect ratio
 * first so that nothing is stretched. Integer images are rounded and clipped to their dtype's
 * range as Keras does, and returned as float32 (Keras returns the input's integer dtype).
 *
 * <p>Not supported: {@code "lanczos3"}/{@code "lanczos5"} and {@code antialias=True} (TF's
 * ScaleAndTranslate), bounding boxes.
 */
public class Resizing extends Layer {

  private final int height;
  private final int width;
  private String interpolation = "bilinear";
  private boolean cropToAspectRatio;
  private boolean padToAspectRatio;
  private double fillValue;
  private String dataFormat = "channels_last";

  /** Resizes to {@code height × width}. */
  public Resizing(int height, int width) {
    if (height <= 0 || width <= 0) {
      throw new IllegalArgumentException(
          "`height` and `width` must be positive integers. Received: height=" + height + ", width=" + width);
    }
    this.height = height;
    this.width = width;
  }

  /** {@code "bilinear"} (default), {@code "nearest"}, {@code "bicubic"} or {@code "area"}; returns this. */
  public Resizing interpolation(String interpolation) {
    checkNotBuilt("interpolation");
    if (!Images.INTERPOLATIONS.contains(interpolation)) {
      throw new IllegalArgumentException(
          "Invalid value for argument `interpolation`. Expected of one " + Images.INTERPOLATIONS
              + ". Received: interpolation=" + interpolation
              + (interpolation.startsWith("lanczos") ? " (lanczos needs TF's ScaleAndTranslate, not supported here)" : ""));
    }
    this.interpolation = interpolation;
    return this;
  }

  /** Whether to center-crop to the target's aspect ratio before resizing (default false); returns this. */
  public Resizing cropToAspectRatio(boolean cropToAspectRatio) {
    checkNotBuilt("cropToAspectRatio");
    this.cropToAspectRatio = cropToAspectRatio;
    return this;
  }

  /** Whether to pad to the target's aspect ratio before resizing (default false); returns this. */
  public Resizing padToAspectRatio(boolean padToAspectRatio) {
    checkNotBuilt("padToAspectRatio");
    this.padToAspectRatio = padToAspectRatio;
    return this;
  }

  /** The value of the padding of {@link #padToAspectRatio} (default 0); returns this. */
  public Resizing fillValue(double fillValue) {
    checkNotBuilt("fillValue");
    this.fillValue = fillValue;
    return this;
  }

  /** {@code "channels_last"} (default) or {@code "channels_first"}; returns this. */
  public Resizing dataFormat(String dataFormat) {
    checkNotBuilt("dataFormat");
    this.dataFormat = checkDataFormat(dataFormat);
    return this;
  }

  static String checkDataFormat(String dataFormat) {
    if (!dataFormat.equals("channels_last") && !dataFormat.equals("channels_first")) {
      throw new IllegalArgumentException(
          "The `data_format` argument must be one of {'channels_first', 'channels_last'}. Received:"
              + " data_format=" + dataFormat);
    }
    return dataFormat;
  }

  @Override
  protected void validateInput(Shape shape) {
    Images.requireImageRank(shape);
    if (cropToAspectRatio && padToAspectRatio) {
      throw new IllegalArgumentException("Only one of `pad_to_aspect_ratio` & `crop_to_aspect_ratio` can be `True`.");
    }
  }

  @Override
  protected Operand<TFloat32> call(List<Operand<?>> inputs, boolean training) {
    Operand<?> images = inputs.get(0);
    Ops tf = tf();
    boolean first = dataFormat.equals("channels_first");
    int rank = images.shape().numDimensions();
    Operand<TFloat32> nhwc = Images.toBatchChannelsLast(tf, asFloat(images), first);
    if (cropToAspectRatio) {
      nhwc = Images.cropToAspectRatio(tf, nhwc, height, width);
    } else if (padToAspectRatio) {
      nhwc = Images.padToAspectRatio(tf, nhwc, height, width, (float) fillValue);
    }
    Operand<TFloat32> resized = Images.resize(tf, nhwc, height, width, interpolation);
    Class<?> type = images.type();
    if (type == TUint8.class || type == TInt32.class || type == TInt64.class) {
      resized = tf.math.round(resized);
      if (type == TUint8.class) {
        resized = tf.clipByValue(resized, tf.constant(0f), tf.constant(255f));
      }
    }
    return Images.fromBatchChannelsLast(tf, resized, first, rank);
  }

  /**
   * Keras's {@code Resizing.get_config}: {@code data_format} (from its base), {@code height},
   * {@code width}, {@code interpolation}, {@code crop_to_aspect_ratio}, then {@code
   * pad_to_aspect_ratio}, {@code fill_mode} ({@code "constant"}), {@code fill_value} and {@code
   * antialias} (false), which Keras 3.0's Resizing refuses: those four are written only when padding
   * is on, so that a file of a layer without padding loads in every Keras 3.
   */
  @Override
  public Config getConfig() {
    Config config = super.getConfig()
        .put("data_format", dataFormat)
        .put("height", height)
        .put("width", width)
        .put("interpolation", interpolation)
        .put("crop_to_aspect_ratio", cropToAspectRatio);
    if (padToAspectRatio || fillValue != 0) {
      config.put("pad_to_aspect_ratio", padToAspectRatio)
          .put("fill_mode", "constant")
          .put("fill_value", fillValue)
          .put("antialias", false);
    }
    return config;
  }

  /** Keras's {@code Resizing.from_config}; antialiasing and fill modes other than constant are refused. */
  public static Resizing fromConfig(Config config) {
    Resizing layer = new Resizing(config.getInt("height", 0), config.getInt("width", 0))
        .interpolation(config.getString("interpolation", "bilinear"))
        .cropToAspectRatio(config.getBoolean("crop_to_aspect_ratio", false))
        .padToAspectRatio(config.getBoolean("pad_to_aspect_ratio", false))
        .fillValue(config.getDouble("fill_value", 0))
        .dataFormat(config.getString("data_format", "channels_last"));
    config.requireValue("fill_mode", "constant");
    if (config.getBoolean("antialias", false)) {
      throw config.invalid("antialias", "false: tfkeras's Resizing does not antialias");
    }
    config.requireDefault("bounding_box_format");
    return configured(layer, config);
  }
}
