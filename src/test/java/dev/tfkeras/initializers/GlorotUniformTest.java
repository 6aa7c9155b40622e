package dev.tfkeras.initializers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.function.TfFunction;
import dev.tfkeras.layers.Conv2D;
import dev.tfkeras.layers.Dense;
import dev.tfkeras.layers.LayerConformance;
import dev.tfkeras.runtime.GraphRuntime;
import dev.tfkeras.testing.FreshRuntime;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

@ExtendWith(FreshRuntime.class)
class GlorotUniformTest {

  @Test
  void fansFollowKeras() {
    assertArrayEquals(new long[] {784, 128}, GlorotUniform.fans(Shape.of(784, 128)));
    // conv kernel (3, 3, in=32, out=64): receptive field 9, counted once
    assertArrayEquals(new long[] {288, 576}, GlorotUniform.fans(Shape.of(3, 3, 32, 64)));
    assertArrayEquals(new long[] {5, 5}, GlorotUniform.fans(Shape.of(5)));
    assertEquals(Math.sqrt(6.0 / (27 + 72)), GlorotUniform.limit(Shape.of(3, 3, 3, 8)), 1e-12);
  }

  @Test
  void samplesUniformlyBetweenMinusLimitAndLimit() {
    float[] w = sample(new GlorotUniform(42), Shape.of(200, 300));
    double limit = Math.sqrt(6.0 / 500);
    double sum = 0;
    double sumSq = 0;
    int negative = 0;
    for (float v : w) {
      assertTrue(v >= -limit && v <= limit, "value " + v + " outside +-" + limit);
      sum += v;
      sumSq += v * v;
      negative += v < 0 ? 1 : 0;
    }
    double mean = sum / w.length;
    double variance = sumSq / w.length - mean * mean;
    assertEquals(0.0, mean, 0.02 * limit, "mean");
    assertEquals(limit * limit / 3, variance, 0.03 * limit * limit / 3, "variance of U[-l, l]");
    assertEquals(0.5, negative / (double) w.length, 0.01, "half the values are negative");
  }

  @Test
  void seededInitializersAreReproducibleAndUnseededWeightsDiffer() {
    float[] first = sample(new GlorotUniform(7), Shape.of(4, 5));
    GraphRuntime.reset();
    float[] again = sample(new GlorotUniform(7), Shape.of(4, 5));
    assertArrayEquals(first, again);

    Dense a = new Dense(5);
    Dense b = new Dense(5);
    var fn = TfFunction.returning(TFloat32.class, x -> b.apply(a.apply(x)));
    LayerConformance.call(fn, Shape.of(1, 5), new float[5]);
    try (TFloat32 ka = a.variables().get(0).value();
        TFloat32 kb = b.variables().get(0).value()) {
      assertFalse(Arrays.equals(LayerConformance.values(ka), LayerConformance.values(kb)),
          "two unseeded weights of the same shape must not start identical");
    }
  }

  @Test
  void globalSeedMakesUnseededLayersReproducible() {
    GraphRuntime.setRandomSeed(123);
    float[] first = sample(new GlorotUniform(), Shape.of(3, 3, 2, 4));
    GraphRuntime.setRandomSeed(123);
    float[] again = sample(new GlorotUniform(), Shape.of(3, 3, 2, 4));
    assertArrayEquals(first, again);
  }

  private static float[] sample(Initializer initializer, Shape shape) {
    Conv2D probe = null;
    Dense dense = null;
    TfFunction<TFloat32> fn;
    if (shape.numDimensions() == 4) {
      probe = new Conv2D((int) shape.get(3), new int[] {(int) shape.get(0), (int) shape.get(1)},
          dev.tfkeras.layers.Activation.LINEAR).kernelInitializer(initializer);
      Conv2D conv = probe;
      fn = TfFunction.returning(TFloat32.class, x -> conv.apply(x));
      LayerConformance.call(fn, Shape.of(1, shape.get(0), shape.get(1), shape.get(2)),
          new float[(int) (shape.get(0) * shape.get(1) * shape.get(2))]);
      try (TFloat32 k = probe.variables().get(0).value()) {
        return LayerConformance.values(k);
      }
    }
    dense = new Dense((int) shape.get(1)).kernelInitializer(initializer);
    Dense d = dense;
    fn = TfFunction.returning(TFloat32.class, x -> d.apply(x));
    LayerConformance.call(fn, Shape.of(1, shape.get(0)), new float[(int) shape.get(0)]);
    try (TFloat32 k = dense.variables().get(0).value()) {
      return LayerConformance.values(k);
    }
  }
}
