package dev.tfkeras.utils;

import dev.tfkeras.datasets.InvalidDataFileException;
import dev.tfkeras.io.FileErrors;
import dev.tfkeras.runtime.GraphRuntime;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.Cleaner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Squeeze;
import org.tensorflow.op.image.DecodeImage;
import org.tensorflow.op.image.ResizeArea;
import org.tensorflow.op.image.ResizeBicubic;
import org.tensorflow.op.image.ResizeBilinear;
import org.tensorflow.op.image.ResizeNearestNeighbor;
import org.tensorflow.op.image.ScaleAndTranslate;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TString;
import org.tensorflow.types.TUint8;
import org.tensorflow.types.family.TNumber;

/**
 * Reads an image file and resizes it as Keras's {@code image_dataset_from_directory} does on
 * TensorFlow: {@code tf.image.decode_image(channels=c, expand_animations=False)} (the first frame of
 * an animated GIF), Keras's {@code smart_resize} crop when asked, then {@code tf.image.resize}. It
 * runs TensorFlow's own decoders and resize kernels in a small graph of its own, so that pixels are
 * those Keras computes (same libjpeg-turbo, libpng, GIF and BMP decoders; CMYK and progressive
 * JPEGs, 16-bit, palette and grey PNGs included), and {@link #decode} may be called from several
 * threads at once.
 *
 * <p>Where TensorFlow refuses a channel count that Keras passes it (grayscale of a GIF or BMP, rgba
 * of a JPEG or GIF), the image is decoded as RGB and converted as {@code tf.image.rgb_to_grayscale}
 * does, or given an opaque alpha channel. TensorFlow reads a palette (8-bit or less) BMP's indices
 * as grey levels; such files are decoded by {@code javax.imageio} instead, which applies the
 * palette. The graph and session are freed once the decoder is unreachable.
 */
final class ImageDecoder {

  private static final Cleaner CLEANER = Cleaner.create();
  /** {@code tf.image.rgb_to_grayscale}'s weights. */
  private static final float[] GRAY_WEIGHTS = {0.2989f, 0.5870f, 0.1140f};

  private final int channels;
  private final Graph graph;
  private final Session session;
  private final Placeholder<TString> contents;
  /** The RGB decode feeding {@link #converted}; a palette BMP's pixels are fed here instead. */
  private final Operand<TUint8> rgb;
  private final Operand<?> direct;
  private final Operand<?> converted;

  ImageDecoder(ImageDatasetOptions options) {
    if (options.padToAspectRatio && options.cropToAspectRatio) {
      throw new IllegalArgumentException(
          "Only one of `pad_to_aspect_ratio`, `crop_to_aspect_ratio` can be set to `True`.");
    }
    this.channels = options.channels();
    this.graph = new Graph();
    try {
      Ops tf = Ops.create(graph);
      contents = tf.placeholder(TString.class, Placeholder.shape(Shape.scalar()));
      Operand<TUint8> decoded =
          tf.image.decodeImage(contents, TUint8.class, DecodeImage.channels((long) channels),
              DecodeImage.expandAnimations(false));
      rgb = tf.image.decodeImage(contents, TUint8.class, DecodeImage.channels(3L),
          DecodeImage.expandAnimations(false));
      Operand<TUint8> fromRgb =
          switch (channels) {
            case 1 -> grayscale(tf, rgb);
            case 4 -> tf.concat(List.of(rgb, tf.fill(alphaShape(tf, rgb), tf.constant((byte) -1))),
                tf.constant(-1));
            default -> rgb;
          };
      direct = resize(tf, decoded, options);
      converted = resize(tf, fromRgb, options);
      session = GraphRuntime.openSession(graph);
    } catch (RuntimeException | Error e) {
      graph.close();
      throw e;
    }
    Graph g = graph;
    Session s = session;
    CLEANER.register(this, () -> {
      s.close();
      g.close();
    });
  }

  /**
   * The image in {@code file}, resized: float32 (height, width, channels), or uint8 for {@code
   * "nearest"}.
   *
   * @throws UncheckedIOException naming the file if it cannot be read, or (caused by an {@link
   *     InvalidDataFileException}) if it is not an image TensorFlow can decode, with its reason
   */
  NdArray<?> decode(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(FileErrors.explain(e, "read the image file", file));
    }
    Format format = Format.of(bytes);
    try (TString input = TString.tensorOfBytes(NdArrays.scalarOfObject(bytes))) {
      Session.Runner runner = session.runner().feed(contents, input);
      if (format == Format.BMP && bmpBitsPerPixel(bytes) <= 8) {
        try (TUint8 pixels = paletteBmp(bytes, file)) {
          return run(runner.feed(rgb, pixels).fetch(converted), file);
        }
      }
      return run(runner.fetch(format.decodes(channels) ? direct : converted), file);
    }
  }

  private static NdArray<?> run(Session.Runner runner, Path file) {
    try (Result result = runner.run()) {
      var image = result.get(0);
      if (image instanceof TFloat32 floats) {
        float[] values = new float[(int) floats.shape().size()];
        floats.copyTo(DataBuffers.of(values, false, false));
        return NdArrays.wrap(floats.shape(), DataBuffers.of(values, false, false));
      }
      TUint8 bytes = (TUint8) image;
      byte[] values = new byte[(int) bytes.shape().size()];
      bytes.copyTo(DataBuffers.of(values, false, false));
      return NdArrays.wrap(bytes.shape(), DataBuffers.of(values, false, false));
    } catch (RuntimeException e) { // TensorFlow's exceptions: TFInvalidArgumentException...
      String reason = String.valueOf(e.getMessage()).lines().findFirst().orElse("").strip();
      reason = reason.endsWith(".") ? reason.substring(0, reason.length() - 1) : reason;
      throw new UncheckedIOException(
          new InvalidDataFileException(
              "Cannot decode the image file " + file + ": " + reason + ". Allowed formats are JPEG,"
                  + " PNG, GIF and BMP; remove or replace the file."));
    }
  }

  /** A palette BMP's pixels as RGB, by {@code javax.imageio}, which applies the palette. */
  private static TUint8 paletteBmp(byte[] bytes, Path file) {
    BufferedImage image;
    try {
      image = ImageIO.read(new ByteArrayInputStream(bytes));
    } catch (IOException e) {
      image = null;
    }
    if (image == null) {
      throw new UncheckedIOException(
          new InvalidDataFileException(
              "Cannot decode the image file " + file + ": not a BMP image that javax.imageio"
                  + " reads (a palette BMP of 8 bits or less per pixel). Remove or replace the file."));
    }
    int w = image.getWidth();
    int h = image.getHeight();
    int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
    byte[] rgb = new byte[argb.length * 3];
    for (int i = 0; i < argb.length; i++) {
      rgb[3 * i] = (byte) (argb[i] >> 16);
      rgb[3 * i + 1] = (byte) (argb[i] >> 8);
      rgb[3 * i + 2] = (byte) argb[i];
    }
    return TUint8.tensorOf(Shape.of(h, w, 3), DataBuffers.of(rgb, true, false));
  }

  /** biBitCount of a BMP's info header, or 24 if the header is too short to tell. */
  private static int bmpBitsPerPixel(byte[] bytes) {
    return bytes.length < 30 ? 24 : (bytes[28] & 0xFF) | (bytes[29] & 0xFF) << 8;
  }

  /**
   * {@code tf.image.rgb_to_grayscale} of uint8 images: {@code convert_image_dtype} to [0, 1], the
   * weighted sum of the channels, and back to uint8 by truncating {@code gray * 255.5}.
   */
  private static Operand<TUint8> grayscale(Ops tf, Operand<TUint8> rgb) {
    Operand<TInt32> shape = tf.shape(rgb);
    Operand<TFloat32> scaled = tf.math.mul(tf.dtypes.cast(rgb, TFloat32.class), tf.constant(1f / 255f));
    Operand<TFloat32> flat = tf.reshape(scaled, tf.constant(new int[] {-1, 3}));
    Operand<TFloat32> gray =
        tf.linalg.matMul(flat, tf.constant(new float[][] {{GRAY_WEIGHTS[0]}, {GRAY_WEIGHTS[1]}, {GRAY_WEIGHTS[2]}}));
    Operand<TInt32> grayShape =
        tf.concat(List.of(tf.slice(shape, tf.constant(new int[] {0}), tf.constant(new int[] {2})),
            tf.constant(new int[] {1})), tf.constant(0));
    Operand<TFloat32> image = tf.reshape(gray, grayShape);
    return tf.dtypes.cast(tf.math.mul(image, tf.constant(255.5f)), TUint8.class);
  }

  private static Operand<TInt32> alphaShape(Ops tf, Operand<TUint8> rgb) {
    Operand<TInt32> shape = tf.shape(rgb);
    return tf.concat(List.of(tf.slice(shape, tf.constant(new int[] {0}), tf.constant(new int[] {2})),
        tf.constant(new int[] {1})), tf.constant(0));
  }

  /**
   * Keras's optional {@code smart_resize} crop, then {@code tf.image.resize} without antialiasing;
   * or {@code tf.image.resize_with_pad} for {@code padToAspectRatio}.
   */
  private static Operand<?> resize(Ops tf, Operand<TUint8> image, ImageDatasetOptions options) {
    int height = options.height;
    int width = options.width;
    if (options.padToAspectRatio) {
      return resizeWithPad(tf, image, height, width, options.interpolation);
    }
    if (options.cropToAspectRatio) {
      image = cropToAspectRatio(tf, image, height, width);
    }
    Operand<TUint8> batch = tf.expandDims(image, tf.constant(0));
    Operand<? extends TNumber> resized =
        resizeBatch(tf, batch, tf.constant(new int[] {height, width}), options.interpolation);
    return tf.squeeze(resized, Squeeze.axis(List.of(0L)));
  }

  /** {@code tf.image.resize(batch, size, method)} without antialiasing, on NHWC uint8 images. */
  private static Operand<? extends TNumber> resizeBatch(
      Ops tf, Operand<TUint8> batch, Operand<TInt32> size, String interpolation) {
    return switch (interpolation) {
      case "bilinear" -> tf.image.resizeBilinear(batch, size, ResizeBilinear.halfPixelCenters(true));
      case "nearest" -> tf.image.resizeNearestNeighbor(batch, size, ResizeNearestNeighbor.halfPixelCenters(true));
      case "bicubic" -> tf.image.resizeBicubic(batch, size, ResizeBicubic.halfPixelCenters(true));
      case "area" -> tf.image.resizeArea(batch, size, ResizeArea.alignCorners(false));
      default -> {
        // tf.image.resize's ScaleAndTranslate methods: scale = new size / input size.
        Operand<TFloat32> inputSize =
            tf.dtypes.cast(tf.slice(tf.shape(batch), tf.constant(new int[] {1}), tf.constant(new int[] {2})),
                TFloat32.class);
        Operand<TFloat32> scale = tf.math.div(tf.dtypes.cast(size, TFloat32.class), inputSize);
        yield tf.image.scaleAndTranslate(batch, size, scale, tf.constant(new float[] {0f, 0f}),
            ScaleAndTranslate.kernelType(interpolation), ScaleAndTranslate.antialias(false));
      }
    };
  }

  /**
   * {@code tf.image.resize_with_pad(image, height, width, method)}, as Keras's {@code
   * pad_to_aspect_ratio} calls it: resized by {@code ratio = max(w / width, h / height)} to {@code
   * floor(h / ratio) × floor(w / ratio)}, then zero-padded to the target, {@code floor((height - h /
   * ratio) / 2)} rows above (columns left), the rest below (right); all in float32.
   */
  private static Operand<?> resizeWithPad(Ops tf, Operand<TUint8> image, int targetHeight, int targetWidth, String interpolation) {
    Operand<TInt32> shape = tf.shape(image);
    Operand<TFloat32> height = tf.dtypes.cast(tf.gather(shape, tf.constant(0), tf.constant(0)), TFloat32.class);
    Operand<TFloat32> width = tf.dtypes.cast(tf.gather(shape, tf.constant(1), tf.constant(0)), TFloat32.class);
    Operand<TFloat32> th = tf.constant((float) targetHeight);
    Operand<TFloat32> tw = tf.constant((float) targetWidth);
    Operand<TFloat32> ratio = tf.math.maximum(tf.math.div(width, tw), tf.math.div(height, th));
    Operand<TFloat32> resizedHeight = tf.math.div(height, ratio);
    Operand<TFloat32> resizedWidth = tf.math.div(width, ratio);
    Operand<TInt32> rh = tf.dtypes.cast(tf.math.floor(resizedHeight), TInt32.class);
    Operand<TInt32> rw = tf.dtypes.cast(tf.math.floor(resizedWidth), TInt32.class);
    Operand<TFloat32> two = tf.constant(2f);
    Operand<TInt32> zero = tf.constant(0);
    Operand<TInt32> top =
        tf.math.maximum(zero, tf.dtypes.cast(tf.math.floor(tf.math.div(tf.math.sub(th, resizedHeight), two)), TInt32.class));
    Operand<TInt32> left =
        tf.math.maximum(zero, tf.dtypes.cast(tf.math.floor(tf.math.div(tf.math.sub(tw, resizedWidth), two)), TInt32.class));
    Operand<? extends TNumber> resized =
        resizeBatch(tf, tf.expandDims(image, tf.constant(0)), tf.stack(List.of(rh, rw)), interpolation);
    Operand<TInt32> bottom = tf.math.sub(tf.math.sub(tf.constant(targetHeight), rh), top);
    Operand<TInt32> right = tf.math.sub(tf.math.sub(tf.constant(targetWidth), rw), left);
    Operand<TInt32> paddings =
        tf.reshape(tf.stack(List.of(zero, zero, top, bottom, left, right, zero, zero)), tf.constant(new int[] {4, 2}));
    return tf.squeeze(padWithZeros(tf, resized, paddings), Squeeze.axis(List.of(0L)));
  }

  private static <T extends TNumber> Operand<T> padWithZeros(Ops tf, Operand<T> x, Operand<TInt32> paddings) {
    return tf.pad(x, paddings, tf.zeros(tf.constant(new int[0]), x.type()));
  }

  /**
   * Keras's {@code smart_resize} crop of an image of run-time size: the largest centred window with
   * the target's aspect ratio, sizes and offsets computed in float32 and truncated as Keras does.
   */
  private static Operand<TUint8> cropToAspectRatio(Ops tf, Operand<TUint8> image, int targetHeight, int targetWidth) {
    Operand<TInt32> shape = tf.shape(image);
    Operand<TInt32> height = tf.gather(shape, tf.constant(0), tf.constant(0));
    Operand<TInt32> width = tf.gather(shape, tf.constant(1), tf.constant(0));
    Operand<TInt32> one = tf.constant(1);
    Operand<TInt32> cropHeight =
        tf.math.maximum(tf.math.minimum(height, scaled(tf, width, targetHeight, targetWidth)), one);
    Operand<TInt32> cropWidth =
        tf.math.maximum(tf.math.minimum(width, scaled(tf, height, targetWidth, targetHeight)), one);
    Operand<TInt32> top = half(tf, tf.math.sub(height, cropHeight));
    Operand<TInt32> left = half(tf, tf.math.sub(width, cropWidth));
    Operand<TInt32> begin = tf.stack(List.of(top, left, tf.constant(0)));
    Operand<TInt32> size = tf.stack(List.of(cropHeight, cropWidth, tf.constant(-1)));
    return tf.slice(image, begin, size);
  }

  /** {@code int32(float32(size * numerator) / denominator)}. */
  private static Operand<TInt32> scaled(Ops tf, Operand<TInt32> size, int numerator, int denominator) {
    Operand<TFloat32> product = tf.dtypes.cast(tf.math.mul(size, tf.constant(numerator)), TFloat32.class);
    return tf.dtypes.cast(tf.math.div(product, tf.constant((float) denominator)), TInt32.class);
  }

  /** {@code int32(float32(difference) / 2)}. */
  private static Operand<TInt32> half(Ops tf, Operand<TInt32> difference) {
    return tf.dtypes.cast(tf.math.div(tf.dtypes.cast(difference, TFloat32.class), tf.constant(2f)), TInt32.class);
  }

  /** An image file's format, told by its first bytes as TensorFlow's {@code DecodeImage} tells it. */
  enum Format {
    JPEG, PNG, GIF, BMP, OTHER;

    static Format of(byte[] b) {
      if (b.length >= 3 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8 && (b[2] & 0xFF) == 0xFF) {
        return JPEG;
      }
      if (b.length >= 4 && (b[0] & 0xFF) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
        return PNG;
      }
      if (b.length >= 3 && b[0] == 'G' && b[1] == 'I' && b[2] == 'F') {
        return GIF;
      }
      if (b.length >= 2 && b[0] == 'B' && b[1] == 'M') {
        return BMP;
      }
      return OTHER;
    }

    /** Whether TensorFlow's decoder of this format gives {@code channels} channels itself. */
    boolean decodes(int channels) {
      return switch (this) {
        case JPEG -> channels != 4;
        case GIF -> channels == 3;
        case BMP -> channels != 1;
        default -> true;
      };
    }
  }
}
