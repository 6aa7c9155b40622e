package dev.tfkeras.layers;

import dev.tfkeras.initializers.Constant;
import dev.tfkeras.initializers.Initializer;
import dev.tfkeras.initializers.Zeros;
import dev.tfkeras.variables.Variable;
import java.util.Arrays;
import java.util.Objects;
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
public class LayerNormalization extends Layer {

  private int[] axis = {-1};
  private double epsilon = 1e-3;
  private boolean center = true;
  private boolean scale = true;
  private Initializer betaInitializer = new Zeros();
  private Initializer gammaInitializer = Constant.of(1f);
  private int[] axes;
  private Variable<TFloat32> gamma;
  private Variable<TFloat32> beta;

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

  /** Added to the variance before the square root (default 1e-3); returns this. */
  public LayerNormalization epsilon(double epsilon) {
    checkNotBuilt("epsilon");
    this.epsilon = epsilon;
    return this;
  }

  /** Whether to add the learned offset {@code beta} (default true); returns this. */
  public LayerNormalization center(boolean center) {
    checkNotBuilt("center");
    this.center = center;
    return this;
  }

  /** Whether to multiply by the learned scale {@code gamma} (default true); returns this. */
  public LayerNormalization scale(boolean scale) {
    checkNotBuilt("scale");
    this.scale = scale;
    return this;
  }

  /** Initializer of {@code beta} (default zeros); returns this. */
  public LayerNormalization betaInitializer(Initializer initializer) {
    checkNotBuilt("betaInitializer");
    this.betaInitializer = Objects.requireNonNull(initializer, "initializer");
    return this;
  }

  /** Initializer of {@code gamma} (default ones); returns this. */
  public LayerNormalization gammaInitializer(Initializer initializer) {
    checkNotBuilt("gammaInitializer");
    this.gammaInitializer = Objects.requireNonNull(initializer, "initializer");
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
    if (scale) {
      gamma = addWeight("gamma", Shape.of(dims), gammaInitializer, true);
    }
    if (center) {
      beta = addWeight("beta", Shape.of(dims), betaInitializer, true);
    }
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
        gamma == null ? null : tf.reshape(gamma.read(tf), broadcast),
        beta == null ? null : tf.reshape(beta.read(tf), broadcast),
        (float) epsilon);
  }
}
