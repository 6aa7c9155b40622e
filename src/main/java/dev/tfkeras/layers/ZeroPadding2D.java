package dev.tfkeras.layers;

import dev.tfkeras.saving.Config;
import java.util.Arrays;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * Adds rows and columns of zeros around {@code (batch, height, width, channels)} images: {@code
 * (top, bottom)} rows and {@code (left, right)} columns.
 */
public class ZeroPadding2D extends Layer {

  private final int[][] padding;

  /** One row and column of zeros on every side, Keras's default. */
  public ZeroPadding2D() {
    this(1);
  }

  /** {@code padding} rows and columns on every side. */
  public ZeroPadding2D(int padding) {
    this(padding, padding);
  }

  /** {@code height} rows above and below, {@code width} columns left and right. */
  public ZeroPadding2D(int height, int width) {
    if (height < 0 || width < 0) {
      throw new IllegalArgumentException(
          "Received an invalid value for `padding`, expected non-negative integers. Received:"
              + " padding=" + (height == width ? height : "[" + height + ", " + width + "]"));
    }
    this.padding = new int[][] {{height, height}, {width, width}};
  }

  /** {@code {{top, bottom}, {left, right}}}. */
  public ZeroPadding2D(int[][] padding) {
    if (padding == null || padding.length != 2) {
      throw new IllegalArgumentException(
          "`padding` should have two elements. Received: padding=" + Arrays.deepToString(padding) + ".");
    }
    this.padding =
        new int[][] {
          Pairs.nonNegative("1st entry of padding", padding[0]),
          Pairs.nonNegative("2nd entry of padding", padding[1])
        };
  }

  @Override
  protected void validateInput(Shape shape) {
    requireRank(shape, 4);
  }

  @Override
  protected Operand<TFloat32> call(Operand<TFloat32> input, boolean training) {
    var tf = tf();
    int[][] all = {{0, 0}, padding[0], padding[1], {0, 0}};
    return tf.pad(input, tf.constant(all), tf.constant(0f));
  }

  /** The padding {@code {{top, bottom}, {left, right}}}. */
  public int[][] padding() {
    return new int[][] {padding[0].clone(), padding[1].clone()};
  }

  /** Keras's {@code ZeroPadding2D.get_config}: {@code padding} as {@code [[top, bottom], [left, right]]}. */
  @Override
  public Config getConfig() {
    return super.getConfig().put("padding", java.util.List.of(padding[0], padding[1])).put("data_format", "channels_last");
  }

  /** Keras's {@code ZeroPadding2D.from_config}: an int, two ints or two pairs, as Keras takes them. */
  public static ZeroPadding2D fromConfig(Config config) {
    Configs.channelsLast(config);
    Object value = config.get("padding");
    ZeroPadding2D layer;
    if (value == null) {
      layer = new ZeroPadding2D();
    } else if (value instanceof Number) {
      layer = new ZeroPadding2D(config.getInt("padding", 1));
    } else if (value instanceof java.util.List<?> list && list.size() == 2 && list.get(0) instanceof java.util.List<?>) {
      layer = new ZeroPadding2D(new int[][] {
          Configs.ints(config, "padding", list.get(0)), Configs.ints(config, "padding", list.get(1))});
    } else {
      int[] pair = Configs.ints(config, "padding", value);
      if (pair.length != 2) {
        throw config.invalid("padding", "an int, two ints or two pairs of ints");
      }
      layer = new ZeroPadding2D(pair[0], pair[1]);
    }
    return configured(layer, config);
  }
}
