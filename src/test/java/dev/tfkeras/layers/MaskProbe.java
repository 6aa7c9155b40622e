package dev.tfkeras.layers;

import org.tensorflow.Operand;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/** Test helper: returns the Keras mask attached to its input as 1/0 floats, or -1 without one. */
final class MaskProbe extends Layer {

  @Override
  protected Operand<TFloat32> call(Operand<TFloat32> input, boolean training) {
    var tf = tf();
    Operand<TBool> mask = maskOf(input);
    return mask == null ? tf.constant(-1f) : tf.dtypes.cast(mask, TFloat32.class);
  }
}
