package dev.tfkeras.layers;

/** Padding of convolutions and pooling, as in Keras. */
public enum Padding {
  /** No padding: the output shrinks by kernel size - 1. */
  VALID,
  /** Zero padding so that, with stride 1, the output keeps the input's size. */
  SAME,
  /**
   * Zero padding at the start of the sequence only, so that an output step sees no later input
   * step: 1-D layers only ({@link Conv1D}), as in Keras.
   */
  CAUSAL;

  String op() {
    if (this == CAUSAL) {
      throw new IllegalArgumentException(
          "The `padding` argument must be a list/tuple or one of {'valid', 'same'}. Received:"
              + " causal. Causal padding is only for 1-D layers such as Conv1D.");
    }
    return name();
  }
}
