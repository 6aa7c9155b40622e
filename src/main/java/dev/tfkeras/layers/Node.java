package dev.tfkeras.layers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One call of a layer on symbolic tensors: the layer, the tensors it was given and the tensors it
 * returned. A functional model is the graph of these calls.
 */
public final class Node {

  private final Layer layer;
  private final List<KerasTensor> inputs;
  private final List<KerasTensor> outputs = new ArrayList<>();
  private final int index;
  private final Boolean training;

  Node(Layer layer, List<KerasTensor> inputs, int index, Boolean training) {
    this.layer = layer;
    this.inputs = List.copyOf(inputs);
    this.index = index;
    this.training = training;
  }

  /**
   * The training flag fixed for this call ({@code layer.apply(x, false)}, Keras's {@code
   * layer(x, training=False)}), or null when the call runs with the model's own flag.
   */
  public Boolean training() {
    return training;
  }

  /** The layer called. */
  public Layer layer() {
    return layer;
  }

  /** The symbolic tensors the layer was called on (none for an input). */
  public List<KerasTensor> inputs() {
    return inputs;
  }

  /** The symbolic tensors the call returned. */
  public List<KerasTensor> outputs() {
    return Collections.unmodifiableList(outputs);
  }

  /** Which call of its layer this is: 0 for the first, 1 for a shared layer's second... */
  public int index() {
    return index;
  }

  void addOutput(KerasTensor output) {
    outputs.add(output);
  }
}
