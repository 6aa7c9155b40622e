package dev.tfkeras.layers;

import java.util.Objects;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.family.TType;

/**
 * A symbolic tensor of the functional API: what {@link Input#of} returns and what a layer applied
 * to symbolic tensors returns. It has a shape (batch axis first, -1 where unknown) and a dtype (the
 * input's, or its layer's output dtype: float32, int64 for a lookup's indices, strings for an
 * inverted {@code StringLookup}), and remembers the layer call that made it, so that {@code
 * Model.of(inputs, outputs)} can replay the calls on real data.
 *
 * <pre>{@code
 * KerasTensor x = Input.of(28, 28, 1);
 * KerasTensor y = new Dense(10).apply(new Flatten().apply(x));
 * Model model = Model.of(x, y);
 * }</pre>
 */
public final class KerasTensor {

  private final Shape shape;
  private final Class<? extends TType> dtype;
  private final Node node;
  private final int index;

  KerasTensor(Shape shape, Class<? extends TType> dtype, Node node, int index) {
    this.shape = Objects.requireNonNull(shape, "shape");
    this.dtype = Objects.requireNonNull(dtype, "dtype");
    this.node = node;
    this.index = index;
  }

  /** The shape, batch axis first (-1 where unknown). */
  public Shape shape() {
    return shape;
  }

  /** The dtype, e.g. {@code TFloat32.class}. */
  public Class<? extends TType> dtype() {
    return dtype;
  }

  /** The layer call that produced this tensor. */
  public Node node() {
    return node;
  }

  /** Which output of its node this tensor is. */
  public int index() {
    return index;
  }

  @Override
  public String toString() {
    return "<KerasTensor shape=" + Layer.format(shape) + ", dtype=" + dtype.getSimpleName()
        + ", produced by " + node.layer().name() + ">";
  }
}
