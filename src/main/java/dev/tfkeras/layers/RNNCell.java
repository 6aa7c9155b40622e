package dev.tfkeras.layers;

import dev.tfkeras.activations.ActivationFunction;
import dev.tfkeras.initializers.GlorotUniform;
import dev.tfkeras.initializers.Initializer;
import dev.tfkeras.initializers.Orthogonal;
import dev.tfkeras.initializers.Zeros;
import dev.tfkeras.variables.Variable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TType;

/**
 * The maths of one time step of a recurrent layer, as Keras's {@code SimpleRNNCell}, {@code
 * LSTMCell} and {@code GRUCell}, with their weights {@code kernel} {@code (features, gates *
 * units)}, {@code recurrent_kernel} {@code (units, gates * units)} and {@code bias} under the cell's
 * name ({@code lstm/lstm_cell/kernel}), as in Keras 3.
 *
 * <p>Split in two for a small unrolled graph: applied to a whole sequence {@code (batch, steps,
 * features)}, the cell returns its input part for every step at once, {@code x · kernel + input
 * bias} {@code (batch, steps, gates * units)}, one matrix product instead of one per step; {@link
 * #step} then adds the recurrent part and computes the new states. Weight reads and constants used
 * by the steps are made once per layer call ({@link #perSequence}).
 *
 * <p>Settings are fields set by the owning {@link RNN} before build; {@link #copy()} gives an
 * unbuilt cell with the same settings (for {@link Bidirectional}).
 */
abstract class RNNCell extends Layer {

  final int units;
  ActivationFunction activation = Activation.TANH;
  boolean useBias = true;
  Initializer kernelInitializer = new GlorotUniform();
  Initializer recurrentInitializer = new Orthogonal();
  Initializer biasInitializer = new Zeros();
  Variable<TFloat32> kernel;
  Variable<TFloat32> recurrentKernel;
  Variable<TFloat32> bias;
  private final Map<String, Operand<?>> perSequence = new HashMap<>();

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

  /** How many blocks of {@code units} columns the kernels have: 1, 4 for an LSTM, 3 for a GRU. */
  abstract int gates();

  /** How many state tensors the cell carries: 1, or 2 for an LSTM (h and c). */
  abstract int stateCount();

  /** An unbuilt cell with the same settings. */
  abstract RNNCell copy();

  /** The bias's shape: {@code (gates * units)} unless the cell says otherwise. */
  Shape biasShape() {
    return Shape.of((long) gates() * units);
  }

  /** The bias's initializer: the configured one unless the cell adds to it (unit forget bias). */
  Initializer biasInitializerForBuild() {
    return biasInitializer;
  }

  /** The part of the bias added to the input product, or null: the whole bias unless a GRU splits it. */
  Operand<TFloat32> inputBias(Ops tf) {
    return bias == null ? null : perSequence("bias", () -> bias.read(tf));
  }

  /**
   * The new states from one step's input part {@code (batch, gates * units)} (from applying the
   * cell to the sequence) and the previous states; the first new state is the step's output.
   */
  abstract List<Operand<TFloat32>> step(Operand<TFloat32> inputPart, List<Operand<TFloat32>> states);

  /**
   * {@code make}'s value, made on the first step of the current layer call and reused by the
   * following steps: weight reads, their slices, constants.
   */
  @SuppressWarnings("unchecked")
  final <T extends TType> Operand<T> perSequence(String key, Supplier<Operand<T>> make) {
    Operand<?> value = perSequence.get(key);
    if (value == null) {
      value = make.get(); // may itself use perSequence, so not inside computeIfAbsent
      perSequence.put(key, value);
    }
    return (Operand<T>) value;
  }

  /** Called by the layer before and after each call: the next call reads the weights afresh. */
  final void forgetPerSequence() {
    perSequence.clear();
  }

  /**
   * {@code a + b} for operands of one shape, as AddN: its gradient passes the incoming gradient on,
   * where Add's (written for broadcasting) adds seven shape and reduction ops per use, which in an
   * unrolled loop is most of the graph.
   */
  static Operand<TFloat32> sum(Ops tf, Operand<TFloat32> a, Operand<TFloat32> b) {
    return tf.math.addN(List.of(a, b));
  }

  /** The recurrent kernel's value for this layer call. */
  final Operand<TFloat32> recurrentValue(Ops tf) {
    return perSequence("recurrent_kernel", () -> recurrentKernel.read(tf));
  }

  @Override
  protected void validateInput(Shape shape) {
    requireRank(shape, 3);
  }

  @Override
  protected void build(Shape inputShape) {
    long inputDim = inputShape.get(2);
    long columns = (long) gates() * units;
    kernel = addWeight("kernel", Shape.of(inputDim, columns), kernelInitializer, true);
    recurrentKernel = addWeight("recurrent_kernel", Shape.of(units, columns), recurrentInitializer, true);
    if (useBias) {
      bias = addWeight("bias", biasShape(), biasInitializerForBuild(), true);
    }
  }

  /** {@code x · kernel + input bias} for every step: {@code (batch, steps, gates * units)}. */
  @Override
  protected Operand<TFloat32> call(Operand<TFloat32> sequence, boolean training) {
    Ops tf = tf();
    long steps = sequence.shape().get(1);
    long features = sequence.shape().get(2);
    long columns = (long) gates() * units;
    Operand<TFloat32> flat = tf.reshape(sequence, tf.constant(new long[] {-1, features}));
    Operand<TFloat32> product = tf.linalg.matMul(flat, kernel.read(tf));
    Operand<TFloat32> inputBias = inputBias(tf);
    if (inputBias != null) {
      product = tf.nn.biasAdd(product, inputBias);
    }
    Operand<TInt64> shape = tf.constant(new long[] {-1, steps, columns});
    return tf.reshape(product, shape);
  }
}
