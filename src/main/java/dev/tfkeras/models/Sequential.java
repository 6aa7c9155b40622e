package dev.tfkeras.models;

import dev.tfkeras.layers.Layer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * A plain stack of layers, each feeding the next, with everything a {@link Model} offers:
 *
 * <pre>{@code
 * var model = new Sequential(new Conv2D(32, 3, Activation.RELU), new Flatten(),
 *     new Dense(128, Activation.RELU), new Dense(10));
 * }</pre>
 *
 * Layers are named after their class as in Keras ({@code conv2d}, {@code dense}, {@code dense_1}).
 */
public class Sequential extends Model {

  private final List<Layer> stack = new ArrayList<>();

  public Sequential(Layer... layers) {
    for (Layer layer : layers) {
      add(layer);
    }
  }

  /** Appends a layer; only before the model is built. Returns this. */
  public Sequential add(Layer layer) {
    Objects.requireNonNull(layer, "layer");
    if (isBuilt()) {
      throw new IllegalStateException(
          "Cannot add layers to Sequential model '" + name() + "' after it was built; add every"
              + " layer before the first fit, predict, buildFor or apply.");
    }
    if (stack.contains(layer)) {
      throw new IllegalArgumentException(
          "Layer " + layer + " is already in this Sequential model; create a new instance to repeat it.");
    }
    stack.add(layer);
    return this;
  }

  @Override
  List<Summary.Row> summaryRows() {
    return isBuilt() ? super.summaryRows() : stack.stream().map(Summary.Row::of).toList();
  }

  @Override
  protected Operand<TFloat32> call(Operand<TFloat32> x, boolean training) {
    if (stack.isEmpty()) {
      throw new IllegalStateException("Sequential model '" + name() + "' has no layers; add some first.");
    }
    for (Layer layer : stack) {
      x = layer.apply(x);
    }
    return x;
  }
}
