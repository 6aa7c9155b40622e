package dev.tfkeras.layers.preprocessing;

import java.util.List;
import dev.tfkeras.saving.Config;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * Keras's {@code RandomFlip}: in training, flips each image left-right ({@code "horizontal"}),
 * top-bottom ({@code "vertical"}) or both ({@code "horizontal_and_vertical"}, the default) with
 * probability 1/2, one draw per image ({@code uniform <= 0.5}) used for both flips as Keras does;
 * the identity at inference. Output is float32.
 */
public class RandomFlip extends Augmentation<RandomFlip> {

  /** Keras's modes. */
  public static final List<String> MODES = List.of("horizontal", "vertical", "horizontal_and_vertical");

  private final String mode;

  /** Flips both ways: {@code "horizontal_and_vertical"}. */
  public RandomFlip() {
    this("horizontal_and_vertical");
  }

  /** @param mode {@code "horizontal"}, {@code "vertical"} or {@code "horizontal_and_vertical"} */
  public RandomFlip(String mode) {
    if (!MODES.contains(mode)) {
      throw new IllegalArgumentException(
          "RandomFlip layer " + "expected `mode` to be one of " + MODES + ". Received: mode=" + mode);
    }
    this.mode = mode;
  }

  /** The flip mode. */
  public String mode() {
    return mode;
  }

  @Override
  protected Operand<TFloat32> augment(Ops tf, Operand<TFloat32> nhwc, Draws draws) {
    Operand<TBool> flips = tf.math.lessEqual(draws.uniform(0, 1, 3), tf.constant(0.5f));
    Operand<TFloat32> out = nhwc;
    if (!mode.equals("vertical")) {
      out = tf.select(flips, tf.reverse(out, tf.constant(new int[] {2})), out);
    }
    if (!mode.equals("horizontal")) {
      out = tf.select(flips, tf.reverse(out, tf.constant(new int[] {1})), out);
    }
    return out;
  }

  @Override
  protected void putConfig(Config config) {
    putSeed(config).put("mode", mode);
  }


  /** A RandomFlip from Keras's config keys (mode, seed, data_format, name). */
  public static RandomFlip fromConfig(Config config) {
    return readCommon(new RandomFlip(config.getString("mode", "horizontal_and_vertical")), config);
  }
}
