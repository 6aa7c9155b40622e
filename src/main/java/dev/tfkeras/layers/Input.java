package dev.tfkeras.layers;

import dev.tfkeras.runtime.GraphRuntime;
import java.util.Objects;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TType;

/** Keras's {@code keras.Input(shape, dtype, name)}: the symbolic input of a functional model. */
public final class Input {

  private Input() {}

  /** A float32 input whose examples have {@code shape} (no batch axis; -1 for an unknown size). */
  public static KerasTensor of(long... shape) {
    return of(TFloat32.class, shape);
  }

  /** An input of {@code dtype}, e.g. {@code Input.of(TInt32.class, 20)} for token ids. */
  public static KerasTensor of(Class<? extends TType> dtype, long... shape) {
    return named(null, dtype, shape);
  }

  /**
   * A named input ({@code keras.Input(shape, name="title")}); the name also names the input in the
   * summary. A null name gives Keras's {@code input_layer}, {@code input_layer_1}...
   */
  public static KerasTensor named(String name, Class<? extends TType> dtype, long... shape) {
    Objects.requireNonNull(dtype, "dtype");
    for (long d : shape) {
      if (d < -1 || d == 0) {
        throw new IllegalArgumentException(
            "Input shape dimensions must be positive or -1 (unknown), received: shape=" + Shape.of(shape));
      }
    }
    InputLayer layer = new InputLayer();
    Shape full = Shape.of(shape).prepend(-1);
    layer.attachAsInput(GraphRuntime.current(), name == null ? "input_layer" : name, full);
    Node node = new Node(layer, java.util.List.of(), 0, null);
    layer.recordNode(node);
    KerasTensor tensor = new KerasTensor(full, dtype, node, 0);
    node.addOutput(tensor);
    return tensor;
  }
}
