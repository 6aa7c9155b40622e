package dev.tfkeras.layers.preprocessing;

import java.util.List;
import dev.tfkeras.saving.Config;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras's {@code RandomZoom}: in training, scales each image about its center by {@code 1 + z}
 * with z drawn from the height factor's range (and, if given, the width's; else the same zoom for
 * both axes): positive factors zoom out (the image shrinks, {@code fillMode} fills the border),
 * negative ones zoom in. Sampling and filling as {@link RandomRotation}. The identity at inference.
 * Output is float32.
 */
public class RandomZoom extends AffineAugmentation<RandomZoom> {

  private static final String FACTOR_ERROR =
      "The `height_factor` and `width_factor` arguments should be a number (or a list of two numbers)"
          + " in the range (-1.0, 1.0]. ";

  private double heightLower;
  private double heightUpper;
  private double[] width;

  /** Zooms both axes alike by {@code 1 + z}, z in {@code [-|heightFactor|, |heightFactor|]}. */
  public RandomZoom(double heightFactor) {
    double[] range = symmetric(heightFactor);
    this.heightLower = range[0];
    this.heightUpper = range[1];
  }

  /** Zooms height and width independently, each factor in (-1, 1]. */
  public RandomZoom(double heightFactor, double widthFactor) {
    this(heightFactor);
    this.width = symmetric(widthFactor);
  }

  /** Height zooms {@code 1 + z}, z in {@code [lower, upper]}; returns this. */
  public RandomZoom heightFactor(double lower, double upper) {
    checkNotBuilt("heightFactor");
    double[] range = pair(lower, upper);
    this.heightLower = range[0];
    this.heightUpper = range[1];
    return this;
  }

  /** Width zooms {@code 1 + z}, z in {@code [lower, upper]}, drawn apart from the height's; returns this. */
  public RandomZoom widthFactor(double lower, double upper) {
    checkNotBuilt("widthFactor");
    this.width = pair(lower, upper);
    return this;
  }

  private static double[] symmetric(double factor) {
    check(factor);
    double f = Math.abs(factor);
    return new double[] {-f, f};
  }

  private static double[] pair(double lower, double upper) {
    check(lower);
    check(upper);
    return new double[] {Math.min(lower, upper), Math.max(lower, upper)};
  }

  private static void check(double value) {
    if (!(value > -1.0 && value <= 1.0)) {
      throw new IllegalArgumentException(FACTOR_ERROR + "Received: input_number=" + value);
    }
  }

  @Override
  protected Operand<TFloat32> augment(Ops tf, Operand<TFloat32> nhwc, Draws draws) {
    Operand<TFloat32> heightZoom = draws.uniform(1.0 + heightLower, 1.0 + heightUpper, 1);
    Operand<TFloat32> widthZoom = width == null ? heightZoom : draws.uniform(1.0 + width[0], 1.0 + width[1], 1);
    Operand<TFloat32> one = tf.constant(1f);
    Operand<TFloat32> half = tf.constant(0.5f);
    Operand<TFloat32> xOffset = tf.math.mul(
        tf.math.mul(tf.math.sub(dimension(tf, nhwc, 2), one), half), tf.math.sub(one, widthZoom));
    Operand<TFloat32> yOffset = tf.math.mul(
        tf.math.mul(tf.math.sub(dimension(tf, nhwc, 1), one), half), tf.math.sub(one, heightZoom));
    Operand<TFloat32> zero = constantColumn(tf, heightZoom, 0f);
    Operand<TFloat32> transforms = rows(tf, List.of(widthZoom, zero, xOffset, zero, heightZoom, yOffset, zero, zero));
    return transform(tf, nhwc, transforms);
  }

  @Override
  protected void putConfig(Config config) {
    config.put("height_factor", new double[] {heightLower, heightUpper});
    if (width == null) {
      config.putNull("width_factor");
    } else {
      config.put("width_factor", width.clone());
    }
    config.put("fill_mode", fillMode).put("interpolation", interpolation);
    putSeed(config).put("fill_value", fillValue);
  }


  /** A RandomZoom from Keras's config keys (height_factor, width_factor, fill_mode, interpolation, fill_value, seed, data_format). */
  public static RandomZoom fromConfig(Config config) {
    double[] height = readRange(config, "height_factor");
    RandomZoom layer = new RandomZoom(0).heightFactor(height[0], height[1]);
    if (config.get("width_factor") != null) {
      double[] width = readRange(config, "width_factor");
      layer.widthFactor(width[0], width[1]);
    }
    layer.readFill(config);
    return readCommon(layer, config);
  }
}
