package dev.tfkeras.layers;

import dev.tfkeras.activations.Activations;
import dev.tfkeras.saving.Config;

/**
 * Keras's {@code SimpleRNN}: a fully connected recurrence {@code h_t = tanh(x_t · kernel + bias +
 * h_{t-1} · recurrent_kernel)}, output {@code h}. Weights {@code simple_rnn/simple_rnn_cell/kernel}
 * {@code (features, units)}, {@code recurrent_kernel} {@code (units, units)} and {@code bias}
 * {@code (units)}; Glorot uniform, orthogonal and zeros by default.
 *
 * <pre>{@code
 * var rnn = new SimpleRNN(4).returnSequences(true);
 * }</pre>
 *
 * See {@link RNN} for sequences, states, masks and why the loop is unrolled.
 */
public class SimpleRNN extends RNN<SimpleRNN> {

  // Named after this field, simple_rnn_cell, as Keras names the cell.
  private final SimpleRNNCell simpleRnnCell;

  /**
   * @param units size of the output and state, positive
   */
  public SimpleRNN(int units) {
    this(new SimpleRNNCell(units));
  }

  private SimpleRNN(SimpleRNNCell cell) {
    this.simpleRnnCell = cell;
  }

  @Override
  RNNCell cell() {
    return simpleRnnCell;
  }

  @Override
  SimpleRNN withCell(RNNCell cell) {
    return new SimpleRNN((SimpleRNNCell) cell);
  }

  /** Keras's {@code SimpleRNN.from_config}: an equal, unbuilt layer (see {@link RNN#getConfig()}). */
  public static SimpleRNN fromConfig(Config config) {
    SimpleRNN rnn = new SimpleRNN(config.getInt("units", 0));
    return configured(rnn.readRecurrentSettings(config, Activations.TANH), config);
  }
}
