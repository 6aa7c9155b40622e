package dev.tfkeras.initializers;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.random.RandomUniform.Options;
import org.tensorflow.types.TFloat32;

/**
 * Samples U[minval, maxval); Keras's {@code "uniform"}, the default for embeddings with its
 * default range [-0.05, 0.05).
 */
public final class RandomUniform implements Initializer {

  private final float minval;
  private final float maxval;
  private final Long seed;

  /** U[-0.05, 0.05), seeded from the runtime: Keras's defaults. */
  public RandomUniform() {
    this(-0.05f, 0.05f, null);
  }

  /**
   * @param minval lower bound, included
   * @param maxval upper bound, excluded; not below {@code minval}
   * @param seed a fixed seed, or null to draw one from the runtime
   */
  public RandomUniform(float minval, float maxval, Long seed) {
    if (!(minval <= maxval) || !Float.isFinite(minval) || !Float.isFinite(maxval)) {
      throw new IllegalArgumentException(
          "RandomUniform needs finite bounds with minval <= maxval. Received: minval=" + minval
              + ", maxval=" + maxval);
    }
    this.minval = minval;
    this.maxval = maxval;
    this.seed = seed;
  }

  @Override
  public Operand<TFloat32> create(Ops tf, Shape shape, long runtimeSeed) {
    long s = seed != null ? seed : runtimeSeed;
    Operand<TFloat32> unit =
        tf.random.randomUniform(
            tf.constant(shape.asArray()),
            TFloat32.class,
            new Options[] {
              org.tensorflow.op.random.RandomUniform.seed(s == 0 ? 1 : s),
              org.tensorflow.op.random.RandomUniform.seed2(s * 0x9E3779B97F4A7C15L | 1)
            });
    // U[0, 1) * (max - min) + min = U[min, max)
    return tf.math.add(tf.math.mul(unit, tf.constant(maxval - minval)), tf.constant(minval));
  }

  @Override
  public String toString() {
    return "RandomUniform(" + minval + ", " + maxval + (seed == null ? "" : ", seed=" + seed) + ")";
  }
}
