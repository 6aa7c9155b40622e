package dev.tfkeras.layers;

import dev.tfkeras.initializers.GlorotUniform;
import dev.tfkeras.initializers.Initializer;
import dev.tfkeras.initializers.Orthogonal;
import dev.tfkeras.initializers.Zeros;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * One time step of a recurrent layer, as Keras's {@code SimpleRNNCell}, {@code LSTMCell} and {@code
 * GRUCell}: applied to {@code [input_t, state...]}, it returns the new states, the first of which is
 * the step's output. Its weights are {@code kernel}, {@code recurrent_kernel} and {@code bias},
 * under the cell's name ({@code lstm/lstm_cell/kernel}) as in Keras 3.
 *
 * <p>Settings are fields set by the owning {@link RNN} before build; {@link #copy()} gives an unbuilt
 * cell with the same settings (for {@link Bidirectional}).
 */
abstract class RNNCell extends Layer {

  final int units;
  Activation activation = Activation.TANH;
  boolean useBias = true;
  Initializer kernelInitializer = new GlorotUniform();
  Initializer recurrentInitializer = new Orthogonal();
  Initializer biasInitializer = new Zeros();

  RNNCell(int units) {
    if (units <= 0) {
      throw new IllegalArgumentException(
          "Received an invalid value for argument `units`, expected a positive integer, got "
              + units + ".");
    }
    this.units = units;
  }

  /** Copies the settings common to every cell from {@code other}. */
  RNNCell(RNNCell other) {
    this(other.units);
    activation = other.activation;
    useBias = other.useBias;
    kernelInitializer = other.kernelInitializer;
    recurrentInitializer = other.recurrentInitializer;
    biasInitializer = other.biasInitializer;
  }

  /** How many state tensors the cell carries: 1, or 2 for an LSTM (h and c). */
  abstract int stateCount();

  /** An unbuilt cell with the same settings. */
  abstract RNNCell copy();

  /** Creates the weights for step inputs of {@code inputDim} features. */
  abstract void buildCell(long inputDim);

  /** The new states from one step's input {@code (batch, features)} and the previous states. */
  abstract List<Operand<TFloat32>> step(Operand<TFloat32> input, List<Operand<TFloat32>> states);

  @Override
  protected void validateInputs(List<Shape> shapes) {
    if (shapes.size() != 1 + stateCount()) {
      throw new IllegalArgumentException(
          "Cell \"" + name() + "\" takes the step input and " + stateCount() + " state(s), received "
              + shapes.size() + " tensors.");
    }
  }

  @Override
  protected void build(List<Shape> shapes) {
    Shape input = shapes.get(0);
    buildCell(input.get(input.numDimensions() - 1));
  }

  @Override
  protected List<Operand<TFloat32>> callAll(List<Operand<?>> inputs, boolean training) {
    List<Operand<TFloat32>> states = new ArrayList<>(inputs.size() - 1);
    for (int i = 1; i < inputs.size(); i++) {
      states.add(asFloat(inputs.get(i)));
    }
    return step(asFloat(inputs.get(0)), states);
  }
}
