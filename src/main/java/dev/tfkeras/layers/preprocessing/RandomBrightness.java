package dev.tfkeras.layers.preprocessing;

import dev.tfkeras.saving.Config;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras's {@code RandomBrightness}: in training, adds to each image a delta drawn from {@code
 * [lower, upper] × (valueRange high - low)} (a factor f gives [-f, f]; default value range [0,
 * 255]) and clips to {@code valueRange}; the identity at inference. Output is float32.
 */
public class RandomBrightness extends Augmentation<RandomBrightness> {

  private double lower;
  private double upper;
  private double[] valueRange = {0, 255};

  /** @param factor in [-1, 1]: deltas in {@code [-|factor|, |factor|]} of the value range */
  public RandomBrightness(double factor) {
    double[] range = symmetricWithin("factor", factor, -1, 1);
    this.lower = range[0];
    this.upper = range[1];
  }

  /** Deltas in {@code [lower, upper]} of the value range, both in [-1, 1]; returns this. */
  public RandomBrightness factor(double lower, double upper) {
    checkNotBuilt("factor");
    double[] range = rangeWithin("factor", lower, upper, -1, 1, "(" + lower + ", " + upper + ")");
    this.lower = range[0];
    this.upper = range[1];
    return this;
  }

  /** The images' range, which scales the delta and clips the output (default [0, 255]); returns this. */
  public RandomBrightness valueRange(double low, double high) {
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
    double span = valueRange[1] - valueRange[0];
    Operand<TFloat32> delta = draws.uniform(lower * span, upper * span, 3);
    return tf.clipByValue(tf.math.add(nhwc, delta),
        tf.constant((float) valueRange[0]), tf.constant((float) valueRange[1]));
  }

  @Override
  protected void putConfig(Config config) {
    config.put("factor", new double[] {lower, upper}).put("value_range", valueRange.clone());
    putSeed(config);
  }


  /** A RandomBrightness from Keras's config keys (factor, value_range, seed). */
  public static RandomBrightness fromConfig(Config config) {
    double[] factor = readRange(config, "factor");
    RandomBrightness layer = new RandomBrightness(0).factor(factor[0], factor[1]);
    double[] range = config.getDoubles("value_range");
    if (range != null) {
      layer.valueRange(range[0], range[1]);
    }
    return readCommon(layer, config);
  }
}
