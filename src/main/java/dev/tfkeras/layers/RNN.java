package dev.tfkeras.layers;

import dev.tfkeras.activations.ActivationFunction;
import dev.tfkeras.activations.Activations;
import dev.tfkeras.initializers.Initializer;
import dev.tfkeras.initializers.Initializers;
import dev.tfkeras.saving.Config;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Stack;
import org.tensorflow.op.core.Unstack;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A recurrent layer over {@code (batch, timesteps, features)} inputs, as Keras's {@code RNN}: its
 * cell ({@link SimpleRNN}, {@link LSTM}, {@link GRU}) runs once per time step, carrying its states.
 *
 * <p>Outputs: the last step's output {@code (batch, units)}, or with {@link #returnSequences} every
 * step's {@code (batch, timesteps, units)}; with {@link #returnState} the final states follow it
 * (call {@code applyAll}). Further inputs after the sequence are the initial states (zeros
 * otherwise). A Keras mask on the input (from {@code Embedding.maskZero}) skips steps as Keras does:
 * a masked step carries the previous states, and outputs the previous output (zeros with {@link
 * #zeroOutputForMask}); with {@code returnSequences} the output keeps the mask.
 *
 * <p>The loop is unrolled over the time axis when the layer is traced (Keras's {@code unroll=True}),
 * so the number of time steps must be known. TensorFlow's control-flow loop ({@code
 * Graph.whileLoop}) would allow unknown lengths, but TensorFlow Java 1.1.0 cannot differentiate
 * it: taking gradients through it aborts the JVM (a failed CHECK in TensorFlow's {@code
 * gradients.cc}), and recurrent layers must train. The unrolled graph splits the sequence once and
 * stacks the outputs once; a 200-step LSTM traces and trains (see the tests and {@code
 * RecurrentBenchmark}).
 *
 * @param <L> the concrete layer, returned by the settings for chaining
 */
public abstract class RNN<L extends RNN<L>> extends Layer {

  private boolean returnSequences;
  private boolean returnState;
  private boolean goBackwards;
  private boolean zeroOutputForMask;
  private String defaultName;

  RNN() {}

  /** The cell that computes one step; a sublayer named as in Keras ({@code lstm_cell}). */
  abstract RNNCell cell();

  /** A new, unbuilt layer of this type around {@code cell}. */
  abstract L withCell(RNNCell cell);

  @SuppressWarnings("unchecked")
  final L self() {
    return (L) this;
  }

  /** Whether to return every step's output (default false: the last one only); returns this. */
  public L returnSequences(boolean returnSequences) {
    checkNotBuilt("returnSequences");
    this.returnSequences = returnSequences;
    return self();
  }

  /** Whether to return the final states after the output (use {@code applyAll}); returns this. */
  public L returnState(boolean returnState) {
    checkNotBuilt("returnState");
    this.returnState = returnState;
    return self();
  }

  /**
   * Whether to run over the sequence backwards (default false); with {@code returnSequences} the
   * outputs come in that reversed order, as in Keras. Returns this.
   */
  public L goBackwards(boolean goBackwards) {
    checkNotBuilt("goBackwards");
    this.goBackwards = goBackwards;
    return self();
  }

  /** Whether masked steps output zeros rather than the previous output (default false); returns this. */
  public L zeroOutputForMask(boolean zeroOutputForMask) {
    checkNotBuilt("zeroOutputForMask");
    this.zeroOutputForMask = zeroOutputForMask;
    return self();
  }

  /**
   * {@link #activation(ActivationFunction)} by Keras's identifier,
   * e.g. {@code "relu"}; returns this.
   *
   * @throws IllegalArgumentException for an unknown identifier, listing the known ones
   */
  public L activation(String identifier) {
    return activation(Activations.get(identifier));
  }

  /** The output activation (default tanh; {@link Activation#LINEAR} for none); returns this. */
  public L activation(ActivationFunction activation) {
    checkNotBuilt("activation");
    cell().activation = Objects.requireNonNull(activation, "activation");
    return self();
  }

  /** Whether to add a bias (default true); returns this. */
  public L useBias(boolean useBias) {
    checkNotBuilt("useBias");
    cell().useBias = useBias;
    return self();
  }

  /**
   * {@link #kernelInitializer(Initializer)} by Keras's identifier,
   * e.g. {@code "glorot_uniform"}; returns this.
   *
   * @throws IllegalArgumentException for an unknown identifier, listing the known ones
   */
  public L kernelInitializer(String identifier) {
    return kernelInitializer(Initializers.get(identifier));
  }

  /** Initializer of {@code kernel}, the input weights (default Glorot uniform); returns this. */
  public L kernelInitializer(Initializer initializer) {
    checkNotBuilt("kernelInitializer");
    cell().kernelInitializer = Objects.requireNonNull(initializer, "initializer");
    return self();
  }

  /**
   * {@link #recurrentInitializer(Initializer)} by Keras's identifier,
   * e.g. {@code "orthogonal"}; returns this.
   *
   * @throws IllegalArgumentException for an unknown identifier, listing the known ones
   */
  public L recurrentInitializer(String identifier) {
    return recurrentInitializer(Initializers.get(identifier));
  }

  /** Initializer of {@code recurrent_kernel} (default orthogonal); returns this. */
  public L recurrentInitializer(Initializer initializer) {
    checkNotBuilt("recurrentInitializer");
    cell().recurrentInitializer = Objects.requireNonNull(initializer, "initializer");
    return self();
  }

  /**
   * {@link #biasInitializer(Initializer)} by Keras's identifier,
   * e.g. {@code "zeros"}; returns this.
   *
   * @throws IllegalArgumentException for an unknown identifier, listing the known ones
   */
  public L biasInitializer(String identifier) {
    return biasInitializer(Initializers.get(identifier));
  }

  /** Initializer of {@code bias} (default zeros); returns this. */
  public L biasInitializer(Initializer initializer) {
    checkNotBuilt("biasInitializer");
    cell().biasInitializer = Objects.requireNonNull(initializer, "initializer");
    return self();
  }

  /** Size of the output and of each state. */
  public int units() {
    return cell().units;
  }

  /** Whether every step's output is returned. */
  public boolean isReturnSequences() {
    return returnSequences;
  }

  /** Whether the final states are returned after the output. */
  public boolean isReturnState() {
    return returnState;
  }

  /** Whether the sequence is processed backwards. */
  public boolean isGoBackwards() {
    return goBackwards;
  }

  /** Whether masked steps output zeros ({@link #zeroOutputForMask(boolean)}). */
  public boolean isZeroOutputForMask() {
    return zeroOutputForMask;
  }

  /** The cell's activation ({@link #activation(ActivationFunction)}). */
  public ActivationFunction activation() {
    return cell().activation;
  }

  /** Whether the cell has a bias ({@link #useBias(boolean)}). */
  public boolean useBias() {
    return cell().useBias;
  }

  /** How many state tensors the layer carries: 2 for an LSTM (h, c), 1 otherwise. */
  public int stateCount() {
    return cell().stateCount();
  }

  /**
   * An unbuilt copy with the same settings, named {@code name} before its first apply, running
   * backwards if {@code goBackwards}: Bidirectional's {@code forward_lstm} and {@code backward_lstm}.
   */
  final L copy(String name, boolean goBackwards, boolean zeroOutputForMask) {
    L twin = withCell(cell().copy());
    RNN<L> copy = twin;
    copy.returnSequences = returnSequences;
    copy.returnState = returnState;
    copy.goBackwards = goBackwards;
    copy.zeroOutputForMask = zeroOutputForMask;
    copy.defaultName = name;
    return twin;
  }

  /**
   * The name Bidirectional gives its copies ({@code forward_lstm}) until they are built, so that
   * their parent names them so; then the name they were given.
   */
  @Override
  public String name() {
    return defaultName != null && !isBuilt() ? defaultName : super.name();
  }

  @Override
  protected void validateInputs(List<Shape> shapes) {
    int states = stateCount();
    if (shapes.size() != 1 && shapes.size() != 1 + states) {
      throw new IllegalArgumentException(
          "Layer \"" + name() + "\" takes a sequence, optionally followed by its " + states
              + " initial state" + (states == 1 ? "" : "s") + ", received " + shapes.size()
              + " inputs.");
    }
    Shape sequence = shapes.get(0);
    requireRank(sequence, 3);
    long steps = sequence.get(1);
    if (steps == Shape.UNKNOWN_SIZE) {
      throw incompatible(
          "expected a known number of time steps (axis 1), found None; recurrent layers are"
              + " unrolled over the time axis because TensorFlow Java cannot differentiate its"
              + " while loop. Give the input a fixed length (pad or cut the sequences to one"
              + " length, e.g. Input.of(TInt32.class, 20))",
          sequence);
    }
    if (steps == 0) {
      throw incompatible("expected at least one time step (axis 1), found 0", sequence);
    }
    requireLastAxis(sequence, "input features");
    for (int i = 1; i < shapes.size(); i++) {
      Shape state = shapes.get(i);
      if (state.isUnknown() || state.numDimensions() != 2 || state.get(1) != units()) {
        throw new IllegalArgumentException(
            "Initial state " + (i - 1) + " of layer \"" + name() + "\" must have shape (batch, "
                + units() + "), received " + format(state) + ".");
      }
    }
  }

  @Override
  protected List<Operand<TFloat32>> callAll(List<Operand<?>> inputs, boolean training) {
    RNNCell cell = cell();
    cell.forgetPerSequence();
    try {
      return loop(cell, inputs, training);
    } finally {
      cell.forgetPerSequence();
    }
  }

  private List<Operand<TFloat32>> loop(RNNCell cell, List<Operand<?>> inputs, boolean training) {
    Ops tf = tf();
    Operand<TFloat32> sequence = asFloat(inputs.get(0));
    Operand<TBool> mask = maskOf(inputs.get(0));
    int steps = (int) sequence.shape().get(1);
    List<Operand<TFloat32>> states = new ArrayList<>();
    if (inputs.size() > 1) {
      inputs.subList(1, inputs.size()).forEach(s -> states.add(asFloat(s)));
    } else {
      Operand<TFloat32> zeros = zeroState(tf, sequence, cell.units);
      for (int i = 0; i < cell.stateCount(); i++) {
        states.add(zeros);
      }
    }
    // The input part of every step in one product, then one slice per step.
    List<Operand<TFloat32>> stepInputs = timeSteps(tf, cell.apply(sequence, training), steps);
    List<Operand<TFloat32>> keep = null;
    List<Operand<TFloat32>> skip = null;
    if (mask != null) {
      // (batch, steps) -> per step (batch, 1): 1 where the step is real, and its complement
      Operand<TFloat32> m = tf.expandDims(tf.dtypes.cast(mask, TFloat32.class), tf.constant(-1));
      keep = timeSteps(tf, m, steps);
      skip = timeSteps(tf, tf.math.sub(tf.constant(1f), m), steps);
    }
    List<Operand<TFloat32>> outputs = new ArrayList<>(returnSequences ? steps : 1);
    Operand<TFloat32> previousOutput = null;
    for (int n = 0; n < steps; n++) {
      int t = goBackwards ? steps - 1 - n : n;
      List<Operand<TFloat32>> next = cell.step(stepInputs.get(t), states);
      Operand<TFloat32> output = next.get(0);
      if (mask != null) {
        Operand<TFloat32> k = keep.get(t);
        Operand<TFloat32> s = skip.get(t);
        // Keras's where(mask, new, previous), as arithmetic that is exact for finite values
        output =
            zeroOutputForMask || previousOutput == null
                ? tf.math.mul(k, output)
                : blend(tf, k, s, output, previousOutput);
        for (int i = 0; i < states.size(); i++) {
          states.set(i, blend(tf, k, s, next.get(i), states.get(i)));
        }
      } else {
        states.clear();
        states.addAll(next);
      }
      previousOutput = output;
      if (returnSequences) {
        outputs.add(output);
      }
    }
    Operand<TFloat32> result =
        returnSequences ? tf.stack(outputs, Stack.axis(1L)) : previousOutput;
    if (returnSequences && mask != null) {
      setMask(result, mask);
    }
    if (!returnState) {
      return List.of(result);
    }
    List<Operand<TFloat32>> all = new ArrayList<>(1 + states.size());
    all.add(result);
    all.addAll(states);
    return Collections.unmodifiableList(all);
  }

  private static Operand<TFloat32> blend(
      Ops tf, Operand<TFloat32> keep, Operand<TFloat32> skip, Operand<TFloat32> fresh, Operand<TFloat32> old) {
    return RNNCell.sum(tf, tf.math.mul(keep, fresh), tf.math.mul(skip, old));
  }

  /** The {@code steps} slices {@code x[:, t]}, from one Unpack op. */
  private static List<Operand<TFloat32>> timeSteps(Ops tf, Operand<TFloat32> x, int steps) {
    return new ArrayList<>(tf.unstack(x, (long) steps, Unstack.axis(1L)).output());
  }

  /** Zeros of shape (batch, units), the batch taken from {@code sequence}. */
  private static Operand<TFloat32> zeroState(Ops tf, Operand<TFloat32> sequence, int units) {
    Operand<TInt32> batch = tf.gather(tf.shape(sequence), tf.constant(0), tf.constant(0));
    return tf.fill(tf.stack(List.of(batch, tf.constant(units))), tf.constant(0f));
  }

  /** The initializer of {@code kernel}. */
  public Initializer kernelInitializer() {
    return cell().kernelInitializer;
  }

  /** The initializer of {@code recurrent_kernel}. */
  public Initializer recurrentInitializer() {
    return cell().recurrentInitializer;
  }

  /** The initializer of {@code bias}. */
  public Initializer biasInitializer() {
    return cell().biasInitializer;
  }

  /**
   * Keras 3's config of an LSTM, GRU or SimpleRNN: the RNN base's keys ({@code return_sequences},
   * {@code return_state}, {@code go_backwards}, {@code stateful}, {@code unroll}, {@code
   * zero_output_for_mask}), then the layer's own (keras/src/layers/rnn/lstm.py, gru.py,
   * simple_rnn.py); regularizers, constraints and dropouts, which tfkeras's recurrent layers do not
   * take, as null and 0.
   *
   * @throws IllegalArgumentException if an activation has no Keras name
   */
  @Override
  public Config getConfig() {
    RNNCell cell = cell();
    Config config = super.getConfig()
        .put("return_sequences", returnSequences)
        .put("return_state", returnState)
        .put("go_backwards", goBackwards)
        .put("stateful", false)
        .put("unroll", false)
        .put("zero_output_for_mask", zeroOutputForMask)
        .put("units", cell.units)
        .put("activation", Configs.activation(this, cell.activation));
    if (cell instanceof LSTMCell lstm) {
      config.put("recurrent_activation", Configs.activation(this, lstm.recurrentActivation));
    } else if (cell instanceof GRUCell gru) {
      config.put("recurrent_activation", Configs.activation(this, gru.recurrentActivation));
    }
    config.put("use_bias", cell.useBias)
        .put("kernel_initializer", cell.kernelInitializer)
        .put("recurrent_initializer", cell.recurrentInitializer)
        .put("bias_initializer", cell.biasInitializer);
    if (cell instanceof LSTMCell lstm) {
      config.put("unit_forget_bias", lstm.unitForgetBias);
    }
    config.putNull("kernel_regularizer", "recurrent_regularizer", "bias_regularizer", "activity_regularizer",
            "kernel_constraint", "recurrent_constraint", "bias_constraint")
        .put("dropout", 0.0)
        .put("recurrent_dropout", 0.0);
    if (cell instanceof GRUCell gru) {
      config.put("reset_after", gru.resetAfter);
    }
    if (!(cell instanceof SimpleRNNCell)) {
      config.putNull("seed");
    }
    return config;
  }

  /**
   * Reads the keys every recurrent layer shares, with Keras's defaults (Keras 2's {@code
   * time_major} and {@code implementation} too); {@code stateful}, {@code time_major}, dropouts,
   * regularizers and constraints are refused unless at their defaults. Returns this.
   */
  final L readRecurrentSettings(Config config, ActivationFunction defaultActivation) {
    activation(Configs.activation(config, "activation", defaultActivation));
    useBias(config.getBoolean("use_bias", true));
    returnSequences(config.getBoolean("return_sequences", false));
    returnState(config.getBoolean("return_state", false));
    goBackwards(config.getBoolean("go_backwards", false));
    zeroOutputForMask(config.getBoolean("zero_output_for_mask", false));
    kernelInitializer(Configs.initializer(config, "kernel_initializer", kernelInitializer()));
    recurrentInitializer(Configs.initializer(config, "recurrent_initializer", recurrentInitializer()));
    biasInitializer(Configs.initializer(config, "bias_initializer", biasInitializer()));
    for (String key : new String[] {"stateful", "time_major"}) {
      if (config.getBoolean(key, false)) {
        throw new IllegalArgumentException(
            "Layer " + config.owner() + " has " + key + "=True, which tfkeras's recurrent layers do"
                + " not support; expected " + key + "=False.");
      }
    }
    for (String key : new String[] {"dropout", "recurrent_dropout"}) {
      double rate = config.getDouble(key, 0);
      if (rate != 0) {
        throw new IllegalArgumentException(
            "Layer " + config.owner() + " has " + key + "=" + rate + ", which tfkeras's recurrent"
                + " layers do not support yet; expected 0. Put a Dropout layer before it, or set "
                + key + "=0 in Keras and save again.");
      }
    }
    // unroll: tfkeras always unrolls (see above), with the same result; implementation: Keras 2's
    // choice of kernel fusion, the same maths; seed: the dropouts' seed, and there is no dropout.
    config.ignore("unroll", "implementation", "seed");
    config.requireDefault("kernel_regularizer", "recurrent_regularizer", "bias_regularizer",
        "kernel_constraint", "recurrent_constraint", "bias_constraint");
    return self();
  }

  /**
   * Keras's build config: {@code input_shape} of the sequence, or, called with initial states,
   * {@code shapes_dict} with {@code sequences_shape} and {@code initial_state_shape}.
   */
  @Override
  public Config getBuildConfig() {
    return Configs.sequenceBuildConfig(this, super.getBuildConfig());
  }
}
