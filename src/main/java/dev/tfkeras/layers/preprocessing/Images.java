package dev.tfkeras.layers.preprocessing;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.image.ResizeArea;
import org.tensorflow.op.image.ResizeBicubic;
import org.tensorflow.op.image.ResizeBilinear;
import org.tensorflow.op.image.ResizeNearestNeighbor;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Keras's TensorFlow {@code image.resize} for {@link Resizing} and {@link CenterCrop}: images of
 * rank 3 or 4, channels last or first, resized as {@code tf.image.resize} does (TF's resize kernels
 * with half-pixel centers), optionally cropped or padded to the target's aspect ratio first.
 * Crops and pads are computed in the graph with Keras's arithmetic, so heights and widths may be
 * unknown until run time (a single image's height is axis 0, which traced functions leave open).
 */
final class Images {

  static final List<String> INTERPOLATIONS = List.of("bilinear", "nearest", "bicubic", "area");

  private Images() {}

  /** Keras's check of the images' rank, with its message. */
  static void requireImageRank(Shape shape) {
    int rank = shape.numDimensions();
    if (rank != 3 && rank != 4) {
      throw new IllegalArgumentException(
          "Invalid images rank: expected rank 3 (single image) or rank 4 (batch of images)."
              + " Received input with shape: images.shape=" + dev.tfkeras.layers.Layer.format(shape));
    }
  }

  /** NHWC view of {@code images}: a batch axis added to a single image, channels moved last. */
  static Operand<TFloat32> toBatchChannelsLast(Ops tf, Operand<TFloat32> images, boolean channelsFirst) {
    if (images.shape().numDimensions() == 3) {
      images = tf.expandDims(images, tf.constant(0));
    }
    return channelsFirst ? tf.linalg.transpose(images, tf.constant(new int[] {0, 2, 3, 1})) : images;
  }

  /** Back from NHWC to the input's layout and rank. */
  static Operand<TFloat32> fromBatchChannelsLast(Ops tf, Operand<TFloat32> images, boolean channelsFirst, int rank) {
    if (channelsFirst) {
      images = tf.linalg.transpose(images, tf.constant(new int[] {0, 3, 1, 2}));
    }
    return rank == 3 ? tf.squeeze(images, org.tensorflow.op.core.Squeeze.axis(List.of(0L))) : images;
  }

  /**
   * Keras's crop to the target's aspect ratio, computed in the graph as its TensorFlow backend does
   * (float32 arithmetic on the dynamic height and width), so single images of unknown size work.
   */
  static Operand<TFloat32> cropToAspectRatio(Ops tf, Operand<TFloat32> nhwc, int targetHeight, int targetWidth) {
    Operand<TInt32> shape = tf.shape(nhwc);
    Operand<TInt32> height = dim(tf, shape, 1);
    Operand<TInt32> width = dim(tf, shape, 2);
    Operand<TInt32> one = tf.constant(1);
    Operand<TInt32> cropHeight = tf.math.maximum(tf.math.minimum(height, scaled(tf, width, targetHeight, targetWidth)), one);
    Operand<TInt32> cropWidth = tf.math.maximum(tf.math.minimum(width, scaled(tf, height, targetWidth, targetHeight)), one);
    Operand<TInt32> zero = tf.constant(0);
    Operand<TInt32> begin = tf.stack(List.of(zero, half(tf, tf.math.sub(height, cropHeight)), half(tf, tf.math.sub(width, cropWidth)), zero));
    Operand<TInt32> size = tf.stack(List.of(tf.constant(-1), cropHeight, cropWidth, tf.constant(-1)));
    return tf.slice(nhwc, begin, size);
  }

  /** Keras's pad to the target's aspect ratio with {@code fillValue}, the same rows (columns) each side. */
  static Operand<TFloat32> padToAspectRatio(Ops tf, Operand<TFloat32> nhwc, int targetHeight, int targetWidth, float fillValue) {
    Operand<TInt32> shape = tf.shape(nhwc);
    Operand<TInt32> height = dim(tf, shape, 1);
    Operand<TInt32> width = dim(tf, shape, 2);
    Operand<TInt32> padHeight = tf.math.maximum(height, scaled(tf, width, targetHeight, targetWidth));
    Operand<TInt32> padWidth = tf.math.maximum(width, scaled(tf, height, targetWidth, targetHeight));
    Operand<TInt32> h = half(tf, tf.math.sub(padHeight, height));
    Operand<TInt32> w = half(tf, tf.math.sub(padWidth, width));
    Operand<TInt32> zero = tf.constant(0);
    Operand<TInt32> paddings = tf.reshape(tf.stack(List.of(zero, zero, h, h, w, w, zero, zero)), tf.constant(new int[] {4, 2}));
    return tf.pad(nhwc, paddings, tf.constant(fillValue));
  }

  private static Operand<TInt32> dim(Ops tf, Operand<TInt32> shape, int axis) {
    return tf.gather(shape, tf.constant(axis), tf.constant(0));
  }

  /** {@code int32(float32(size * numerator) / denominator)}, as Keras computes crop and pad sizes. */
  private static Operand<TInt32> scaled(Ops tf, Operand<TInt32> size, int numerator, int denominator) {
    Operand<TFloat32> product = tf.dtypes.cast(tf.math.mul(size, tf.constant(numerator)), TFloat32.class);
    return tf.dtypes.cast(tf.math.div(product, tf.constant((float) denominator)), TInt32.class);
  }

  /** {@code int32(float32(difference) / 2)}. */
  private static Operand<TInt32> half(Ops tf, Operand<TInt32> difference) {
    return tf.dtypes.cast(tf.math.div(tf.dtypes.cast(difference, TFloat32.class), tf.constant(2f)), TInt32.class);
  }

  /** {@code tf.image.resize(images, size, method)} without antialiasing, on NHWC float32 images. */
  static Operand<TFloat32> resize(Ops tf, Operand<TFloat32> nhwc, int height, int width, String interpolation) {
    Operand<TInt32> size = tf.constant(new int[] {height, width});
    return switch (interpolation) {
      case "bilinear" -> tf.image.resizeBilinear(nhwc, size, ResizeBilinear.halfPixelCenters(true));
      case "nearest" -> tf.image.resizeNearestNeighbor(nhwc, size, ResizeNearestNeighbor.halfPixelCenters(true));
      case "bicubic" -> tf.image.resizeBicubic(nhwc, size, ResizeBicubic.halfPixelCenters(true));
      case "area" -> tf.image.resizeArea(nhwc, size, ResizeArea.alignCorners(false));
      default -> throw new IllegalArgumentException(
          "Invalid value for argument `interpolation`. Expected of one " + INTERPOLATIONS
              + ". Received: interpolation=" + interpolation);
    };
  }
}
