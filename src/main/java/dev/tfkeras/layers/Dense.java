package dev.tfkeras.layers;

import dev.tfkeras.activations.ActivationFunction;
import dev.tfkeras.activations.Activations;
import dev.tfkeras.saving.Config;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Densely connected layer: {@code activation(input · kernel + bias)}, over the last axis of an
 * input of rank 2 or more. The kernel is {@code (inputDim, units)}, created from the first input.
 */
public class Dense extends KernelLayer<Dense> {

  private final int units;
  private final ActivationFunction activation;

  /** A linear layer (no activation), e.g. for logits. */
  public Dense(int units) {
    this(units, Activations.LINEAR);
  }

  /**
   * A layer with an activation by Keras's name: {@code new Dense(64, "relu")}; null for none.
   *
   * @throws IllegalArgumentException for an unknown activation name, listing the known ones
   */
  public Dense(int units, String activation) {
    this(units, Activations.get(activation));
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
    addKernelAndBias(Shape.of(inputDim, units), units);
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
      x = tf.linalg.matMul(input, kernelVariable().read(tf));
    } else {
      // (..., inputDim) -> (N, inputDim) · kernel -> (..., units)
      long inputDim = kernelVariable().shape().get(0);
      Operand<TFloat32> flat = tf.reshape(input, tf.constant(new long[] {-1, inputDim}));
      x = tf.reshape(tf.linalg.matMul(flat, kernelVariable().read(tf)), outputShapeOf(tf, input));
    }
    if (biasVariable() != null) {
      x = tf.nn.biasAdd(x, biasVariable().read(tf));
    }
    return activation.apply(tf, x);
  }

  /** The activation applied to the output (Keras's {@code activation}). */
  public ActivationFunction activation() {
    return activation;
  }

  /**
   * Keras's {@code Dense.get_config}: the base keys, {@code units}, {@code activation}, {@code
   * use_bias}, the initializers, regularizers and constraints.
   *
   * @throws IllegalArgumentException if the activation has no Keras name
   */
  @Override
  public Config getConfig() {
    Config config = super.getConfig().put("units", units).put("activation", Configs.activation(this, activation));
    return putKernelSettings(config, false);
  }

  /** Keras's {@code Dense.from_config}: an equal, unbuilt layer. */
  public static Dense fromConfig(Config config) {
    Dense dense = new Dense(config.getInt("units", 0), Configs.activation(config, "activation", Activations.LINEAR));
    return configured(dense.readKernelSettings(config), config);
  }
}
