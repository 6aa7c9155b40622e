package dev.tfkeras.layers;

import dev.tfkeras.saving.Config;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Sums its inputs element-wise, as Keras's {@code Add}: {@code new Add().apply(List.of(a, b),
 * training)}, e.g. a residual connection. Shapes broadcast as described in {@link Merge}.
 */
public class Add extends Merge {

  @Override
  protected Operand<TFloat32> merge(Ops tf, List<Operand<TFloat32>> inputs) {
    Operand<TFloat32> sum = inputs.get(0);
    for (int i = 1; i < inputs.size(); i++) {
      sum = tf.math.add(sum, inputs.get(i));
    }
    return sum;
  }

  /** Keras's {@code Add.from_config}: the base keys only. */
  public static Add fromConfig(Config config) {
    return configured(new Add(), config);
  }
}
