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
class AveragePooling2DTest {

  private static void check(int[] pool, int[] strides, Padding padding, long[] in, long[] expectedShape) {
    GraphRuntime.reset();
    AveragePooling2D layer = new AveragePooling2D(pool).strides(strides).padding(padding);
    int size = (int) (in[0] * in[1] * in[2] * in[3]);
    float[] x = ConvReference.wave(size, 0.3);
    var out = LayerConformance.run(layer, Shape.of(in), x, 0);
    assertEquals(Shape.of(expectedShape), out.shape());
    float[] expected =
        PoolingReference.averagePool(x, (int) in[0], (int) in[1], (int) in[2], (int) in[3], pool, strides, padding == Padding.SAME);
    assertArrayEquals(expected, out.values(), 1e-6f);
  }

  @Test
  void kerasParameterSetsGiveKerasShapesAndAverages() {
    // average_pooling_test.py test_average_pooling2d (channels last)
    check(new int[] {2, 2}, new int[] {1, 1}, Padding.VALID, new long[] {3, 5, 5, 4}, new long[] {3, 4, 4, 4});
    check(new int[] {2, 2}, new int[] {1, 1}, Padding.SAME, new long[] {3, 5, 5, 4}, new long[] {3, 5, 5, 4});
    check(new int[] {2, 3}, new int[] {2, 2}, Padding.VALID, new long[] {3, 5, 5, 4}, new long[] {3, 2, 2, 4});
    check(new int[] {2, 3}, new int[] {2, 2}, Padding.SAME, new long[] {3, 5, 5, 4}, new long[] {3, 3, 3, 4});
    // the correctness cases: arange(16) as (1, 4, 4, 1), SAME with strides (2, 1) and (2, 2)
    check(new int[] {2, 2}, new int[] {2, 1}, Padding.SAME, new long[] {1, 4, 4, 1}, new long[] {1, 2, 4, 1});
    check(new int[] {2, 2}, new int[] {2, 2}, Padding.SAME, new long[] {1, 4, 4, 1}, new long[] {1, 2, 2, 1});
  }

  @Test
  void stridesDefaultToThePoolSize() {
    var out = LayerConformance.run(new AveragePooling2D(2), Shape.of(1, 4, 4, 1), LayerConformance.range(16), 0);
    assertEquals(Shape.of(1, 2, 2, 1), out.shape());
    assertArrayEquals(new float[] {2.5f, 4.5f, 10.5f, 12.5f}, out.values(), 0f);
  }

  @Test
  void sameBorderWindowsAverageOnlyThePixelsTheyCover() {
    // 3x3 input, pool 2 stride 2 SAME: the last row and column windows hold 2 and 1 pixels
    AveragePooling2D pool = new AveragePooling2D(2).padding(Padding.SAME);
    var out = LayerConformance.run(pool, Shape.of(1, 3, 3, 1), LayerConformance.range(9), 0);
    assertArrayEquals(new float[] {(0 + 1 + 3 + 4) / 4f, (2 + 5) / 2f, (6 + 7) / 2f, 8}, out.values(), 1e-6f);
  }

  @Test
  void gradientsMatchFiniteDifferences() {
    LayerGradients.check(new AveragePooling2D(2).strides(1).padding(Padding.SAME),
        ConvReference.wave(2 * 3 * 3 * 2, 0), new long[] {2, 3, 3, 2}, true, 1e-3);
  }

  @Test
  void rejectsBadSettingsAndInputsSmallerThanThePool() {
    assertEquals(
        "Received an invalid value for `pool_size`, expected two positive integers. Received:"
            + " pool_size=[0, 0]",
        assertThrows(IllegalArgumentException.class, () -> new AveragePooling2D(0)).getMessage());
    assertEquals(
        "Received an invalid value for `strides`, expected two positive integers. Received:"
            + " strides=[1, -2]",
        assertThrows(IllegalArgumentException.class,
            () -> new AveragePooling2D(2).strides(new int[] {1, -2})).getMessage());
    AveragePooling2D pool = new AveragePooling2D(new int[] {3, 3});
    var fn = TfFunction.returning(TFloat32.class, x -> pool.apply(x));
    var e = assertThrows(IllegalArgumentException.class,
        () -> LayerConformance.call(fn, Shape.of(1, 2, 5, 1), new float[10]));
    assertEquals(
        "Computed output size would be zero or negative. Received: `inputs.shape=(None, 2, 5, 1)`,"
            + " `pool_size=[3, 3]`, `strides=[3, 3]`, `padding=valid`.",
        e.getMessage());
    GraphRuntime.reset();
    AveragePooling2D flat = new AveragePooling2D(2);
    var fn2 = TfFunction.returning(TFloat32.class, x -> flat.apply(x));
    e = assertThrows(IllegalArgumentException.class,
        () -> LayerConformance.call(fn2, Shape.of(1, 4, 4), new float[16]));
    assertEquals(
        "Input 0 of layer \"average_pooling2d\" is incompatible with the layer: expected ndim=4,"
            + " found ndim=3. Full shape received: (None, 4, 4)",
        e.getMessage());
  }
}
