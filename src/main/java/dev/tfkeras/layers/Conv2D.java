package dev.tfkeras.layers;

import dev.tfkeras.activations.ActivationFunction;
import dev.tfkeras.activations.Activations;
import dev.tfkeras.constraints.Constraint;
import dev.tfkeras.initializers.GlorotUniform;
import dev.tfkeras.initializers.Initializer;
import dev.tfkeras.initializers.Zeros;
import dev.tfkeras.regularizers.Regularizer;
import dev.tfkeras.variables.Variable;
import java.util.Arrays;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * 2-D convolution over {@code (batch, height, width, channels)} inputs (channels last):
 * {@code activation(conv2d(input, kernel) + bias)}. The kernel is {@code (kh, kw, inChannels,
 * filters)}, created from the first input.
 */
public class Conv2D extends Layer {

  private final int filters;
  private final int[] kernelSize;
  private final ActivationFunction activation;
  private int[] strides = {1, 1};
  private Padding padding = Padding.VALID;
  private boolean useBias = true;
  private Initializer kernelInitializer = new GlorotUniform();
  private Initializer biasInitializer = new Zeros();
  private Regularizer kernelRegularizer;
  private Regularizer biasRegularizer;
  private Constraint kernelConstraint;
  private Constraint biasConstraint;
  private Variable<TFloat32> kernel;
  private Variable<TFloat32> bias;

  /** A square {@code kernelSize x kernelSize} convolution without activation. */
  public Conv2D(int filters, int kernelSize) {
    this(filters, kernelSize, Activations.LINEAR);
  }

  /** A square {@code kernelSize x kernelSize} convolution, as {@code Conv2D(32, 3, activation='relu')}. */
  public Conv2D(int filters, int kernelSize, ActivationFunction activation) {
    this(filters, new int[] {kernelSize, kernelSize}, activation);
  }

  /**
   * @param filters number of output channels, positive
   * @param kernelSize {height, width}, positive
   * @param activation applied to the output
   */
  public Conv2D(int filters, int[] kernelSize, ActivationFunction activation) {
    if (filters <= 0) {
      throw new IllegalArgumentException(
          "Received an invalid value for `filters`, expected a positive integer. Received: filters="
              + filters);
    }
    this.filters = filters;
    this.kernelSize = positivePair("kernel_size", kernelSize);
    this.activation = Objects.requireNonNull(activation, "activation");
  }

  /** Same stride on both spatial axes (default 1); returns this. */
  public Conv2D strides(int stride) {
    return strides(new int[] {stride, stride});
  }

  /** Strides {height, width}; returns this. */
  public Conv2D strides(int[] strides) {
    checkNotBuilt("strides");
    this.strides = positivePair("strides", strides);
    return this;
  }

  /** {@link Padding#VALID} (default) or {@link Padding#SAME}; returns this. */
  public Conv2D padding(Padding padding) {
    checkNotBuilt("padding");
    this.padding = Objects.requireNonNull(padding, "padding");
    return this;
  }

  /** Whether to add a bias; returns this. */
  public Conv2D useBias(boolean useBias) {
    checkNotBuilt("useBias");
    this.useBias = useBias;
    return this;
  }

  /** Kernel initializer (default Glorot uniform); returns this. */
  public Conv2D kernelInitializer(Initializer initializer) {
    checkNotBuilt("kernelInitializer");
    this.kernelInitializer = Objects.requireNonNull(initializer, "initializer");
    return this;
  }

  /** Bias initializer (default zeros); returns this. */
  public Conv2D biasInitializer(Initializer initializer) {
    checkNotBuilt("biasInitializer");
    this.biasInitializer = Objects.requireNonNull(initializer, "initializer");
    return this;
  }

  /**
   * Penalty on the kernel, added to the loss (Keras's {@code kernel_regularizer}); null for none;
   * returns this.
   */
  public Conv2D kernelRegularizer(Regularizer regularizer) {
    checkNotBuilt("kernelRegularizer");
    this.kernelRegularizer = regularizer;
    return this;
  }

  /**
   * Penalty on the bias, added to the loss (Keras's {@code bias_regularizer}); null for none;
   * returns this.
   */
  public Conv2D biasRegularizer(Regularizer regularizer) {
    checkNotBuilt("biasRegularizer");
    this.biasRegularizer = regularizer;
    return this;
  }

  /**
   * Projection of the kernel after each optimizer update (Keras's {@code kernel_constraint}); null
   * for none; returns this.
   */
  public Conv2D kernelConstraint(Constraint constraint) {
    checkNotBuilt("kernelConstraint");
    this.kernelConstraint = constraint;
    return this;
  }

  /**
   * Projection of the bias after each optimizer update (Keras's {@code bias_constraint}); null
   * for none; returns this.
   */
  public Conv2D biasConstraint(Constraint constraint) {
    checkNotBuilt("biasConstraint");
    this.biasConstraint = constraint;
    return this;
  }

  /** The kernel; valid after the first apply. */
  public Variable<TFloat32> kernel() {
    requireBuilt();
    return kernel;
  }

  /** The bias, or null with {@code useBias(false)}; valid after the first apply. */
  public Variable<TFloat32> bias() {
    requireBuilt();
    return bias;
  }

  static int[] positivePair(String what, int[] values) {
    if (values == null || values.length != 2 || values[0] <= 0 || values[1] <= 0) {
      throw new IllegalArgumentException(
          "Received an invalid value for `" + what + "`, expected two positive integers. Received: "
              + what + "=" + Arrays.toString(values));
    }
    return values.clone();
  }

  @Override
  protected void validateInput(Shape shape) {
    requireRank(shape, 4);
    requireLastAxis(shape, "input channels");
    for (int axis = 1; axis <= 2; axis++) {
      long size = shape.get(axis);
      if (padding == Padding.VALID && size != Shape.UNKNOWN_SIZE && size < kernelSize[axis - 1]) {
        throw incompatible(
            "with padding VALID, axis " + axis + " must be at least the kernel size "
                + kernelSize[axis - 1] + ", found " + size,
            shape);
      }
    }
  }

  @Override
  protected void build(Shape inputShape) {
    long channels = inputShape.get(3);
    Shape kernelShape = Shape.of(kernelSize[0], kernelSize[1], channels, filters);
    kernel =
        addWeight("kernel", kernelShape, kernelInitializer, true, kernelRegularizer, kernelConstraint);
    if (useBias) {
      bias =
          addWeight("bias", Shape.of(filters), biasInitializer, true, biasRegularizer, biasConstraint);
    }
  }

  @Override
  protected Operand<TFloat32> call(Operand<TFloat32> input, boolean training) {
    var tf = tf();
    Operand<TFloat32> x =
        tf.nn.conv2d(
            input,
            kernel.read(tf),
            java.util.List.of(1L, (long) strides[0], (long) strides[1], 1L),
            padding.op());
    if (bias != null) {
      x = tf.nn.biasAdd(x, bias.read(tf));
    }
    return activation.apply(tf, x);
  }
}
