package dev.tfkeras.initializers;

import dev.tfkeras.saving.Config;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.random.RandomStandardNormal;
import org.tensorflow.types.TFloat32;

/**
 * An orthogonal matrix, Keras's default for recurrent kernels: the Q factor of the QR
 * decomposition of a standard normal matrix, with its columns' signs fixed by R's diagonal so that
 * the result is uniformly distributed, times {@code gain}.
 *
 * <p>As in Keras, a weight of shape {@code (d0, ..., dn-2, dn-1)} is drawn as a {@code (d0 * ... *
 * dn-2, dn-1)} matrix and reshaped: with at least as many rows as columns the columns are
 * orthonormal, otherwise the rows are.
 */
public final class Orthogonal implements Initializer {

  private final double gain;
  private final Long seed;

  /** Gain 1, seeded from the runtime, so two weights never start identical. */
  public Orthogonal() {
    this(1.0, null);
  }

  /** Gain 1, reproducible: the same seed gives the same values for the same shape. */
  public Orthogonal(long seed) {
    this(1.0, seed);
  }

  /**
   * @param gain multiplies the orthogonal matrix
   * @param seed a fixed seed, or null to draw one from the runtime
   */
  public Orthogonal(double gain, Long seed) {
    if (!Double.isFinite(gain)) {
      throw new IllegalArgumentException(
          "Received an invalid value for `gain`, expected a finite number. Received: gain=" + gain);
    }
    this.gain = gain;
    this.seed = seed;
  }

  @Override
  public Operand<TFloat32> create(Ops tf, Shape shape, long runtimeSeed) {
    int rank = shape.numDimensions();
    if (rank < 2) {
      throw new IllegalArgumentException(
          "The tensor to initialize must be at least two-dimensional. Received: shape=" + shape
              + " of rank " + rank + ".");
    }
    long rows = shape.size() / shape.get(rank - 1);
    long cols = shape.get(rank - 1);
    long s = seed != null ? seed : runtimeSeed;
    Operand<TFloat32> normal =
        tf.random.randomStandardNormal(
            tf.constant(new long[] {Math.max(rows, cols), Math.min(rows, cols)}),
            TFloat32.class,
            RandomStandardNormal.seed(s == 0 ? 1 : s),
            RandomStandardNormal.seed2(s * 0x9E3779B97F4A7C15L | 1));
    var qr = tf.linalg.qr(normal);
    Operand<TFloat32> diagonal = tf.linalg.matrixDiagPart(qr.r(), tf.constant(0), tf.constant(0f));
    Operand<TFloat32> q = tf.math.mul(qr.q(), tf.math.sign(diagonal));
    if (rows < cols) {
      q = tf.linalg.transpose(q, tf.constant(new int[] {1, 0}));
    }
    return tf.reshape(tf.math.mul(q, tf.constant((float) gain)), tf.constant(shape.asArray()));
  }

  @Override
  public String toString() {
    return "Orthogonal(gain=" + gain + (seed == null ? "" : ", seed=" + seed) + ")";
  }

  /** Keras's config: {@code gain}, {@code seed}. */
  @Override
  public Config getConfig() {
    return new Config().put("seed", seed).put("gain", gain);
  }

  /** Keras's {@code Orthogonal.from_config}, gain 1 by default. */
  public static Orthogonal fromConfig(Config config) {
    Long seed = config.getLongOrNull("seed");
    double gain = config.getDouble("gain", 1.0);
    config.checkAllRead();
    return new Orthogonal(gain, seed);
  }
}
