package dev.tfkeras.layers;

import dev.tfkeras.saving.Config;
import java.util.Arrays;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Normalizes each example over {@code axis} (the last axis by default) to zero mean and unit
 * variance, then scales by {@code gamma} and shifts by {@code beta}, as Keras's LayerNormalization.
 * Unlike BatchNormalization it keeps no state and behaves the same in training and inference.
 */
public class LayerNormalization extends NormalizationBase<LayerNormalization> {

  private int[] axis = {-1};
  private int[] axes;

  /** Keras's defaults: the last axis, epsilon 1e-3, with gamma and beta. */
  public LayerNormalization() {}

  /** The axes to normalize over, e.g. {@code axis(-3, -2, -1)} for whole images; returns this. */
  public LayerNormalization axis(int... axis) {
    checkNotBuilt("axis");
    if (axis == null || axis.length == 0) {
      throw new IllegalArgumentException(
          "Received an invalid value for `axis`, expected one or more axes. Received: axis="
              + Arrays.toString(axis));
    }
    this.axis = axis.clone();
    return this;
  }

  @Override
  protected boolean supportsMasking() {
    return true;
  }

  @Override
  protected void validateInput(Shape shape) {
    requireMinRank(shape, 1);
    Shape built = inputShape();
    if (built != null) {
      requireRank(shape, built.numDimensions());
    }
    int[] canonical = canonicalAxes(shape.numDimensions());
    for (int a : canonical) {
      long size = shape.get(a);
      if (built != null && size != built.get(a)) {
        throw incompatible(
            "expected axis " + a + " of input shape to have value " + built.get(a) + ", found " + size,
            shape);
      }
      if (size == Shape.UNKNOWN_SIZE) {
        throw incompatible("axis " + a + " (a normalized axis) must be known", shape);
      }
    }
  }

  private int[] canonicalAxes(int rank) {
    int[] out = new int[axis.length];
    for (int i = 0; i < axis.length; i++) {
      out[i] = Normalize.canonicalAxis(axis[i], rank);
    }
    Arrays.sort(out);
    for (int i = 1; i < out.length; i++) {
      if (out[i] == out[i - 1]) {
        throw new IllegalArgumentException(
            "Duplicate axes are not allowed. Received: axis=" + Arrays.toString(axis));
      }
    }
    return out;
  }

  @Override
  protected void build(Shape inputShape) {
    axes = canonicalAxes(inputShape.numDimensions());
    long[] dims = new long[axes.length];
    for (int i = 0; i < axes.length; i++) {
      dims[i] = inputShape.get(axes[i]);
    }
    addGammaAndBeta(Shape.of(dims));
  }

  @Override
  protected Operand<TFloat32> call(Operand<TFloat32> input, boolean training) {
    Ops tf = tf();
    Normalize.Moments moments = Normalize.moments(tf, input, axes);
    Operand<TInt64> broadcast = tf.constant(Normalize.broadcastShape(input.shape(), axes));
    return Normalize.apply(
        tf,
        input,
        moments.mean(),
        moments.variance(),
        gammaVariable() == null ? null : tf.reshape(gammaVariable().read(tf), broadcast),
        betaVariable() == null ? null : tf.reshape(betaVariable().read(tf), broadcast),
        (float) epsilon);
  }

  /** The normalized axes, as given (Keras's {@code axis}). */
  public int[] axes() {
    return axis.clone();
  }

  /** Keras's {@code LayerNormalization.get_config}: {@code axis} an int or a list, {@code rms_scaling} false. */
  @Override
  public Config getConfig() {
    return super.getConfig()
        .put("axis", Configs.intOrList(axis))
        .put("epsilon", epsilon)
        .put("center", center())
        .put("scale", scale())
        .put("rms_scaling", false)
        .put("beta_initializer", betaInitializer())
        .put("gamma_initializer", gammaInitializer())
        .putNull("beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint");
  }

  /** Keras's {@code LayerNormalization.from_config}; {@code rms_scaling} is refused. */
  public static LayerNormalization fromConfig(Config config) {
    LayerNormalization ln = new LayerNormalization()
        .axis(Configs.intOrInts(config, "axis", new int[] {-1}))
        .readNormalizationSettings(config);
    if (config.getBoolean("rms_scaling", false)) {
      throw config.invalid("rms_scaling", "false: tfkeras's LayerNormalization has no RMS scaling");
    }
    return configured(ln, config);
  }
}
