package dev.tfkeras.optimizers;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras's gradient clipping options, at most one of them set: {@code clipnorm} (each gradient
 * rescaled to an L2 norm of at most the value), {@code global_clipnorm} (all gradients rescaled
 * together) or {@code clipvalue} (each element clipped to [-value, value]).
 */
final class GradientClipping {

  private Float clipnorm;
  private Float clipvalue;
  private Float globalClipnorm;

  void clipnorm(float value) {
    checkOnlyOne(Optimizer.checkPositive("clipnorm", value), clipvalue, globalClipnorm);
    clipnorm = value;
  }

  void clipvalue(float value) {
    checkOnlyOne(clipnorm, Optimizer.checkPositive("clipvalue", value), globalClipnorm);
    clipvalue = value;
  }

  void globalClipnorm(float value) {
    checkOnlyOne(clipnorm, clipvalue, Optimizer.checkPositive("global_clipnorm", value));
    globalClipnorm = value;
  }

  /** Keras's {@code clipnorm}, or null when unset. */
  Float clipnorm() {
    return clipnorm;
  }

  /** Keras's {@code clipvalue}, or null when unset. */
  Float clipvalue() {
    return clipvalue;
  }

  /** Keras's {@code global_clipnorm}, or null when unset. */
  Float globalClipnorm() {
    return globalClipnorm;
  }

  /** The gradients clipped as set, or unchanged when no clipping is set. */
  List<Operand<TFloat32>> apply(Ops tf, List<Operand<TFloat32>> gradients) {
    List<Operand<TFloat32>> clipped = new ArrayList<>(gradients.size());
    if (clipnorm != null) {
      Operand<TFloat32> limit = tf.constant(clipnorm);
      for (Operand<TFloat32> g : gradients) {
        // TensorFlow's clip_by_norm, which Keras's TensorFlow optimizer uses: g·c / max(‖g‖, c)
        clipped.add(tf.math.div(tf.math.mul(g, limit), tf.math.maximum(norm(tf, g), limit)));
      }
    } else if (globalClipnorm != null) {
      List<Operand<TFloat32>> squares = new ArrayList<>();
      for (Operand<TFloat32> g : gradients) {
        squares.add(sumOfSquares(tf, g));
      }
      Operand<TFloat32> norm = tf.math.sqrt(tf.math.addN(squares));
      Operand<TFloat32> limit = tf.constant(globalClipnorm);
      Operand<TFloat32> one = tf.constant(1f);
      // Keras's clip_by_global_norm: c·min(1/n, 1/c), plus (n - n) so that a non-finite norm
      // makes every gradient NaN rather than silently zero.
      Operand<TFloat32> scale =
          tf.math.add(
              tf.math.mul(limit, tf.math.minimum(tf.math.div(one, norm), tf.math.div(one, limit))),
              tf.math.sub(norm, norm));
      for (Operand<TFloat32> g : gradients) {
        clipped.add(tf.math.mul(g, scale));
      }
    } else if (clipvalue != null) {
      Operand<TFloat32> high = tf.constant(clipvalue);
      Operand<TFloat32> low = tf.constant(-clipvalue);
      for (Operand<TFloat32> g : gradients) {
        clipped.add(tf.clipByValue(g, low, high));
      }
    } else {
      clipped.addAll(gradients);
    }
    return clipped;
  }

  private static Operand<TFloat32> sumOfSquares(Ops tf, Operand<TFloat32> g) {
    return tf.sum(tf.math.square(g), tf.range(tf.constant(0), tf.rank(g), tf.constant(1)));
  }

  private static Operand<TFloat32> norm(Ops tf, Operand<TFloat32> g) {
    return tf.math.sqrt(sumOfSquares(tf, g));
  }

  /** Keras's check, on the values the optimizer would have after the change. */
  private static void checkOnlyOne(Float norm, Float value, Float global) {
    int set = (norm != null ? 1 : 0) + (value != null ? 1 : 0) + (global != null ? 1 : 0);
    if (set > 1) {
      throw new IllegalArgumentException(
          "Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set. Received: clipnorm="
              + show(norm)
              + ", clipvalue="
              + show(value)
              + ", global_clipnorm="
              + show(global)
              + ". Keep the one you want and drop the others.");
    }
  }

  private static String show(Float value) {
    return value == null ? "None" : value.toString();
  }
}
