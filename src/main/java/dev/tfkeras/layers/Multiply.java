package dev.tfkeras.layers;

import dev.tfkeras.saving.Config;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Multiplies its inputs element-wise, as Keras's {@code Multiply}: {@code new
 * Multiply().apply(List.of(a, b), training)}, e.g. a gate. Shapes broadcast as described in {@link
 * Merge}.
 */
public class Multiply extends Merge {

  @Override
  protected Operand<TFloat32> merge(Ops tf, List<Operand<TFloat32>> inputs) {
    Operand<TFloat32> product = inputs.get(0);
    for (int i = 1; i < inputs.size(); i++) {
      product = tf.math.mul(product, inputs.get(i));
    }
    return product;
  }

  /** Keras's {@code Multiply.from_config}: the base keys only. */
  public static Multiply fromConfig(Config config) {
    return configured(new Multiply(), config);
  }
}
