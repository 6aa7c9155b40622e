package dev.tfkeras.initializers;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.random.RandomStandardNormal;
import org.tensorflow.op.random.RandomUniform;
import org.tensorflow.op.random.TruncatedNormal;
import org.tensorflow.types.TFloat32;

/**
 * Seeded samples on TensorFlow's raw random ops, seeded as {@link GlorotUniform} is: the same seed
 * gives the same values for the same shape.
 */
final class Sampling {

  private Sampling() {}

  private static long seed1(long s) {
    return s == 0 ? 1 : s;
  }

  private static long seed2(long s) {
    return s * 0x9E3779B97F4A7C15L | 1;
  }

  /** U[min, max). */
  static Operand<TFloat32> uniform(Ops tf, Shape shape, long seed, double min, double max) {
    Operand<TFloat32> unit =
        tf.random.randomUniform(
            tf.constant(shape.asArray()), TFloat32.class,
            RandomUniform.seed(seed1(seed)), RandomUniform.seed2(seed2(seed)));
    return tf.math.add(tf.math.mul(unit, tf.constant((float) (max - min))), tf.constant((float) min));
  }

  /** N(mean, stddev²). */
  static Operand<TFloat32> normal(Ops tf, Shape shape, long seed, double mean, double stddev) {
    Operand<TFloat32> unit =
        tf.random.randomStandardNormal(
            tf.constant(shape.asArray()), TFloat32.class,
            RandomStandardNormal.seed(seed1(seed)), RandomStandardNormal.seed2(seed2(seed)));
    return scale(tf, unit, mean, stddev);
  }

  /**
   * N(mean, stddev²) with values more than two {@code stddev} from the mean redrawn, as Keras's
   * truncated normal ({@code stddev} is before truncation).
   */
  static Operand<TFloat32> truncatedNormal(Ops tf, Shape shape, long seed, double mean, double stddev) {
    Operand<TFloat32> unit =
        tf.random.truncatedNormal(
            tf.constant(shape.asArray()), TFloat32.class,
            TruncatedNormal.seed(seed1(seed)), TruncatedNormal.seed2(seed2(seed)));
    return scale(tf, unit, mean, stddev);
  }

  private static Operand<TFloat32> scale(Ops tf, Operand<TFloat32> unit, double mean, double stddev) {
    return tf.math.add(tf.math.mul(unit, tf.constant((float) stddev)), tf.constant((float) mean));
  }
}
