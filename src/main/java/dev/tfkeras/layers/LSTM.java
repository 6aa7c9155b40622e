package dev.tfkeras.layers;

import dev.tfkeras.activations.ActivationFunction;
import dev.tfkeras.activations.Activations;
import dev.tfkeras.saving.Config;
import java.util.Objects;

/**
 * Keras's {@code LSTM} (Hochreiter 1997): states {@code [h, c]}, output {@code h}; gates i, f, c, o
 * in Keras's order along the kernels' last axis. Weights {@code lstm/lstm_cell/kernel} {@code
 * (features, 4 * units)}, {@code recurrent_kernel} {@code (units, 4 * units)} and {@code bias}
 * {@code (4 * units)}: Glorot uniform, orthogonal, and zeros with ones on the forget gate ({@link
 * #unitForgetBias}) by default.
 *
 * <pre>{@code
 * var lstm = new LSTM(32);                                    // (batch, 32)
 * var seq = new LSTM(32).returnSequences(true).returnState(true);
 * List<Operand<TFloat32>> out = seq.applyAll(x, training);    // sequence, h, c
 * }</pre>
 *
 * See {@link RNN} for sequences, states, masks and why the loop is unrolled.
 */
public class LSTM extends RNN<LSTM> {

  // Named after this field, lstm_cell, as Keras names the cell.
  private final LSTMCell lstmCell;

  /**
   * @param units size of the output and of each state, positive
   */
  public LSTM(int units) {
    this(new LSTMCell(units));
  }

  private LSTM(LSTMCell cell) {
    this.lstmCell = cell;
  }

  /**
   * {@link #recurrentActivation(ActivationFunction)} by Keras's identifier,
   * e.g. {@code "hard_sigmoid"}; returns this.
   *
   * @throws IllegalArgumentException for an unknown identifier, listing the known ones
   */
  public LSTM recurrentActivation(String identifier) {
    return recurrentActivation(Activations.get(identifier));
  }

  /** Activation of the gates i, f, o (default sigmoid); returns this. */
  public LSTM recurrentActivation(ActivationFunction activation) {
    checkNotBuilt("recurrentActivation");
    lstmCell.recurrentActivation = Objects.requireNonNull(activation, "activation");
    return this;
  }

  /**
   * Whether the forget gate's bias starts at one, the rest from the bias initializer (default true,
   * as recommended by Jozefowicz et al. 2015); returns this.
   */
  public LSTM unitForgetBias(boolean unitForgetBias) {
    checkNotBuilt("unitForgetBias");
    lstmCell.unitForgetBias = unitForgetBias;
    return this;
  }

  /** The activation of the gates i, f, o ({@link #recurrentActivation(ActivationFunction)}). */
  public ActivationFunction recurrentActivation() {
    return lstmCell.recurrentActivation;
  }

  /** Whether the forget gate's bias starts at one ({@link #unitForgetBias(boolean)}). */
  public boolean unitForgetBias() {
    return lstmCell.unitForgetBias;
  }

  @Override
  RNNCell cell() {
    return lstmCell;
  }

  @Override
  LSTM withCell(RNNCell cell) {
    return new LSTM((LSTMCell) cell);
  }

  /** Keras's {@code LSTM.from_config}: an equal, unbuilt layer (see {@link RNN#getConfig()}). */
  public static LSTM fromConfig(Config config) {
    LSTM lstm = new LSTM(config.getInt("units", 0))
        .recurrentActivation(Configs.activation(config, "recurrent_activation", Activations.SIGMOID))
        .unitForgetBias(config.getBoolean("unit_forget_bias", true));
    return configured(lstm.readRecurrentSettings(config, Activations.TANH), config);
  }
}
