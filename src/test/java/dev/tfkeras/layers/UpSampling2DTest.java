package dev.tfkeras.layers;

import static dev.tfkeras.layers.LayerConformance.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tfkeras.function.TfFunction;
import dev.tfkeras.layers.UpSampling2D.Interpolation;
import dev.tfkeras.runtime.GraphRuntime;
import dev.tfkeras.testing.FreshRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

@ExtendWith(FreshRuntime.class)
class UpSampling2DTest {

  /** numpy's repeat along height then width. */
  private static float[] repeat(float[] x, int b, int h, int w, int c, int sh, int sw) {
    float[] out = new float[x.length * sh * sw];
    for (int n = 0; n < b; n++) {
      for (int i = 0; i < h * sh; i++) {
        for (int j = 0; j < w * sw; j++) {
          for (int k = 0; k < c; k++) {
            out[((n * h * sh + i) * w * sw + j) * c + k] = x[((n * h + i / sh) * w + j / sw) * c + k];
          }
        }
      }
    }
    return out;
  }

  /** Source position and weights of output pixel {@code i} along an axis, half-pixel centres. */
  private static double[] tap(int i, int scale, int size) {
    double in = (i + 0.5) / scale - 0.5;
    double floor = Math.floor(in);
    int lower = (int) Math.max(floor, 0);
    int upper = (int) Math.min(Math.ceil(in), size - 1);
    return new double[] {lower, upper, in - floor};
  }

  /** Bilinear resize by whole factors with half-pixel centres, clamped at the borders. */
  private static float[] bilinear(float[] x, int b, int h, int w, int c, int sh, int sw) {
    float[] out = new float[x.length * sh * sw];
    for (int n = 0; n < b; n++) {
      for (int i = 0; i < h * sh; i++) {
        double[] ty = tap(i, sh, h);
        for (int j = 0; j < w * sw; j++) {
          double[] tx = tap(j, sw, w);
          for (int k = 0; k < c; k++) {
            double[] rows = new double[2];
            for (int r = 0; r < 2; r++) {
              int row = (int) ty[r];
              double left = x[((n * h + row) * w + (int) tx[0]) * c + k];
              double right = x[((n * h + row) * w + (int) tx[1]) * c + k];
              rows[r] = left + (right - left) * tx[2];
            }
            out[((n * h * sh + i) * w * sw + j) * c + k] = (float) (rows[0] + (rows[1] - rows[0]) * ty[2]);
          }
        }
      }
    }
    return out;
  }

  @Test
  void nearestRepeatsEachPixel() {
    // up_sampling2d_test.py: (2, 11, 12, 2) by (2, 2) and (2, 3), against numpy's repeat
    float[] x = ConvReference.wave(2 * 11 * 12 * 2, 0.5);
    for (int[] size : new int[][] {{2, 2}, {2, 3}}) {
      GraphRuntime.reset();
      var out = LayerConformance.run(new UpSampling2D(size), Shape.of(2, 11, 12, 2), x, 0);
      assertEquals(Shape.of(2, 22, 12 * size[1], 2), out.shape());
      assertArrayEquals(repeat(x, 2, 11, 12, 2, size[0], size[1]), out.values(), 0f);
    }
    GraphRuntime.reset();
    // test_upsampling_2d_correctness: arange(12) as (2, 2, 1, 3) by (1, 2)
    var small = LayerConformance.run(new UpSampling2D(new int[] {1, 2}), Shape.of(2, 2, 1, 3), LayerConformance.range(12), 0);
    assertArrayEquals(new float[] {0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5, 6, 7, 8, 6, 7, 8, 9, 10, 11, 9, 10, 11},
        small.values(), 0f);
  }

  @Test
  void nearestIsExactForLargeFactors() {
    float[] x = LayerConformance.range(3 * 5);
    var out = LayerConformance.run(new UpSampling2D(new int[] {7, 11}), Shape.of(1, 3, 5, 1), x, 0);
    assertArrayEquals(repeat(x, 1, 3, 5, 1, 7, 11), out.values(), 0f);
  }

  @Test
  void bilinearInterpolatesBetweenPixelCentres() {
    float[] x = ConvReference.wave(2 * 11 * 12 * 2, 0.5);
    for (int[] size : new int[][] {{2, 2}, {2, 3}}) {
      GraphRuntime.reset();
      var out = LayerConformance.run(new UpSampling2D(size).interpolation(Interpolation.BILINEAR),
          Shape.of(2, 11, 12, 2), x, 0);
      assertEquals(Shape.of(2, 22, 12 * size[1], 2), out.shape());
      assertArrayEquals(bilinear(x, 2, 11, 12, 2, size[0], size[1]), out.values(), 1e-5f);
    }
  }

  @Test
  void unknownImageSizes() {
    UpSampling2D layer = new UpSampling2D(new int[] {2, 3});
    var fn = TfFunction.returning(TFloat32.class,
        x -> layer.apply(TfFunction.ops().placeholderWithDefault(x, Shape.of(-1, -1, -1, 1))));
    float[] x = LayerConformance.range(6);
    var out = LayerConformance.call(fn, Shape.of(1, 2, 3, 1), x);
    assertEquals("(None, None, None, 1)", Layer.format(layer.outputShape()));
    assertEquals(Shape.of(1, 4, 9, 1), out.shape());
    assertArrayEquals(repeat(x, 1, 2, 3, 1, 2, 3), out.values(), 0f);
  }

  @Test
  void gradientsMatchFiniteDifferences() {
    LayerGradients.check(new UpSampling2D(new int[] {2, 3}), ConvReference.wave(2 * 2 * 2 * 2, 0),
        new long[] {2, 2, 2, 2}, true, 1e-3);
    GraphRuntime.reset();
    LayerGradients.check(new UpSampling2D(2).interpolation(Interpolation.BILINEAR),
        ConvReference.wave(1 * 3 * 2 * 2, 0), new long[] {1, 3, 2, 2}, true, 1e-3);
  }

  @Test
  void rejectsBadSizes() {
    assertEquals(
        "Received an invalid value for `size`, expected two positive integers. Received: size=[0, 0]",
        assertThrows(IllegalArgumentException.class, () -> new UpSampling2D(0)).getMessage());
    assertEquals(
        "Received an invalid value for `size`, expected two positive integers. Received: size=[2]",
        assertThrows(IllegalArgumentException.class, () -> new UpSampling2D(new int[] {2})).getMessage());
  }
}
