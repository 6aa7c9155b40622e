package dev.tfkeras.layers;

import dev.tfkeras.saving.Config;
import dev.tfkeras.saving.Serialization;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * Keras's {@code Bidirectional} wrapper: runs a copy of a recurrent layer forwards ({@code
 * forward_lstm}) and another backwards ({@code backward_lstm}) over the same sequence and merges
 * their outputs, by default concatenated on the last axis. The wrapped instance itself is only a
 * template: as in Keras, its settings are copied and its weights, if any, are not reused.
 *
 * <pre>{@code
 * var encoder = new Bidirectional(new LSTM(64).returnSequences(true));  // (batch, steps, 128)
 * }</pre>
 *
 * <p>Outputs: the merged output (the two outputs with {@link MergeMode#NONE}), then with {@code
 * returnState} the forward layer's final states and the backward layer's. Initial states, if given
 * after the sequence, are split in half the same way. With {@code returnSequences} masked steps
 * output zeros, and the backward outputs are put back in time order before merging.
 */
public class Bidirectional extends Layer {

  /** How the forward and backward outputs are combined. */
  public enum MergeMode {
    /** Concatenated on the last axis (Keras's default). */
    CONCAT,
    /** Added. */
    SUM,
    /** Multiplied element-wise. */
    MUL,
    /** Averaged. */
    AVE,
    /** Not merged: both outputs are returned (Keras's {@code merge_mode=None}); use applyAll. */
    NONE
  }

  private final MergeMode mergeMode;
  // In a list rather than in fields, so that they are named forward_lstm and backward_lstm as in
  // Keras, not after a field.
  private final List<RNN<?>> directions;
  private final boolean returnSequences;
  private final boolean returnState;

  /** Concatenates the outputs of {@code layer} run forwards and backwards. */
  public Bidirectional(RNN<?> layer) {
    this(layer, MergeMode.CONCAT);
  }

  /**
   * @param layer the recurrent layer to copy for both directions; it must run forwards
   * @param mergeMode how to combine the two outputs
   */
  public Bidirectional(RNN<?> layer, MergeMode mergeMode) {
    this(layer, mergeMode, null);
  }

  /** As Keras's {@code backward_layer} argument: the backward copy named {@code backwardName}. */
  private Bidirectional(RNN<?> layer, MergeMode mergeMode, String backwardName) {
    Objects.requireNonNull(layer, "layer");
    this.mergeMode = Objects.requireNonNull(mergeMode, "mergeMode");
    if (layer.isGoBackwards()) {
      throw new IllegalArgumentException(
          "Forward layer and backward layer should have different `go_backwards` value. Received:"
              + " forward_layer.go_backwards true, backward_layer.go_backwards=true. Wrap a layer"
              + " that runs forwards; Bidirectional makes the backward copy itself.");
    }
    returnSequences = layer.isReturnSequences();
    returnState = layer.isReturnState();
    String base = layer.name();
    // As Keras, masked steps output zeros when returning sequences.
    RNN<?> forward = layer.copy("forward_" + strip(base, "forward_"), false, returnSequences);
    RNN<?> backward = layer.copy(
        backwardName != null ? backwardName : "backward_" + strip(base, "backward_"), true, returnSequences);
    directions = List.of(forward, backward);
  }

  private static String strip(String name, String prefix) {
    return name.startsWith(prefix) ? name.substring(prefix.length()) : name;
  }

  /** The forward copy, {@code forward_<name>}. */
  public RNN<?> forwardLayer() {
    return directions.get(0);
  }

  /** The backward copy, {@code backward_<name>}. */
  public RNN<?> backwardLayer() {
    return directions.get(1);
  }

  /** How the outputs are merged. */
  public MergeMode mergeMode() {
    return mergeMode;
  }

  @Override
  protected void validateInputs(List<Shape> shapes) {
    int states = 2 * forwardLayer().stateCount();
    if (shapes.size() != 1 && shapes.size() != 1 + states) {
      throw new IllegalArgumentException(
          "Layer \"" + name() + "\" takes a sequence, optionally followed by " + states
              + " initial states (the forward layer's, then the backward layer's), received "
              + shapes.size() + " inputs.");
    }
  }

  @Override
  protected List<Operand<TFloat32>> callAll(List<Operand<?>> inputs, boolean training) {
    Ops tf = tf();
    Operand<?> sequence = inputs.get(0);
    List<Operand<?>> forwardArgs = new ArrayList<>(List.of(sequence));
    List<Operand<?>> backwardArgs = new ArrayList<>(List.of(sequence));
    if (inputs.size() > 1) {
      int half = (inputs.size() - 1) / 2;
      forwardArgs.addAll(inputs.subList(1, 1 + half));
      backwardArgs.addAll(inputs.subList(1 + half, inputs.size()));
    }
    List<Operand<TFloat32>> y = forwardLayer().applyAll(forwardArgs, training);
    List<Operand<TFloat32>> yRev = backwardLayer().applyAll(backwardArgs, training);
    Operand<TFloat32> forwardOut = y.get(0);
    Operand<TFloat32> backwardOut = yRev.get(0);
    if (returnSequences) {
      backwardOut = tf.reverse(backwardOut, tf.constant(new int[] {1}));
    }
    List<Operand<TFloat32>> outputs = new ArrayList<>();
    switch (mergeMode) {
      case CONCAT -> outputs.add(tf.concat(List.of(forwardOut, backwardOut), tf.constant(-1)));
      case SUM -> outputs.add(tf.math.add(forwardOut, backwardOut));
      case MUL -> outputs.add(tf.math.mul(forwardOut, backwardOut));
      case AVE -> outputs.add(tf.math.div(tf.math.add(forwardOut, backwardOut), tf.constant(2f)));
      case NONE -> {
        outputs.add(forwardOut);
        outputs.add(backwardOut);
      }
    }
    Operand<TBool> mask = maskOf(sequence);
    if (returnSequences && mask != null) {
      outputs.forEach(o -> setMask(o, mask));
    }
    if (returnState) {
      outputs.addAll(y.subList(1, y.size()));
      outputs.addAll(yRev.subList(1, yRev.size()));
    }
    return Collections.unmodifiableList(outputs);
  }

  /**
   * Keras's {@code Bidirectional.get_config}: {@code merge_mode} (null for {@link MergeMode#NONE}),
   * then both directions serialized, {@code layer} and {@code backward_layer}.
   */
  @Override
  public Config getConfig() {
    return super.getConfig()
        .put("merge_mode", mergeMode == MergeMode.NONE ? null : mergeMode)
        .put("layer", forwardLayer())
        .put("backward_layer", backwardLayer());
  }

  /**
   * Keras's {@code Bidirectional.from_config}: {@code layer} is the forward recurrent layer's
   * serialized config; {@code backward_layer} (always written by Keras 3, by Keras 2 when given)
   * must be the same layer run backwards, as tfkeras makes it; {@code merge_mode} null is Keras's
   * None (both outputs).
   *
   * @throws IllegalArgumentException for a wrapped layer that is not recurrent, a backward layer
   *     that is not the forward one run backwards, or an unknown merge mode
   */
  public static Bidirectional fromConfig(Config config) {
    Config forward = config.getConfig("layer");
    if (forward == null || !forward.has("class_name")) {
      throw config.invalid("layer", "the serialized recurrent layer it wraps");
    }
    Layer layer = Serialization.deserialize(forward, Layer.class);
    if (!(layer instanceof RNN<?> rnn)) {
      throw new IllegalArgumentException(
          "Layer " + config.owner() + " wraps a " + forward.getString("class_name", null)
              + "; tfkeras's Bidirectional wraps LSTM, GRU and SimpleRNN.");
    }
    Config backward = config.getConfig("backward_layer");
    String backwardName = null;
    if (backward != null) {
      backwardName = backward.getConfig("config") == null ? null : backward.getConfig("config").name();
      Config theirs = backward.getConfig("config");
      Config ours = forward.getConfig("config");
      boolean goesBackwards = theirs != null && Boolean.TRUE.equals(theirs.get("go_backwards"));
      theirs = theirs == null ? new Config() : theirs.copy();
      ours = ours.copy();
      for (Config c : List.of(theirs, ours)) {
        c.remove("name");
        c.remove("go_backwards");
      }
      if (!forward.getString("class_name", "").equals(backward.getString("class_name", null)) || !goesBackwards
          || !theirs.equals(ours)) {
        throw new IllegalArgumentException(
            "Layer " + config.owner() + " has a backward_layer that is not its forward"
                + " layer run backwards (expected the same " + forward.getString("class_name", null)
                + " config with go_backwards=True; received " + backward.toJson() + "). tfkeras's"
                + " Bidirectional makes its backward copy from the forward layer.");
      }
    }
    Object merge = config.get("merge_mode");
    MergeMode mode = merge == null ? MergeMode.NONE : switch (String.valueOf(merge)) {
      case "concat" -> MergeMode.CONCAT;
      case "sum" -> MergeMode.SUM;
      case "mul" -> MergeMode.MUL;
      case "ave" -> MergeMode.AVE;
      default -> throw config.invalid("merge_mode", "'sum', 'mul', 'ave', 'concat' or None");
    };
    config.requireDefault("num_constants");
    return configured(new Bidirectional(rnn, mode, backwardName), config);
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
