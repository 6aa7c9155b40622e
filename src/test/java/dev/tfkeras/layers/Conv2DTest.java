package dev.tfkeras.layers;

import static dev.tfkeras.layers.LayerConformance.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tfkeras.function.TfFunction;
import dev.tfkeras.initializers.Constant;
import dev.tfkeras.runtime.GraphRuntime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

class Conv2DTest {

  @AfterEach
  void freshGraph() {
    GraphRuntime.reset();
  }

  @Test
  void validConvolutionMatchesHandComputedSums() {
    // input 3x3 = 0..8, kernel 2x2 = [[1,2],[3,4]], bias 1
    Conv2D conv =
        new Conv2D(1, 2)
            .kernelInitializer(Constant.values(1, 2, 3, 4))
            .biasInitializer(Constant.of(1f));
    var out = LayerConformance.run(conv, Shape.of(1, 3, 3, 1), LayerConformance.range(9), 4 + 1);
    assertEquals(Shape.of(1, 2, 2, 1), out.shape());
    // (0*1 + 1*2 + 3*3 + 4*4) + 1 = 28, then shifted windows
    assertArrayEquals(new float[] {28, 38, 58, 68}, out.values(), 1e-5f);
  }

  @Test
  void mixesChannelsIntoFilters() {
    // 1x1 kernel (in=2, out=2) = [[1, 2], [3, 4]]: out = [c0 + 3 c1, 2 c0 + 4 c1] per pixel
    Conv2D conv = new Conv2D(2, 1).kernelInitializer(Constant.values(1, 2, 3, 4)).useBias(false);
    var out = LayerConformance.run(conv, Shape.of(1, 1, 2, 2), new float[] {1, 1, 2, -1}, 4);
    assertEquals(Shape.of(1, 1, 2, 2), out.shape());
    assertArrayEquals(new float[] {4, 6, -1, 0}, out.values(), 1e-6f);
  }

  @Test
  void samePaddingKeepsTheSizeAndZeroPadsTheBorder() {
    Conv2D conv = new Conv2D(1, 3).padding(Padding.SAME).kernelInitializer(Constant.of(1f)).useBias(false);
    float[] x = LayerConformance.range(9);
    var out = LayerConformance.run(conv, Shape.of(1, 3, 3, 1), x, 9);
    assertEquals(Shape.of(1, 3, 3, 1), out.shape());
    float[] expected = new float[9];
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 3; c++) {
        for (int dr = -1; dr <= 1; dr++) {
          for (int dc = -1; dc <= 1; dc++) {
            int rr = r + dr;
            int cc = c + dc;
            if (rr >= 0 && rr < 3 && cc >= 0 && cc < 3) {
              expected[r * 3 + c] += x[rr * 3 + cc];
            }
          }
        }
      }
    }
    assertArrayEquals(expected, out.values(), 1e-5f);
  }

  @Test
  void stridesSkipPositions() {
    Conv2D conv = new Conv2D(1, 1).strides(2).kernelInitializer(Constant.of(1f)).useBias(false);
    var out = LayerConformance.run(conv, Shape.of(1, 4, 4, 1), LayerConformance.range(16), 1);
    assertEquals(Shape.of(1, 2, 2, 1), out.shape());
    assertArrayEquals(new float[] {0, 2, 8, 10}, out.values(), 0f);
  }

  @Test
  void seedModelConvolutionHas320Parameters() {
    Conv2D conv = new Conv2D(32, 3, Activation.RELU);
    var out = LayerConformance.run(conv, Shape.of(1, 28, 28, 1), new float[28 * 28], 320);
    assertEquals(Shape.of(1, 26, 26, 32), out.shape());
    assertEquals(Shape.of(3, 3, 1, 32), conv.variables().get(0).shape());
  }

  @Test
  void rejectsBadSettings() {
    assertEquals(
        "Received an invalid value for `filters`, expected a positive integer. Received: filters=0",
        assertThrows(IllegalArgumentException.class, () -> new Conv2D(0, 3)).getMessage());
    assertEquals(
        "Received an invalid value for `kernel_size`, expected two positive integers. Received:"
            + " kernel_size=[0, 0]",
        assertThrows(IllegalArgumentException.class, () -> new Conv2D(8, 0)).getMessage());
    assertEquals(
        "Received an invalid value for `strides`, expected two positive integers. Received:"
            + " strides=[-1, -1]",
        assertThrows(IllegalArgumentException.class, () -> new Conv2D(8, 3).strides(-1)).getMessage());
  }

  @Test
  void rejectsFlatInputsAndOtherChannelCounts() {
    Conv2D conv = new Conv2D(4, 3);
    var flat = TfFunction.returning(TFloat32.class, x -> conv.apply(x));
    var e = assertThrows(IllegalArgumentException.class,
        () -> LayerConformance.call(flat, Shape.of(2, 784), new float[2 * 784]));
    assertEquals(
        "Input 0 of layer \"conv2d\" is incompatible with the layer: expected ndim=4, found ndim=2."
            + " Full shape received: (None, 784)",
        e.getMessage());

    LayerConformance.run(conv, Shape.of(1, 5, 5, 1), new float[25], 3 * 3 * 4 + 4);
    var rgb = TfFunction.returning(TFloat32.class, x -> conv.apply(x));
    e = assertThrows(IllegalArgumentException.class,
        () -> LayerConformance.call(rgb, Shape.of(1, 5, 5, 3), new float[75]));
    assertEquals(
        "Input 0 of layer \"conv2d\" is incompatible with the layer: expected axis -1 of input"
            + " shape to have value 1 (input channels the layer was built with), found 3. Full"
            + " shape received: (None, 5, 5, 3)",
        e.getMessage());
  }

  @Test
  void rejectsImagesSmallerThanTheKernel() {
    Conv2D conv = new Conv2D(4, 5);
    var fn = TfFunction.returning(TFloat32.class, x -> conv.apply(x));
    var e = assertThrows(IllegalArgumentException.class,
        () -> LayerConformance.call(fn, Shape.of(1, 3, 8, 1), new float[24]));
    assertEquals(
        "Input 0 of layer \"conv2d\" is incompatible with the layer: with padding VALID, axis 1"
            + " must be at least the kernel size 5, found 3. Full shape received: (None, 3, 8, 1)",
        e.getMessage());
  }
}
