package dev.tfkeras.initializers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.function.TfFunction;
import dev.tfkeras.initializers.VarianceScaling.Distribution;
import dev.tfkeras.initializers.VarianceScaling.Mode;
import dev.tfkeras.layers.Dense;
import dev.tfkeras.layers.LayerConformance;
import dev.tfkeras.testing.FreshRuntime;
import dev.tfkeras.testing.Tensors;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * Each initializer's distribution measured on 60,000 samples: mean, variance, bounds and, for
 * truncated normals, truncation at two standard deviations. With n = 60,000 the standard error of
 * a variance is about 0.6% (normal) of it, so 3% is five standard errors.
 */
@ExtendWith(FreshRuntime.class)
class InitializersTest {

  private static final Shape BIG = Shape.of(200, 300);

  /** Variance of a standard normal truncated to [-2, 2]: 1 - 4 φ(2) / (Φ(2) - Φ(-2)). */
  private static final double TRUNCATED_VARIANCE =
      1 - 4 * Math.exp(-2) / Math.sqrt(2 * Math.PI) / 0.9544997361036416;

  private static float[] sample(Initializer init, Shape shape, long seed) {
    var fn = TfFunction.returning(TFloat32.class, unused -> init.create(TfFunction.ops(), shape, seed));
    try (TFloat32 dummy = TFloat32.scalarOf(0f);
        TFloat32 out = fn.call(dummy)) {
      assertEquals(shape, out.shape());
      return Tensors.read(out);
    }
  }

  private record Stats(double mean, double variance, double min, double max) {
    static Stats of(float[] values) {
      double sum = 0;
      double min = Double.POSITIVE_INFINITY;
      double max = Double.NEGATIVE_INFINITY;
      for (float v : values) {
        sum += v;
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
      double mean = sum / values.length;
      double sq = 0;
      for (float v : values) {
        sq += (v - mean) * (v - mean);
      }
      return new Stats(mean, sq / values.length, min, max);
    }
  }

  /** Uniform on [-limit, limit]: inside, close to both ends, mean 0, variance limit²/3. */
  private static void assertUniform(float[] w, double low, double high, String what) {
    Stats s = Stats.of(w);
    double width = high - low;
    assertTrue(s.min() >= low && s.max() <= high, what + ": values in [" + low + ", " + high + "], got ["
        + s.min() + ", " + s.max() + "]");
    assertTrue(s.min() < low + 0.001 * width && s.max() > high - 0.001 * width, what + ": reaches both ends");
    assertEquals((low + high) / 2, s.mean(), 0.01 * width, what + ": mean");
    assertEquals(width * width / 12, s.variance(), 0.03 * width * width / 12, what + ": variance");
  }

  /** Normal truncated at mean +- 2 sigma (sigma before truncation). */
  private static void assertTruncatedNormal(float[] w, double mean, double sigma, String what) {
    Stats s = Stats.of(w);
    double bound = 2 * sigma;
    assertTrue(s.min() >= mean - bound * (1 + 1e-6) && s.max() <= mean + bound * (1 + 1e-6),
        what + ": truncated at 2 sigma = " + bound + ", got [" + s.min() + ", " + s.max() + "]");
    assertTrue(s.min() < mean - 0.98 * bound && s.max() > mean + 0.98 * bound, what + ": reaches the bounds");
    assertEquals(mean, s.mean(), 0.01 * sigma, what + ": mean");
    assertEquals(sigma * sigma * TRUNCATED_VARIANCE, s.variance(), 0.03 * sigma * sigma, what + ": variance");
  }

  /** Untruncated normal: mean, variance, and 4.55% of the values beyond 2 sigma. */
  private static void assertNormal(float[] w, double mean, double sigma, String what) {
    Stats s = Stats.of(w);
    assertEquals(mean, s.mean(), 0.01 * sigma, what + ": mean");
    assertEquals(sigma * sigma, s.variance(), 0.03 * sigma * sigma, what + ": variance");
    long beyond = 0;
    for (float v : w) {
      beyond += Math.abs(v - mean) > 2 * sigma ? 1 : 0;
    }
    assertEquals(0.0455, beyond / (double) w.length, 0.004, what + ": share beyond 2 sigma");
  }

  @Test
  void heLecunGlorotFollowKerasVarianceScaling() {
    double fanIn = 200;
    double fanOut = 300;
    assertTruncatedNormal(sample(new HeNormal(), BIG, 11), 0, Math.sqrt(2 / fanIn) / 0.87962566103423978, "he_normal");
    assertUniform(sample(new HeUniform(), BIG, 12), -Math.sqrt(6 / fanIn), Math.sqrt(6 / fanIn), "he_uniform");
    assertTruncatedNormal(sample(new LecunNormal(), BIG, 13), 0, Math.sqrt(1 / fanIn) / 0.87962566103423978, "lecun_normal");
    assertUniform(sample(new LecunUniform(), BIG, 14), -Math.sqrt(3 / fanIn), Math.sqrt(3 / fanIn), "lecun_uniform");
    assertTruncatedNormal(sample(new GlorotNormal(), BIG, 15), 0,
        Math.sqrt(2 / (fanIn + fanOut)) / 0.87962566103423978, "glorot_normal");
    // after truncation the variance is scale / n, which is what the 0.8796 divisor is for
    Stats he = Stats.of(sample(new HeNormal(), BIG, 16));
    assertEquals(2 / fanIn, he.variance(), 0.03 * 2 / fanIn, "he_normal variance after truncation = 2 / fanIn");
  }

  @Test
  void varianceScalingModesAndDistributions() {
    assertNormal(sample(new VarianceScaling(3.0, Mode.FAN_OUT, Distribution.UNTRUNCATED_NORMAL), BIG, 21), 0,
        Math.sqrt(3.0 / 300), "fan_out untruncated");
    double avg = Math.sqrt(3 * 0.5 / 250);
    assertUniform(sample(new VarianceScaling(0.5, Mode.FAN_AVG, Distribution.UNIFORM), BIG, 22), -avg, avg,
        "fan_avg uniform");
    // a conv kernel (3, 3, 16, 32): fan_in = 3 * 3 * 16 = 144
    Shape kernel = Shape.of(3, 3, 16, 32);
    assertEquals(2.0 / 144, new HeNormal().variance(kernel), 1e-15);
    assertUniform(sample(new HeUniform(), Shape.of(5, 5, 40, 60), 23), -Math.sqrt(6.0 / 1000), Math.sqrt(6.0 / 1000),
        "he_uniform conv kernel");
    var e = assertThrows(IllegalArgumentException.class,
        () -> new VarianceScaling(0, Mode.FAN_IN, Distribution.UNIFORM));
    assertEquals("Argument `scale` must be positive float. Received: scale=0.0", e.getMessage());
  }

  @Test
  void randomNormalUniformAndTruncatedNormal() {
    assertNormal(sample(new RandomNormal(), BIG, 31), 0, 0.05, "random_normal defaults");
    assertNormal(sample(new RandomNormal(1.0, 0.5), BIG, 32), 1.0, 0.5, "random_normal(1, 0.5)");
    assertUniform(sample(new RandomUniform(), BIG, 33), -0.05, 0.05, "random_uniform defaults");
    assertUniform(sample(new RandomUniform(2, 5), BIG, 34), 2, 5, "random_uniform(2, 5)");
    assertTruncatedNormal(sample(new TruncatedNormal(), BIG, 35), 0, 0.05, "truncated_normal defaults");
    assertTruncatedNormal(sample(new TruncatedNormal(0.5, 0.1), BIG, 36), 0.5, 0.1, "truncated_normal(0.5, 0.1)");
  }

  @Test
  void constantInitializers() {
    float[] zeros = sample(new Zeros(), Shape.of(2, 3), 1);
    assertArrayEquals(new float[6], zeros);
    float[] ones = sample(new Ones(), Shape.of(2, 3), 1);
    float[] expected = new float[6];
    Arrays.fill(expected, 1f);
    assertArrayEquals(expected, ones);
    assertArrayEquals(new float[] {2, 0, 0, 0, 2, 0}, sample(new Identity(2f), Shape.of(2, 3), 1));
    assertArrayEquals(new float[] {1, 0, 0, 1, 0, 0}, sample(new Identity(), Shape.of(3, 2), 1));
    var e = assertThrows(IllegalArgumentException.class, () -> sample(new Identity(), Shape.of(2, 3, 4), 1));
    assertEquals("Identity matrix initializer can only be used for 2D matrices. Received: shape=(2, 3, 4) of"
        + " rank 3.", e.getMessage());
  }

  @Test
  void seededAreReproducibleAndUnseededLayersDiffer() {
    Initializer[] seeded = {
      new HeNormal(5), new HeUniform(5), new LecunNormal(5), new LecunUniform(5), new GlorotNormal(5),
      new RandomNormal(0, 1, 5), new RandomUniform(0, 1, 5), new TruncatedNormal(0, 1, 5),
      new VarianceScaling(1, Mode.FAN_IN, Distribution.UNTRUNCATED_NORMAL, 5)
    };
    for (Initializer init : seeded) {
      float[] first = sample(init, Shape.of(4, 5), 100);
      float[] again = sample(init, Shape.of(4, 5), 999); // its own seed wins over the runtime's
      assertArrayEquals(first, again, init.toString());
    }
    Dense a = new Dense(5).kernelInitializer(new HeNormal());
    Dense b = new Dense(5).kernelInitializer(new HeNormal());
    var fn = TfFunction.returning(TFloat32.class, x -> b.apply(a.apply(x)));
    LayerConformance.call(fn, Shape.of(1, 5), new float[5]);
    try (TFloat32 ka = a.variables().get(0).value();
        TFloat32 kb = b.variables().get(0).value()) {
      assertFalse(Arrays.equals(Tensors.read(ka), Tensors.read(kb)), "two unseeded kernels must differ");
    }
  }

  @Test
  void lookupByKerasIdentifier() {
    assertInstanceOf(HeNormal.class, Initializers.get("he_normal"));
    assertInstanceOf(HeNormal.class, Initializers.get("HeNormal"));
    assertInstanceOf(HeUniform.class, Initializers.get("he_uniform"));
    assertInstanceOf(LecunNormal.class, Initializers.get("lecun_normal"));
    assertInstanceOf(LecunUniform.class, Initializers.get("lecun_uniform"));
    assertInstanceOf(GlorotNormal.class, Initializers.get("glorot_normal"));
    assertInstanceOf(GlorotUniform.class, Initializers.get("glorot_uniform"));
    assertInstanceOf(Zeros.class, Initializers.get("zeros"));
    assertInstanceOf(Zeros.class, Initializers.get("zero"));
    assertInstanceOf(Ones.class, Initializers.get("ones"));
    assertInstanceOf(Constant.class, Initializers.get("constant"));
    assertInstanceOf(RandomNormal.class, Initializers.get("random_normal"));
    assertInstanceOf(RandomNormal.class, Initializers.get("normal"));
    assertInstanceOf(RandomUniform.class, Initializers.get("uniform"));
    assertInstanceOf(TruncatedNormal.class, Initializers.get("truncated_normal"));
    assertInstanceOf(VarianceScaling.class, Initializers.get("variance_scaling"));
    assertInstanceOf(Identity.class, Initializers.get("identity"));
    // Keras's defaults come with the name
    assertArrayEquals(new float[4], sample(Initializers.get("constant"), Shape.of(2, 2), 1));
    assertUniform(sample(Initializers.get("random_uniform"), BIG, 41), -0.05, 0.05, "random_uniform by name");
    var e = assertThrows(IllegalArgumentException.class, () -> Initializers.get("he"));
    assertTrue(e.getMessage().startsWith("Could not interpret initializer identifier: he. Known: Zeros, zeros,"),
        e.getMessage());
  }
}
