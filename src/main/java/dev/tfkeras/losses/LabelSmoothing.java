package dev.tfkeras.losses;

/** Validation of Keras's {@code label_smoothing} argument, shared by the cross-entropies. */
final class LabelSmoothing {

  private LabelSmoothing() {}

  static float checked(double labelSmoothing, String loss) {
    if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
      throw new IllegalArgumentException(
          loss + ": labelSmoothing must be in [0, 1], received labelSmoothing=" + labelSmoothing
              + ".");
    }
    return (float) labelSmoothing;
  }
}
