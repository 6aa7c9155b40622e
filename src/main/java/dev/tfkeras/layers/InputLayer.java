package dev.tfkeras.layers;

import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * The layer behind {@link Input#of}: it has no weights and does nothing; a functional model feeds
 * its data where the input layer's tensor stands. Shown as {@code input_layer (InputLayer)} in
 * summaries.
 */
public final class InputLayer extends Layer {

  InputLayer() {}

  @Override
  protected Operand<TFloat32> call(Operand<TFloat32> input, boolean training) {
    return input;
  }
}
