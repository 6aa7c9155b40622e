package dev.tfkeras.layers.preprocessing;

import java.util.List;
import dev.tfkeras.saving.Config;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras's {@code RandomTranslation}: in training, shifts each image by a fraction of its height
 * (positive: down) and of its width (positive: right), each drawn from its factor's range in [-1,
 * 1]; the uncovered border is filled by {@code fillMode}. Sampling and filling as {@link
 * RandomRotation}. The identity at inference. Output is float32.
 */
public class RandomTranslation extends AffineAugmentation<RandomTranslation> {

  private static final String FACTOR_ERROR =
      "The `factor` argument should be a number (or a list of two numbers) in the range [-1.0, 1.0]. ";

  private double[] height;
  private double[] width;

  /** Shifts by up to {@code ±|heightFactor|} of the height and {@code ±|widthFactor|} of the width. */
  public RandomTranslation(double heightFactor, double widthFactor) {
    this.height = symmetric(heightFactor);
    this.width = symmetric(widthFactor);
  }

  /** Vertical shifts in {@code [lower, upper] × height}; returns this. */
  public RandomTranslation heightFactor(double lower, double upper) {
    checkNotBuilt("heightFactor");
    this.height = pair(lower, upper);
    return this;
  }

  /** Horizontal shifts in {@code [lower, upper] × width}; returns this. */
  public RandomTranslation widthFactor(double lower, double upper) {
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
    if (!(value >= -1.0 && value <= 1.0)) {
      throw new IllegalArgumentException(FACTOR_ERROR + "Received: input_number=" + value);
    }
  }

  @Override
  protected Operand<TFloat32> augment(Ops tf, Operand<TFloat32> nhwc, Draws draws) {
    Operand<TFloat32> down = tf.math.mul(draws.uniform(height[0], height[1], 1), dimension(tf, nhwc, 1));
    Operand<TFloat32> right = tf.math.mul(draws.uniform(width[0], width[1], 1), dimension(tf, nhwc, 2));
    Operand<TFloat32> zero = constantColumn(tf, down, 0f);
    Operand<TFloat32> one = constantColumn(tf, down, 1f);
    Operand<TFloat32> transforms =
        rows(tf, List.of(one, zero, tf.math.neg(right), zero, one, tf.math.neg(down), zero, zero));
    return transform(tf, nhwc, transforms);
  }

  @Override
  protected void putConfig(Config config) {
    config.put("height_factor", height.clone()).put("width_factor", width.clone())
        .put("fill_mode", fillMode).put("interpolation", interpolation);
    putSeed(config).put("fill_value", fillValue);
  }


  /** A RandomTranslation from Keras's config keys (height_factor, width_factor, fill_mode, interpolation, fill_value, seed, data_format). */
  public static RandomTranslation fromConfig(Config config) {
    double[] height = readRange(config, "height_factor");
    double[] width = readRange(config, "width_factor");
    RandomTranslation layer = new RandomTranslation(0, 0).heightFactor(height[0], height[1])
        .widthFactor(width[0], width[1]).readFill(config);
    return readCommon(layer, config);
  }
}
