package dev.tfkeras.layers;

import static dev.tfkeras.layers.LayerConformance.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tfkeras.function.TfFunction;
import dev.tfkeras.runtime.GraphRuntime;
import dev.tfkeras.testing.FreshRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

@ExtendWith(FreshRuntime.class)
class GlobalPooling2DTest {

  @Test
  void averageOverHeightAndWidthPerChannel() {
    // global_average_pooling_test.py: (3, 5, 6, 4) -> (3, 4), or (3, 1, 1, 4) with keepdims
    float[] x = ConvReference.wave(3 * 5 * 6 * 4, 0.2);
    var out = LayerConformance.run(new GlobalAveragePooling2D(), Shape.of(3, 5, 6, 4), x, 0);
    assertEquals(Shape.of(3, 4), out.shape());
    assertArrayEquals(PoolingReference.global(x, 3, 30, 4, false), out.values(), 1e-6f);
    GraphRuntime.reset();
    var kept = LayerConformance.run(new GlobalAveragePooling2D().keepdims(true), Shape.of(3, 5, 6, 4), x, 0);
    assertEquals(Shape.of(3, 1, 1, 4), kept.shape());
    assertArrayEquals(PoolingReference.global(x, 3, 30, 4, false), kept.values(), 1e-6f);
  }

  @Test
  void maximumOverHeightAndWidthPerChannel() {
    float[] x = ConvReference.wave(3 * 5 * 6 * 4, 0.7);
    var out = LayerConformance.run(new GlobalMaxPooling2D(), Shape.of(3, 5, 6, 4), x, 0);
    assertEquals(Shape.of(3, 4), out.shape());
    assertArrayEquals(PoolingReference.global(x, 3, 30, 4, true), out.values(), 0f);
    GraphRuntime.reset();
    var kept = LayerConformance.run(new GlobalMaxPooling2D().keepdims(true), Shape.of(3, 5, 6, 4), x, 0);
    assertEquals(Shape.of(3, 1, 1, 4), kept.shape());
    assertArrayEquals(PoolingReference.global(x, 3, 30, 4, true), kept.values(), 0f);
  }

  @Test
  void gradientsMatchFiniteDifferences() {
    LayerGradients.check(new GlobalAveragePooling2D(), ConvReference.wave(2 * 2 * 3 * 2, 0),
        new long[] {2, 2, 3, 2}, true, 1e-3);
    GraphRuntime.reset();
    // distinct values, so the maximum does not jump within the finite-difference step
    float[] x = new float[2 * 2 * 3 * 2];
    for (int i = 0; i < x.length; i++) {
      x[i] = (i * 7 % 24) * 0.1f;
    }
    LayerGradients.check(new GlobalMaxPooling2D(), x, new long[] {2, 2, 3, 2}, true, 1e-3);
  }

  @Test
  void needImageShapedInputs() {
    GlobalMaxPooling2D pool = new GlobalMaxPooling2D();
    var fn = TfFunction.returning(TFloat32.class, x -> pool.apply(x));
    var e = assertThrows(IllegalArgumentException.class,
        () -> LayerConformance.call(fn, Shape.of(2, 3), new float[6]));
    assertEquals(
        "Input 0 of layer \"global_max_pooling2d\" is incompatible with the layer: expected ndim=4,"
            + " found ndim=2. Full shape received: (None, 3)",
        e.getMessage());
  }
}
