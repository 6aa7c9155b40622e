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
class ZeroPadding2DTest {

  /** {@code x (b, h, w, c)} with {@code top, bottom} zero rows and {@code left, right} zero columns. */
  private static float[] pad(float[] x, int b, int h, int w, int c, int top, int bottom, int left, int right) {
    int oh = h + top + bottom;
    int ow = w + left + right;
    float[] out = new float[b * oh * ow * c];
    for (int n = 0; n < b; n++) {
      for (int i = 0; i < h; i++) {
        for (int j = 0; j < w; j++) {
          for (int k = 0; k < c; k++) {
            out[((n * oh + i + top) * ow + j + left) * c + k] = x[((n * h + i) * w + j) * c + k];
          }
        }
      }
    }
    return out;
  }

  @Test
  void padsTopBottomLeftAndRightWithZeros() {
    // zero_padding2d_test.py: padding ((1, 2), (3, 4))
    float[] x = ConvReference.wave(2 * 2 * 3 * 2, 0.1);
    var out = LayerConformance.run(new ZeroPadding2D(new int[][] {{1, 2}, {3, 4}}), Shape.of(2, 2, 3, 2), x, 0);
    assertEquals(Shape.of(2, 5, 10, 2), out.shape());
    assertArrayEquals(pad(x, 2, 2, 3, 2, 1, 2, 3, 4), out.values(), 0f);
  }

  @Test
  void symmetricFormsAndTheDefault() {
    float[] x = ConvReference.wave(2 * 2 * 2 * 2, 0.1);
    for (ZeroPadding2D layer : new ZeroPadding2D[] {
        new ZeroPadding2D(new int[][] {{2, 2}, {2, 2}}), new ZeroPadding2D(2, 2), new ZeroPadding2D(2)}) {
      GraphRuntime.reset();
      var out = LayerConformance.run(layer, Shape.of(2, 2, 2, 2), x, 0);
      assertEquals(Shape.of(2, 6, 6, 2), out.shape());
      assertArrayEquals(pad(x, 2, 2, 2, 2, 2, 2, 2, 2), out.values(), 0f);
    }
    GraphRuntime.reset();
    var rect = LayerConformance.run(new ZeroPadding2D(1, 2), Shape.of(2, 2, 2, 2), x, 0);
    assertArrayEquals(pad(x, 2, 2, 2, 2, 1, 1, 2, 2), rect.values(), 0f);
    GraphRuntime.reset();
    var defaults = LayerConformance.run(new ZeroPadding2D(), Shape.of(2, 2, 2, 2), x, 0);
    assertArrayEquals(pad(x, 2, 2, 2, 2, 1, 1, 1, 1), defaults.values(), 0f);
  }

  @Test
  void unknownSizesStayUnknown() {
    // Keras: ZeroPadding2D(((1, 2), (3, 4))) on (None, 2, None, 4) gives (None, 5, None, 4)
    ZeroPadding2D layer = new ZeroPadding2D(new int[][] {{1, 2}, {3, 4}});
    var fn = TfFunction.returning(TFloat32.class,
        x -> layer.apply(TfFunction.ops().placeholderWithDefault(x, Shape.of(-1, 2, -1, 4))));
    var out = LayerConformance.call(fn, Shape.of(1, 2, 3, 4), ConvReference.wave(24, 0));
    assertEquals("(None, 5, None, 4)", Layer.format(layer.outputShape()));
    assertEquals(Shape.of(1, 5, 10, 4), out.shape());
  }

  @Test
  void gradientsMatchFiniteDifferences() {
    LayerGradients.check(new ZeroPadding2D(new int[][] {{0, 1}, {2, 0}}), ConvReference.wave(8, 0),
        new long[] {1, 2, 2, 2}, true, 1e-3);
  }

  @Test
  void rejectsMalformedPaddings() {
    assertEquals(
        "`padding` should have two elements. Received: padding=[[1, 2]].",
        assertThrows(IllegalArgumentException.class, () -> new ZeroPadding2D(new int[][] {{1, 2}})).getMessage());
    assertEquals(
        "Received an invalid value for `2nd entry of padding`, expected two non-negative integers."
            + " Received: 2nd entry of padding=[3, 4, 5]",
        assertThrows(IllegalArgumentException.class,
            () -> new ZeroPadding2D(new int[][] {{1, 2}, {3, 4, 5}})).getMessage());
    assertEquals(
        "Received an invalid value for `2nd entry of padding`, expected two non-negative integers."
            + " Received: 2nd entry of padding=[3, -4]",
        assertThrows(IllegalArgumentException.class,
            () -> new ZeroPadding2D(new int[][] {{1, 2}, {3, -4}})).getMessage());
    assertEquals(
        "Received an invalid value for `padding`, expected non-negative integers. Received: padding=-1",
        assertThrows(IllegalArgumentException.class, () -> new ZeroPadding2D(-1)).getMessage());
    assertEquals(
        "Received an invalid value for `padding`, expected non-negative integers. Received:"
            + " padding=[1, -2]",
        assertThrows(IllegalArgumentException.class, () -> new ZeroPadding2D(1, -2)).getMessage());
  }
}
