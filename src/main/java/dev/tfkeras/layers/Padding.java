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

  /**
   * The padding Keras knows by {@code name}: {@code "valid"}, {@code "same"} or {@code "causal"},
   * in any case, as Keras's {@code standardize_padding}.
   *
   * @throws IllegalArgumentException for another name, listing the known ones
   */
  public static Padding get(String name) {
    return of(name, true);
  }

  /** {@link #get}, refusing {@code "causal"} where only {@code "valid"} and {@code "same"} apply. */
  static Padding of(String name, boolean allowCausal) {
    java.util.Objects.requireNonNull(name, "padding");
    String lower = name.toLowerCase(java.util.Locale.ROOT);
    for (Padding padding : values()) {
      boolean allowed = allowCausal || padding != CAUSAL;
      if (allowed && padding.name().toLowerCase(java.util.Locale.ROOT).equals(lower)) {
        return padding;
      }
    }
    throw new IllegalArgumentException(
        "The `padding` argument must be a list/tuple or one of "
            + (allowCausal ? "{'valid', 'same', 'causal'}" : "{'valid', 'same'}")
            + ". Received: " + lower);
  }

  String op() {
    if (this == CAUSAL) {
      throw new IllegalArgumentException(
          "The `padding` argument must be a list/tuple or one of {'valid', 'same'}. Received:"
              + " causal. Causal padding is only for 1-D layers such as Conv1D.");
    }
    return name();
  }
}
