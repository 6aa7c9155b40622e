package dev.tfkeras.layers;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Test helper: returns its first input with its second ({@code (batch, time)}, 1 = a real step)
 * attached as a Keras mask, as {@code Embedding.maskZero} or Keras's {@code mask=} argument would.
 */
final class Masked extends Layer {

  @Override
  protected Operand<TFloat32> call(List<Operand<?>> inputs, boolean training) {
    var tf = tf();
    Operand<TFloat32> x = tf.identity(asFloat(inputs.get(0)));
    setMask(x, tf.math.greater(asFloat(inputs.get(1)), tf.constant(0.5f)));
    return x;
  }
}
