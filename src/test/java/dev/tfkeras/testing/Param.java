package dev.tfkeras.testing;

import dev.tfkeras.initializers.Constant;
import dev.tfkeras.layers.Layer;
import dev.tfkeras.variables.Variable;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * A layer that is nothing but one trainable weight {@code w} with known initial values: {@code
 * apply} ignores its input and returns the weight. Lets tests optimize or differentiate with respect
 * to a tensor they chose.
 */
public final class Param extends Layer {

  private final Shape shape;
  private final float[] initial;
  private Variable<TFloat32> weight;

  /** A weight of {@code shape} starting at {@code initial} (row-major). */
  public Param(float[] initial, long... shape) {
    this.shape = Shape.of(shape);
    if (this.shape.size() != initial.length) {
      throw new IllegalArgumentException(
          "Param of shape " + this.shape + " needs " + this.shape.size() + " values, received "
              + initial.length + ".");
    }
    this.initial = initial.clone();
  }

  /** A vector weight. */
  public static Param vector(float... initial) {
    return new Param(initial, initial.length);
  }

  @Override
  protected void build(Shape inputShape) {
    weight = addWeight("w", shape, Constant.values(initial), true);
  }

  @Override
  protected Operand<TFloat32> call(Operand<TFloat32> input, boolean training) {
    return weight.read(tf());
  }

  /** The weight; valid after the first apply. */
  public Variable<TFloat32> weight() {
    requireBuilt();
    return weight;
  }

  /** The weight's current value, copied from the runtime. */
  public float[] value() {
    try (TFloat32 t = weight().value()) {
      return Tensors.read(t);
    }
  }

  /** Overwrites the weight from the host. */
  public void assign(float... values) {
    try (TFloat32 t = Tensors.floats(values, shape.asArray())) {
      weight().assign(t);
    }
  }
}
