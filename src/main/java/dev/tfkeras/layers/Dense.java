package dev.tfkeras.layers;

import dev.tfkeras.activations.ActivationFunction;
import dev.tfkeras.activations.Activations;
import dev.tfkeras.constraints.Constraint;
import dev.tfkeras.initializers.GlorotUniform;
import dev.tfkeras.initializers.Initializer;
import dev.tfkeras.initializers.Zeros;
import dev.tfkeras.regularizers.Regularizer;
import dev.tfkeras.variables.Variable;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Densely connected layer: {@code activation(input · kernel + bias)}, over the last axis of an
 * input of rank 2 or more. The kernel is {@code (inputDim, units)}, created from the first input.
 */
public class Dense extends Layer {

  private final int units;
  private final ActivationFunction activation;
  private boolean useBias = true;
  private Initializer kernelInitializer = new GlorotUniform();
  private Initializer biasInitializer = new Zeros();
  private Regularizer kernelRegularizer;
  private Regularizer biasRegularizer;
  private Constraint kernelConstraint;
  private Constraint biasConstraint;
  private Variable<TFloat32> kernel;
  private Variable<TFloat32> bias;

  /** A linear layer (no activation), e.g. for logits. */
  public Dense(int units) {
    this(units, Activations.LINEAR);
  }

  /**
   * @param units output size, positive
   * @param activation applied to the output
   */
  public Dense(int units, ActivationFunction activation) {
    if (units <= 0) {
      throw new IllegalArgumentException(
          "Received an invalid value for `units`, expected a positive integer. Received: units="
              + units);
    }
    this.units = units;
    this.activation = Objects.requireNonNull(activation, "activation");
  }

  /** Whether to add a bias; returns this. */
  public Dense useBias(boolean useBias) {
    checkNotBuilt("useBias");
    this.useBias = useBias;
    return this;
  }

  /** Kernel initializer (default Glorot uniform); returns this. */
  public Dense kernelInitializer(Initializer initializer) {
    checkNotBuilt("kernelInitializer");
    this.kernelInitializer = Objects.requireNonNull(initializer, "initializer");
    return this;
  }

  /** Bias initializer (default zeros); returns this. */
  public Dense biasInitializer(Initializer initializer) {
    checkNotBuilt("biasInitializer");
    this.biasInitializer = Objects.requireNonNull(initializer, "initializer");
    return this;
  }

  /**
   * Penalty on the kernel, added to the loss (Keras's {@code kernel_regularizer}); null for none;
   * returns this.
   */
  public Dense kernelRegularizer(Regularizer regularizer) {
    checkNotBuilt("kernelRegularizer");
    this.kernelRegularizer = regularizer;
    return this;
  }

  /**
   * Penalty on the bias, added to the loss (Keras's {@code bias_regularizer}); null for none;
   * returns this.
   */
  public Dense biasRegularizer(Regularizer regularizer) {
    checkNotBuilt("biasRegularizer");
    this.biasRegularizer = regularizer;
    return this;
  }

  /**
   * Projection of the kernel after each optimizer update (Keras's {@code kernel_constraint}); null
   * for none; returns this.
   */
  public Dense kernelConstraint(Constraint constraint) {
    checkNotBuilt("kernelConstraint");
    this.kernelConstraint = constraint;
    return this;
  }

  /**
   * Projection of the bias after each optimizer update (Keras's {@code bias_constraint}); null
   * for none; returns this.
   */
  public Dense biasConstraint(Constraint constraint) {
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

  /** Output size. */
  public int units() {
    return units;
  }

  @Override
  protected void validateInput(Shape shape) {
    requireMinRank(shape, 2);
    requireLastAxis(shape, "input features");
  }

  @Override
  protected void build(Shape inputShape) {
    long inputDim = inputShape.get(inputShape.numDimensions() - 1);
    kernel =
        addWeight(
            "kernel", Shape.of(inputDim, units), kernelInitializer, true, kernelRegularizer,
            kernelConstraint);
    if (useBias) {
      bias = addWeight("bias", Shape.of(units), biasInitializer, true, biasRegularizer, biasConstraint);
    }
  }

  /** (..., units): static where the middle axes are known, so later layers see real sizes. */
  private Operand<TInt64> outputShapeOf(org.tensorflow.op.Ops tf, Operand<TFloat32> input) {
    Shape shape = input.shape();
    int rank = shape.numDimensions();
    long[] dims = shape.asArray();
    dims[0] = -1;
    dims[rank - 1] = units;
    boolean middleKnown = true;
    for (int i = 1; i < rank - 1; i++) {
      middleKnown &= dims[i] != Shape.UNKNOWN_SIZE;
    }
    if (middleKnown) {
      return tf.constant(dims);
    }
    Operand<TInt64> leading =
        tf.slice(tf.shape(input, TInt64.class), tf.constant(new long[] {0}), tf.constant(new long[] {rank - 1}));
    return tf.concat(java.util.List.of(leading, tf.constant(new long[] {units})), tf.constant(0));
  }

  @Override
  protected Operand<TFloat32> call(Operand<TFloat32> input, boolean training) {
    var tf = tf();
    int rank = input.shape().numDimensions();
    Operand<TFloat32> x;
    if (rank == 2) {
      x = tf.linalg.matMul(input, kernel.read(tf));
    } else {
      // (..., inputDim) -> (N, inputDim) · kernel -> (..., units)
      long inputDim = kernel.shape().get(0);
      Operand<TFloat32> flat = tf.reshape(input, tf.constant(new long[] {-1, inputDim}));
      x = tf.reshape(tf.linalg.matMul(flat, kernel.read(tf)), outputShapeOf(tf, input));
    }
    if (bias != null) {
      x = tf.nn.biasAdd(x, bias.read(tf));
    }
    return activation.apply(tf, x);
  }
}
