package dev.tfkeras.layers.preprocessing;

import java.util.List;
import dev.tfkeras.saving.Config;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras's {@code RandomRotation}: in training, rotates each image about its center by an angle
 * drawn uniformly from {@code [lower, upper] × 360°} (a factor of 0.1 is ±36°; positive angles turn
 * counter-clockwise), through Keras's affine transform: each output pixel samples the input with
 * {@code interpolation} ({@code "bilinear"} default, or {@code "nearest"}), points outside filled by
 * {@code fillMode} ({@code "reflect"} default, {@code "wrap"}, {@code "constant"} with {@code
 * fillValue}, or {@code "nearest"}). The identity at inference. Output is float32.
 */
public class RandomRotation extends AffineAugmentation<RandomRotation> {

  private double lower;
  private double upper;

  /**
   * @param factor a fraction of a full turn in [-1, 1]: angles in {@code [-|factor|, |factor|] ×
   *     360°}
   */
  public RandomRotation(double factor) {
    double[] range = symmetricWithin("factor", factor, -1, 1);
    this.lower = range[0];
    this.upper = range[1];
  }

  /** Angles in {@code [lower, upper] × 360°} (Keras's {@code factor=(lower, upper)}); returns this. */
  public RandomRotation factor(double lower, double upper) {
    checkNotBuilt("factor");
    double[] range = rangeWithin("factor", lower, upper, -1, 1, "(" + lower + ", " + upper + ")");
    this.lower = range[0];
    this.upper = range[1];
    return this;
  }

  /** The factor range (lower, upper), fractions of a full turn. */
  public double[] factor() {
    return new double[] {lower, upper};
  }

  @Override
  protected Operand<TFloat32> augment(Ops tf, Operand<TFloat32> nhwc, Draws draws) {
    Operand<TFloat32> degrees = draws.uniform(lower * 360.0, upper * 360.0, 1);
    Operand<TFloat32> angle = tf.math.mul(degrees, tf.constant((float) (Math.PI / 180.0)));
    Operand<TFloat32> cos = tf.math.cos(angle);
    Operand<TFloat32> sin = tf.math.sin(angle);
    Operand<TFloat32> half = tf.constant(0.5f);
    Operand<TFloat32> cx = tf.math.mul(half, tf.math.sub(dimension(tf, nhwc, 2), tf.constant(1f)));
    Operand<TFloat32> cy = tf.math.mul(half, tf.math.sub(dimension(tf, nhwc, 1), tf.constant(1f)));
    // Keras's _compute_affine_matrix without translation, scaling or shear.
    Operand<TFloat32> a0 = cos;
    Operand<TFloat32> a1 = tf.math.neg(sin);
    Operand<TFloat32> a2 = tf.math.sub(tf.math.sub(cx, tf.math.mul(cx, a0)), tf.math.mul(cy, a1));
    Operand<TFloat32> b0 = sin;
    Operand<TFloat32> b1 = cos;
    Operand<TFloat32> b2 = tf.math.sub(tf.math.sub(cy, tf.math.mul(cx, b0)), tf.math.mul(cy, b1));
    Operand<TFloat32> zero = constantColumn(tf, cos, 0f);
    Operand<TFloat32> transforms = rows(tf, List.of(a0, a1, a2, b0, b1, b2, zero, zero));
    return transform(tf, nhwc, transforms);
  }

  @Override
  protected void putConfig(Config config) {
    config.put("factor", new double[] {lower, upper}).put("fill_mode", fillMode)
        .put("fill_value", fillValue).put("interpolation", interpolation);
    putSeed(config);
  }


  /** A RandomRotation from Keras's config keys (factor, fill_mode, fill_value, interpolation, seed, data_format). */
  public static RandomRotation fromConfig(Config config) {
    double[] factor = readRange(config, "factor");
    RandomRotation layer = new RandomRotation(0).factor(factor[0], factor[1])
        .readFill(config);
    return readCommon(layer, config);
  }
}
