package dev.tfkeras.layers;

import dev.tfkeras.saving.Config;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Averages its inputs element-wise, as Keras's {@code Average}: {@code (a + b + ...) / n}. Shapes
 * broadcast as described in {@link Merge}.
 */
public class Average extends Merge {

  @Override
  protected Operand<TFloat32> merge(Ops tf, List<Operand<TFloat32>> inputs) {
    Operand<TFloat32> sum = inputs.get(0);
    for (int i = 1; i < inputs.size(); i++) {
      sum = tf.math.add(sum, inputs.get(i));
    }
    return tf.math.div(sum, tf.constant((float) inputs.size()));
  }

  /** Keras's {@code Average.from_config}: the base keys only. */
  public static Average fromConfig(Config config) {
    return configured(new Average(), config);
  }
}
