package dev.tfkeras.losses;

import dev.tfkeras.layers.Layer;
import org.tensorflow.ndarray.Shape;

/** The trace-time check that a categorical loss is not given a single-unit (sigmoid) output. */
final class OneUnit {

  private OneUnit() {}

  /** Throws if the last axis of {@code predictions} has size 1. */
  static void reject(Shape predictions, String loss, String consequence) {
    int rank = predictions.isUnknown() ? 0 : predictions.numDimensions();
    if (rank >= 1 && predictions.get(rank - 1) == 1) {
      throw new IllegalArgumentException(
          loss + " received predictions of shape " + Layer.format(predictions) + ": one unit"
              + " holds no distribution over classes, so " + consequence + ". For a binary"
              + " classifier with one sigmoid unit use BinaryCrossentropy (\"binary_crossentropy\")"
              + " with 0/1 targets; for N classes give the output layer N units.");
    }
  }
}
