package dev.tfkeras.layers.preprocessing;

import dev.tfkeras.saving.Config;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The augmentation layers that move pixels by an affine transform ({@code RandomRotation}, {@code
 * RandomZoom}, {@code RandomTranslation}): Keras's {@code fill_mode}, {@code interpolation} and
 * {@code fill_value}, shared, and the transform itself (TensorFlow's {@code
 * ImageProjectiveTransformV3}, as Keras's TensorFlow backend).
 *
 * @param <T> the layer's own class, which its fluent setters return
 */
public abstract class AffineAugmentation<T extends AffineAugmentation<T>> extends Augmentation<T> {

  String fillMode = "reflect";
  String interpolation = "bilinear";
  double fillValue;

  /** {@code "reflect"} (default), {@code "wrap"}, {@code "constant"} or {@code "nearest"}; returns this. */
  public T fillMode(String fillMode) {
    checkNotBuilt("fillMode");
    this.fillMode = checkFillMode(fillMode);
    return self();
  }

  /** {@code "bilinear"} (default) or {@code "nearest"}; returns this. */
  public T interpolation(String interpolation) {
    checkNotBuilt("interpolation");
    this.interpolation = checkInterpolation(interpolation);
    return self();
  }

  /** The value outside the image for {@code fillMode("constant")} (default 0); returns this. */
  public T fillValue(double fillValue) {
    checkNotBuilt("fillValue");
    this.fillValue = fillValue;
    return self();
  }

  /** The images moved by one transform per image, filled and interpolated as set. */
  Operand<TFloat32> transform(Ops tf, Operand<TFloat32> nhwc, Operand<TFloat32> transforms) {
    return affine(tf, nhwc, transforms, interpolation, fillMode, (float) fillValue);
  }

  /** Reads Keras's {@code fill_mode}, {@code fill_value} and {@code interpolation}, with Keras's defaults. */
  T readFill(Config config) {
    return fillMode(config.getString("fill_mode", "reflect")).fillValue(config.getDouble("fill_value", 0))
        .interpolation(config.getString("interpolation", "bilinear"));
  }
}
