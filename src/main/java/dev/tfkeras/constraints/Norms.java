package dev.tfkeras.constraints;

import dev.tfkeras.saving.Config;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Sum;
import org.tensorflow.types.TFloat32;

/** The norm computations Keras's norm constraints share. */
final class Norms {

  /** Keras's {@code backend.epsilon()}, added to norms before dividing by them. */
  static final float EPSILON = 1e-7f;

  private Norms() {}

  /** {@code sqrt(sum(w², axes, keepdims))}. */
  static Operand<TFloat32> of(Ops tf, Operand<TFloat32> w, int[] axes) {
    return tf.math.sqrt(tf.sum(tf.math.square(w), tf.constant(axes), Sum.keepDims(true)));
  }

  /** {@code w * desired / (epsilon + norms)}. */
  static Operand<TFloat32> rescale(
      Ops tf, Operand<TFloat32> w, Operand<TFloat32> desired, Operand<TFloat32> norms) {
    return tf.math.mul(w, tf.math.div(desired, tf.math.add(tf.constant(EPSILON), norms)));
  }

  static int[] checkAxes(int[] axes) {
    if (axes.length == 0) {
      throw new IllegalArgumentException(
          "A norm constraint needs at least one axis to compute norms over, received none.");
    }
    return axes.clone();
  }

  /** Keras's {@code axis} value: an int for one axis, a list for several. */
  static Object axisValue(int[] axes) {
    return axes.length == 1 ? (Object) axes[0] : axes;
  }

  /** Reads Keras's {@code axis} (an int or a list of ints), default 0. */
  static int[] readAxes(Config config) {
    if (!config.has("axis")) {
      return new int[] {0};
    }
    Object value = config.get("axis");
    if (value instanceof Number) {
      return new int[] {config.getInt("axis", 0)};
    }
    long[] axes = config.getLongs("axis");
    int[] out = new int[axes.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = Math.toIntExact(axes[i]);
    }
    return out;
  }
}
