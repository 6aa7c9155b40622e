package dev.tfkeras.layers;

/** Padding of convolutions and pooling, as in Keras. */
public enum Padding {
  /** No padding: the output shrinks by kernel size - 1. */
  VALID,
  /** Zero padding so that, with stride 1, the output keeps the input's size. */
  SAME;

  String op() {
    return name();
  }
}
