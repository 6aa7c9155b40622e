package dev.tfkeras.utils;

import java.util.List;

/**
 * The options of {@link Utils#imageDatasetFromDirectory(java.nio.file.Path, ImageDatasetOptions)},
 * Keras's keyword arguments of {@code image_dataset_from_directory} with their defaults:
 *
 * <pre>{@code
 * new ImageDatasetOptions().imageSize(180, 180).batchSize(32).validationSplit(0.2).subset("training").seed(1337)
 * }</pre>
 */
public final class ImageDatasetOptions extends FilesDatasetOptions<ImageDatasetOptions> {

  /** The interpolations of {@code tf.image.resize}, which Keras accepts. */
  static final List<String> INTERPOLATIONS =
      List.of("bilinear", "nearest", "bicubic", "area", "lanczos3", "lanczos5", "gaussian", "mitchellcubic");

  String colorMode = "rgb";
  int height = 256;
  int width = 256;
  String interpolation = "bilinear";
  boolean cropToAspectRatio;
  boolean padToAspectRatio;

  /** Keras's defaults: inferred int labels, rgb, 256 × 256, batches of 32, shuffled. */
  public ImageDatasetOptions() {
    super("image files");
  }

  /**
   * {@code "rgb"} (default, 3 channels), {@code "rgba"} (4) or {@code "grayscale"} (1).
   *
   * @throws IllegalArgumentException for any other value, with Keras's message
   */
  public ImageDatasetOptions colorMode(String colorMode) {
    if (!List.of("rgb", "rgba", "grayscale").contains(colorMode)) {
      throw new IllegalArgumentException(
          "`color_mode` must be one of {\"rgb\", \"rgba\", \"grayscale\"}. Received: color_mode="
              + colorMode);
    }
    this.colorMode = colorMode;
    return this;
  }

  /**
   * The size every image is resized to (default 256 × 256), so that images batch together.
   *
   * @throws IllegalArgumentException if not positive
   */
  public ImageDatasetOptions imageSize(int height, int width) {
    if (height <= 0 || width <= 0) {
      throw new IllegalArgumentException(
          "Invalid `image_size` value. Expected a tuple of 2 positive integers. Received: image_size=("
              + height + ", " + width + ")");
    }
    this.height = height;
    this.width = width;
    return this;
  }

  /**
   * How images are resized, as {@code tf.image.resize} without antialiasing: {@code "bilinear"}
   * (default), {@code "nearest"}, {@code "bicubic"}, {@code "area"}, {@code "lanczos3"}, {@code
   * "lanczos5"}, {@code "gaussian"} or {@code "mitchellcubic"}. As in Keras, {@code "nearest"}
   * yields uint8 images (TensorFlow's nearest-neighbour resize keeps the dtype) and every other one
   * float32.
   *
   * @throws IllegalArgumentException for any other value, with Keras's message
   */
  public ImageDatasetOptions interpolation(String interpolation) {
    String lower = interpolation == null ? null : interpolation.toLowerCase(java.util.Locale.ROOT);
    if (!INTERPOLATIONS.contains(lower)) {
      throw new IllegalArgumentException(
          "Argument `interpolation` should be one of " + FileIndex.pythonTuple(INTERPOLATIONS)
              + ". Received: interpolation=" + interpolation);
    }
    this.interpolation = lower;
    return this;
  }

  /**
   * Whether to take the largest centred crop with the target's aspect ratio before resizing, so
   * that images are not distorted (default false), as Keras's {@code smart_resize}.
   */
  public ImageDatasetOptions cropToAspectRatio(boolean cropToAspectRatio) {
    this.cropToAspectRatio = cropToAspectRatio;
    return this;
  }

  /**
   * Whether to resize without distortion by padding instead (default false): the image is scaled to
   * fit the target and the rest filled with zeros, as {@code tf.image.resize_with_pad}, which Keras
   * calls for {@code pad_to_aspect_ratio}. Only one of this and {@link #cropToAspectRatio} may be
   * set.
   */
  public ImageDatasetOptions padToAspectRatio(boolean padToAspectRatio) {
    this.padToAspectRatio = padToAspectRatio;
    return this;
  }

  int channels() {
    return switch (colorMode) {
      case "grayscale" -> 1;
      case "rgba" -> 4;
      default -> 3;
    };
  }
}
