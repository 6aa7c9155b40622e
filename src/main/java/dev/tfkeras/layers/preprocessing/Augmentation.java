package dev.tfkeras.layers.preprocessing;

import dev.tfkeras.layers.Layer;
import dev.tfkeras.saving.Config;
import dev.tfkeras.saving.Configurable;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.image.ImageProjectiveTransformV3;
import org.tensorflow.op.random.RandomUniform;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The base of Keras's image augmentation layers ({@code BaseImagePreprocessingLayer}): images of
 * rank 4 (batch) or 3 (one image), channels last or first, transformed only in training and
 * returned unchanged (as float32) at inference; every random draw is one uniform per image from a
 * seeded TensorFlow op, so that the same seed gives the same output.
 *
 * <p>Subclasses implement {@link #augment} on NHWC images. Keras's standalone {@code layer(x)}
 * augments (its {@code call} defaults to {@code training=True}); here, as for {@code Dropout}, a
 * layer applied on its own augments with {@code apply(x, true)}, and inside a model during {@code
 * fit}.
 *
 * <p>In a {@code .keras} file these layers are their config only: Keras 3 does not save their
 * {@code SeedGenerator}'s state (it is neither among a layer's own variables nor a saveable
 * attribute), so a loaded layer draws anew from its seed, as in Keras.
 *
 * @param <T> the layer's own class, which its fluent setters return
 */
public abstract class Augmentation<T extends Augmentation<T>> extends Layer implements Configurable {

  /** Keras's {@code fill_mode}s of the affine transforms. */
  public static final List<String> FILL_MODES = List.of("reflect", "wrap", "constant", "nearest");

  /** Keras's {@code interpolation}s of the affine transforms. */
  public static final List<String> INTERPOLATIONS = List.of("nearest", "bilinear");

  private Long seed;
  private String dataFormat = "channels_last";

  /** Subclasses only. */
  protected Augmentation() {}

  /** The seed of the random draws, for the same output in every run; returns this. */
  public T seed(long seed) {
    checkNotBuilt("seed");
    this.seed = seed;
    return self();
  }

  /** This layer as its own class, for fluent setters. */
  @SuppressWarnings("unchecked")
  protected final T self() {
    return (T) this;
  }

  /** The seed, or null when unseeded. */
  public Long seed() {
    return seed;
  }

  /** {@code "channels_last"} (default) or {@code "channels_first"}; returns this. */
  public T dataFormat(String dataFormat) {
    checkNotBuilt("dataFormat");
    this.dataFormat = Resizing.checkDataFormat(dataFormat);
    return self();
  }

  /** The images' layout. */
  public String dataFormat() {
    return dataFormat;
  }

  /**
   * Keras's {@code get_config()} of this layer, in Keras's order: the base layer's {@code name},
   * {@code trainable}, {@code dtype}, the image layers' {@code data_format}, then the layer's own
   * keys ({@link #putConfig}, {@code seed} among them where the Keras class puts it). Factors are
   * written as their (lower, upper) range, which Keras reads back to the same range.
   */
  @Override
  public Config getConfig() {
    Config config = super.getConfig().put("data_format", dataFormat);
    putConfig(config);
    return config;
  }

  /** Adds the layer's own config keys, {@code seed} by {@link #putSeed} where Keras puts it. */
  protected abstract void putConfig(Config config);

  /** Puts {@code seed} (null when unseeded) into {@code config}; returns it. */
  protected final Config putSeed(Config config) {
    return seed == null ? config.putNull("seed") : config.put("seed", seed);
  }

  /**
   * Reads seed and data_format of {@code config}, then the base layer's name, trainable and
   * dtype (float32 only), into {@code layer}; returns it.
   *
   * @throws IllegalArgumentException for an unknown key or a dtype tfkeras does not compute in
   */
  static <L extends Augmentation<L>> L readCommon(L layer, Config config) {
    Long seed = config.getLongOrNull("seed");
    if (seed != null) {
      layer.seed(seed);
    }
    String format = config.getString("data_format", null);
    if (format != null) {
      layer.dataFormat(format);
    }
    return configured(layer, config);
  }

  /** A factor key's range: a list (lower, upper), or one number f as (-|f|, |f|). */
  static double[] readRange(Config config, String key) {
    double[] values = config.getDoubles(key);
    if (values == null || values.length < 1 || values.length > 2) {
      throw config.invalid(key, "a number or a list of two numbers");
    }
    return values.length == 2 ? values : new double[] {-Math.abs(values[0]), Math.abs(values[0])};
  }

  @Override
  protected void validateInput(Shape shape) {
    Images.requireImageRank(shape);
  }

  @Override
  protected final Operand<TFloat32> call(List<Operand<?>> inputs, boolean training) {
    Operand<TFloat32> images = asFloat(inputs.get(0));
    if (!training) {
      return images;
    }
    Ops tf = tf();
    boolean first = dataFormat.equals("channels_first");
    int rank = images.shape().numDimensions();
    Operand<TFloat32> nhwc = Images.toBatchChannelsLast(tf, images, first);
    long s = seed != null ? seed : runtime().nextSeed();
    Operand<TFloat32> out = augment(tf, nhwc, new Draws(tf, nhwc, s));
    return Images.fromBatchChannelsLast(tf, out, first, rank);
  }

  /** The transformed NHWC images, drawing one random value per image from {@code draws}. */
  protected abstract Operand<TFloat32> augment(Ops tf, Operand<TFloat32> nhwc, Draws draws);

  /**
   * The random draws of one call: each {@link #uniform} is another seeded stream, one value per
   * image, as Keras's {@code random.uniform(shape=(batch, ...), minval, maxval, seed)}.
   */
  protected static final class Draws {
    private final Ops tf;
    private final Operand<TInt32> batch;
    private final long seed;
    private int stream;

    Draws(Ops tf, Operand<TFloat32> nhwc, long seed) {
      this.tf = tf;
      this.batch = tf.gather(tf.shape(nhwc), tf.constant(new int[] {0}), tf.constant(0));
      this.seed = seed;
    }

    /**
     * Uniform values in [minval, maxval) of shape (batch, 1, ..., 1) with {@code ones} trailing
     * axes of size 1.
     */
    public Operand<TFloat32> uniform(double minval, double maxval, int ones) {
      int[] trailing = new int[ones];
      java.util.Arrays.fill(trailing, 1);
      Operand<TInt32> shape = tf.concat(List.of(batch, tf.constant(trailing)), tf.constant(0));
      long second = (seed ^ 0x5DEECE66DL) + 0x9E3779B97F4A7C15L * ++stream | 1;
      Operand<TFloat32> unit =
          tf.random.randomUniform(shape, TFloat32.class, RandomUniform.seed(seed), RandomUniform.seed2(second));
      float min = (float) minval;
      float span = (float) (maxval - minval);
      return tf.math.add(tf.math.mul(unit, tf.constant(span)), tf.constant(min));
    }
  }

  // ---- shared by the affine layers (rotation, zoom, translation) ----

  static String checkFillMode(String fillMode) {
    if (!FILL_MODES.contains(fillMode)) {
      throw new IllegalArgumentException(
          "Unknown `fill_mode` " + fillMode + ". Expected of one ('reflect', 'wrap', 'constant', 'nearest').");
    }
    return fillMode;
  }

  static String checkInterpolation(String interpolation) {
    if (!INTERPOLATIONS.contains(interpolation)) {
      throw new IllegalArgumentException(
          "Unknown `interpolation` " + interpolation + ". Expected of one ('nearest', 'bilinear').");
    }
    return interpolation;
  }

  /**
   * Keras's TensorFlow {@code affine_transform}: TF's ImageProjectiveTransformV3 with one row
   * {@code [a0, a1, a2, b0, b1, b2, 0, 0]} per image, mapping each output pixel (x, y) to the input
   * point (a0 x + a1 y + a2, b0 x + b1 y + b2), sampled with {@code interpolation}; points outside
   * the image are filled by {@code fillMode} (with {@code fillValue} for "constant").
   */
  static Operand<TFloat32> affine(
      Ops tf, Operand<TFloat32> nhwc, Operand<TFloat32> transforms, String interpolation,
      String fillMode, float fillValue) {
    Operand<TInt32> size = tf.stridedSlice(tf.shape(nhwc), tf.constant(new int[] {1}), tf.constant(new int[] {3}),
        tf.constant(new int[] {1}));
    Operand<TFloat32> out = tf.image.imageProjectiveTransformV3(
        nhwc, transforms, size, tf.constant(fillValue), interpolation.toUpperCase(java.util.Locale.ROOT),
        ImageProjectiveTransformV3.fillMode(fillMode.toUpperCase(java.util.Locale.ROOT)));
    return tf.ensureShape(out, nhwc.shape());
  }

  /** The images' height and width as float32 scalars. */
  static Operand<TFloat32> dimension(Ops tf, Operand<TFloat32> nhwc, int axis) {
    return tf.dtypes.cast(tf.gather(tf.shape(nhwc), tf.constant(axis), tf.constant(0)), TFloat32.class);
  }

  /** Rows of 8 transform parameters from (batch, 1) columns. */
  static Operand<TFloat32> rows(Ops tf, List<Operand<TFloat32>> columns) {
    return tf.concat(columns, tf.constant(1));
  }

  /** A (batch, 1) column of {@code value}, shaped as {@code like}. */
  static Operand<TFloat32> constantColumn(Ops tf, Operand<TFloat32> like, float value) {
    return tf.fill(tf.shape(like), tf.constant(value));
  }

  /** Keras's factor check (base layer's {@code _set_factor}) for a pair of bounds within [low, high]. */
  static double[] rangeWithin(String name, double lower, double upper, double low, double high, String received) {
    if (Math.min(lower, upper) > high || Math.max(lower, upper) < low || !Double.isFinite(lower) || !Double.isFinite(upper)) {
      throw new IllegalArgumentException(
          "The `" + name + "` argument should be a number (or a list of two numbers) in the range ["
              + fmt(low) + ", " + fmt(high) + "]. Received: " + name + "=" + received);
    }
    return new double[] {Math.min(lower, upper), Math.max(lower, upper)};
  }

  /** Keras's factor check for one number: (max(-|f|, low), |f|). */
  static double[] symmetricWithin(String name, double factor, double low, double high) {
    if (factor < low || factor > high || !Double.isFinite(factor)) {
      throw new IllegalArgumentException(
          "The `" + name + "` argument should be a number (or a list of two numbers) in the range ["
              + fmt(low) + ", " + fmt(high) + "]. Received: " + name + "=" + factor);
    }
    double f = Math.abs(factor);
    return new double[] {Math.max(-f, low), f};
  }

  static String fmt(double value) {
    return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
  }
}
