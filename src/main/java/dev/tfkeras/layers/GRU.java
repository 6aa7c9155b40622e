package dev.tfkeras.layers;

import dev.tfkeras.activations.ActivationFunction;
import dev.tfkeras.activations.Activations;
import dev.tfkeras.saving.Config;
import java.util.Objects;

/**
 * Keras's {@code GRU} (Cho et al. 2014): one state {@code h}, the output; gates z (update), r
 * (reset), h (candidate) in Keras's order along the kernels' last axis. Weights {@code
 * gru/gru_cell/kernel} {@code (features, 3 * units)}, {@code recurrent_kernel} {@code (units, 3 *
 * units)} and {@code bias}: {@code (2, 3 * units)} with {@link #resetAfter} (the default, the
 * cuDNN-compatible variant with separate input and recurrent biases), else {@code (3 * units)}.
 *
 * <pre>{@code
 * var gru = new GRU(64).returnSequences(true);
 * }</pre>
 *
 * See {@link RNN} for sequences, states, masks and why the loop is unrolled.
 */
public class GRU extends RNN<GRU> {

  // Named after this field, gru_cell, as Keras names the cell.
  private final GRUCell gruCell;

  /**
   * @param units size of the output and state, positive
   */
  public GRU(int units) {
    this(new GRUCell(units));
  }

  private GRU(GRUCell cell) {
    this.gruCell = cell;
  }

  /**
   * {@link #recurrentActivation(ActivationFunction)} by Keras's identifier,
   * e.g. {@code "hard_sigmoid"}; returns this.
   *
   * @throws IllegalArgumentException for an unknown identifier, listing the known ones
   */
  public GRU recurrentActivation(String identifier) {
    return recurrentActivation(Activations.get(identifier));
  }

  /** Activation of the gates z and r (default sigmoid); returns this. */
  public GRU recurrentActivation(ActivationFunction activation) {
    checkNotBuilt("recurrentActivation");
    gruCell.recurrentActivation = Objects.requireNonNull(activation, "activation");
    return this;
  }

  /**
   * Whether the reset gate applies after the recurrent product (default true, with a {@code (2, 3 *
   * units)} bias) or before it (the original GRU, a {@code (3 * units)} bias); returns this.
   */
  public GRU resetAfter(boolean resetAfter) {
    checkNotBuilt("resetAfter");
    gruCell.resetAfter = resetAfter;
    return this;
  }

  /** The activation of the gates z and r ({@link #recurrentActivation(ActivationFunction)}). */
  public ActivationFunction recurrentActivation() {
    return gruCell.recurrentActivation;
  }

  /** Whether the reset gate applies after the recurrent product ({@link #resetAfter(boolean)}). */
  public boolean resetAfter() {
    return gruCell.resetAfter;
  }

  @Override
  RNNCell cell() {
    return gruCell;
  }

  @Override
  GRU withCell(RNNCell cell) {
    return new GRU((GRUCell) cell);
  }

  /**
   * Keras's {@code GRU.from_config}: an equal, unbuilt layer (see {@link RNN#getConfig()}); {@code
   * reset_after} defaults to true as in Keras 3 and tf.keras 2 (Keras 2.2's false is written).
   */
  public static GRU fromConfig(Config config) {
    GRU gru = new GRU(config.getInt("units", 0))
        .recurrentActivation(Configs.activation(config, "recurrent_activation", Activations.SIGMOID))
        .resetAfter(config.getBoolean("reset_after", true));
    return configured(gru.readRecurrentSettings(config, Activations.TANH), config);
  }
}
