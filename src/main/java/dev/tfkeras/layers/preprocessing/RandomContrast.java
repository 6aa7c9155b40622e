package dev.tfkeras.layers.preprocessing;

import dev.tfkeras.saving.Config;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;

/**
 * Keras's {@code RandomContrast}: in training, {@code (x - mean) * c + mean} per image and channel
 * (the mean over height and width), c drawn from {@code [1 - lower, 1 + upper]}, clipped to {@code
 * valueRange} (default [0, 255]); the identity at inference. As Keras 3 computes it, a single
 * {@code factor} f gives the range (0, f), so c in [1, 1 + f]; {@link #factor(double, double)}
 * sets both bounds, e.g. (0.2, 0.2) for [0.8, 1.2]. Output is float32.
 */
public class RandomContrast extends Augmentation<RandomContrast> {

  private double lower;
  private double upper;
  private double[] valueRange = {0, 255};

  /** @param factor in [0, 1] */
  public RandomContrast(double factor) {
    double[] range = symmetricWithin("factor", factor, 0, 1);
    this.lower = range[0];
    this.upper = range[1];
  }

  /** c in {@code [1 - lower, 1 + upper]}, both in [0, 1]; returns this. */
  public RandomContrast factor(double lower, double upper) {
    checkNotBuilt("factor");
    double[] range = rangeWithin("factor", lower, upper, 0, 1, "(" + lower + ", " + upper + ")");
    this.lower = range[0];
    this.upper = range[1];
    return this;
  }

  /** The range the output is clipped to (default [0, 255]); returns this. */
  public RandomContrast valueRange(double low, double high) {
    checkNotBuilt("valueRange");
    this.valueRange = new double[] {Math.min(low, high), Math.max(low, high)};
    return this;
  }

  /** The factor range (lower, upper). */
  public double[] factor() {
    return new double[] {lower, upper};
  }

  @Override
  protected Operand<TFloat32> augment(Ops tf, Operand<TFloat32> nhwc, Draws draws) {
    Operand<TFloat32> contrast = draws.uniform(1.0 - lower, 1.0 + upper, 3);
    Operand<TFloat32> mean = tf.math.mean(
        tf.math.mean(nhwc, tf.constant(1), Mean.keepDims(true)), tf.constant(2), Mean.keepDims(true));
    Operand<TFloat32> out = tf.math.add(tf.math.mul(tf.math.sub(nhwc, mean), contrast), mean);
    return tf.clipByValue(out, tf.constant((float) valueRange[0]), tf.constant((float) valueRange[1]));
  }

  @Override
  protected void putConfig(Config config) {
    config.put("factor", new double[] {lower, upper}).put("value_range", valueRange.clone());
    putSeed(config);
  }


  /** A RandomContrast from Keras's config keys (factor, value_range, seed). */
  public static RandomContrast fromConfig(Config config) {
    double[] factor = config.getDoubles("factor");
    RandomContrast layer = factor != null && factor.length == 1
        ? new RandomContrast(factor[0])
        : new RandomContrast(0).factor(readRange(config, "factor")[0], readRange(config, "factor")[1]);
    double[] range = config.getDoubles("value_range");
    if (range != null) {
      layer.valueRange(range[0], range[1]);
    }
    return readCommon(layer, config);
  }
}
