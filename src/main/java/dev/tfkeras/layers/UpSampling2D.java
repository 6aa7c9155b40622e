package dev.tfkeras.layers;

import dev.tfkeras.saving.Config;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.image.ResizeBilinear;
import org.tensorflow.op.image.ResizeNearestNeighbor;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Enlarges {@code (batch, height, width, channels)} images by whole factors: {@code (h, w) -> (h ·
 * size[0], w · size[1])}, repeating pixels ({@link Interpolation#NEAREST}, the default) or
 * interpolating between them ({@link Interpolation#BILINEAR}, half-pixel centres as Keras's image
 * resize).
 */
public class UpSampling2D extends Layer {

  /** How new pixels get their values. */
  public enum Interpolation {
    /** Each pixel repeated {@code size} times along each axis. */
    NEAREST,
    /** Linear interpolation between the nearest pixel centres along both axes. */
    BILINEAR
  }

  private final int[] size;
  private Interpolation interpolation = Interpolation.NEAREST;

  /** Doubles height and width, Keras's default. */
  public UpSampling2D() {
    this(2);
  }

  /** The same factor along height and width. */
  public UpSampling2D(int size) {
    this(Pairs.twice(size));
  }

  /** Factors {height, width}, positive. */
  public UpSampling2D(int[] size) {
    this.size = Pairs.positive("size", size);
  }

  /** {@link Interpolation#NEAREST} (default) or {@link Interpolation#BILINEAR}; returns this. */
  public UpSampling2D interpolation(Interpolation interpolation) {
    checkNotBuilt("interpolation");
    this.interpolation = Objects.requireNonNull(interpolation, "interpolation");
    return this;
  }

  @Override
  protected void validateInput(Shape shape) {
    requireRank(shape, 4);
  }

  @Override
  protected Operand<TFloat32> call(Operand<TFloat32> input, boolean training) {
    var tf = tf();
    Shape shape = input.shape();
    Operand<TInt32> target;
    if (shape.get(1) != Shape.UNKNOWN_SIZE && shape.get(2) != Shape.UNKNOWN_SIZE) {
      target = tf.constant(new int[] {(int) shape.get(1) * size[0], (int) shape.get(2) * size[1]});
    } else {
      Operand<TInt32> spatial =
          tf.slice(tf.shape(input), tf.constant(new int[] {1}), tf.constant(new int[] {2}));
      target = tf.math.mul(spatial, tf.constant(size));
    }
    if (interpolation == Interpolation.NEAREST) {
      // floor((i + 0.5) / size) = i / size exactly: the repeat Keras computes
      return tf.image.resizeNearestNeighbor(input, target, ResizeNearestNeighbor.halfPixelCenters(true));
    }
    return tf.image.resizeBilinear(input, target, ResizeBilinear.halfPixelCenters(true));
  }

  /** The factors {height, width}. */
  public int[] size() {
    return size.clone();
  }

  /** How new pixels get their values. */
  public Interpolation interpolation() {
    return interpolation;
  }

  /** Keras's {@code UpSampling2D.get_config}: {@code size}, {@code data_format}, {@code interpolation}. */
  @Override
  public Config getConfig() {
    return super.getConfig().put("size", size).put("data_format", "channels_last").put("interpolation", interpolation);
  }

  /** Keras's {@code UpSampling2D.from_config}: nearest or bilinear interpolation. */
  public static UpSampling2D fromConfig(Config config) {
    Configs.channelsLast(config);
    String name = config.getString("interpolation", "nearest");
    Interpolation interpolation;
    try {
      interpolation = Interpolation.valueOf(name.toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw config.invalid("interpolation", "'nearest' or 'bilinear' (tfkeras's UpSampling2D)");
    }
    UpSampling2D layer = new UpSampling2D(config.getInts("size", 2, new int[] {2, 2})).interpolation(interpolation);
    return configured(layer, config);
  }
}
