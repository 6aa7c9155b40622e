package dev.tfkeras.layers;

import dev.tfkeras.saving.Config;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Subtracts its second input from its first, element-wise, as Keras's {@code Subtract}: {@code new
 * Subtract().apply(List.of(a, b), training)} is {@code a - b}. Takes exactly two inputs; shapes
 * broadcast as described in {@link Merge}.
 */
public class Subtract extends Merge {

  @Override
  protected void validateInputs(List<Shape> shapes) {
    super.validateInputs(shapes);
    if (shapes.size() != 2) {
      throw new IllegalArgumentException(
          "A `Subtract` layer should be called on exactly 2 inputs. Received: input_shape="
              + shapeList(shapes));
    }
  }

  @Override
  protected Operand<TFloat32> merge(Ops tf, List<Operand<TFloat32>> inputs) {
    return tf.math.sub(inputs.get(0), inputs.get(1));
  }

  /** Keras's {@code Subtract.from_config}: the base keys only. */
  public static Subtract fromConfig(Config config) {
    return configured(new Subtract(), config);
  }
}
