package dev.tfkeras.layers;

import static dev.tfkeras.layers.LayerConformance.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tfkeras.function.TfFunction;
import dev.tfkeras.initializers.Constant;
import dev.tfkeras.runtime.GraphRuntime;
import dev.tfkeras.testing.FreshRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

@ExtendWith(FreshRuntime.class)
class Conv2DTest {

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

  // ---- padding, strides, dilation, groups ---------------------------------------------------

  /** Runs {@code conv} on a wave input and checks the output against the plain-Java reference. */
  private static void assertMatchesReference(Conv2D conv, int filters, int groups, long[] shape,
      ConvReference.Spec spec, long[] expectedShape) {
    int b = (int) shape[0];
    int h = (int) shape[1];
    int w = (int) shape[2];
    int c = (int) shape[3];
    float[] kernel = ConvReference.wave(spec.kernel()[0] * spec.kernel()[1] * (c / groups) * filters, 0.4);
    float[] bias = ConvReference.wave(filters, 2.0);
    conv.kernelInitializer(Constant.values(kernel)).biasInitializer(Constant.values(bias));
    float[] x = ConvReference.wave(b * h * w * c, 0.0);
    long params = (long) kernel.length + filters;
    var out = LayerConformance.run(conv, Shape.of(shape), x, params);
    assertEquals(Shape.of(expectedShape), out.shape());
    float[] expected = ConvReference.conv(x, b, h, w, c, kernel, filters, groups, bias, spec);
    assertArrayEquals(expected, out.values(), 1e-5f);
  }

  private static ConvReference.Spec spec(int k, int[] strides, int[] dilation, boolean same) {
    return new ConvReference.Spec(new int[] {k, k}, strides, dilation, same);
  }

  @Test
  void kerasParameterSetsGiveKerasShapesAndParameterCounts() {
    // conv_test.py test_conv2d_basic: (filters, kernel, strides, padding, dilation, groups)
    assertMatchesReference(new Conv2D(5, 2), 5, 1, new long[] {3, 5, 5, 4},
        spec(2, new int[] {1, 1}, new int[] {1, 1}, false), new long[] {3, 4, 4, 5});
    GraphRuntime.reset();
    assertMatchesReference(new Conv2D(6, 2).padding(Padding.SAME).dilationRate(new int[] {2, 2}).groups(2),
        6, 2, new long[] {3, 4, 4, 4}, spec(2, new int[] {1, 1}, new int[] {2, 2}, true),
        new long[] {3, 4, 4, 6});
    GraphRuntime.reset();
    assertMatchesReference(new Conv2D(6, new int[] {2, 2}, Activation.LINEAR).strides(new int[] {2, 1}).groups(2),
        6, 2, new long[] {3, 5, 5, 4}, spec(2, new int[] {2, 1}, new int[] {1, 1}, false),
        new long[] {3, 2, 4, 6});
  }

  @Test
  void dilatedConvolutionsMatchTheReference() {
    // valid, sizes that are and are not multiples of the rate
    assertMatchesReference(new Conv2D(2, 3).dilationRate(2), 2, 1, new long[] {2, 7, 8, 3},
        spec(3, new int[] {1, 1}, new int[] {2, 2}, false), new long[] {2, 3, 4, 2});
    GraphRuntime.reset();
    // same, odd and even dilated extents, different rates per axis
    assertMatchesReference(new Conv2D(3, 2).padding(Padding.SAME).dilationRate(new int[] {3, 2}), 3, 1,
        new long[] {1, 7, 6, 2}, new ConvReference.Spec(new int[] {2, 2}, new int[] {1, 1}, new int[] {3, 2}, true),
        new long[] {1, 7, 6, 3});
    GraphRuntime.reset();
    assertMatchesReference(new Conv2D(2, 3).padding(Padding.SAME).dilationRate(2).groups(2), 2, 2,
        new long[] {1, 5, 5, 4}, spec(3, new int[] {1, 1}, new int[] {2, 2}, true), new long[] {1, 5, 5, 2});
  }

  @Test
  void stridedSameAndGroupedConvolutionsMatchTheReference() {
    assertMatchesReference(new Conv2D(4, 3).padding(Padding.SAME).strides(2), 4, 1, new long[] {2, 7, 6, 3},
        spec(3, new int[] {2, 2}, new int[] {1, 1}, true), new long[] {2, 4, 3, 4});
    GraphRuntime.reset();
    assertMatchesReference(new Conv2D(6, 1).groups(3), 6, 3, new long[] {1, 2, 2, 6},
        spec(1, new int[] {1, 1}, new int[] {1, 1}, false), new long[] {1, 2, 2, 6});
  }

  @Test
  void dilatedConvolutionAcceptsUnknownImageSizes() {
    Conv2D conv = new Conv2D(2, 3).padding(Padding.SAME).dilationRate(2);
    float[] kernel = ConvReference.wave(3 * 3 * 1 * 2, 0.4);
    conv.kernelInitializer(Constant.values(kernel)).useBias(false);
    var fn = TfFunction.returning(TFloat32.class, x -> conv.apply(
        TfFunction.ops().placeholderWithDefault(x, Shape.of(-1, -1, -1, 1)), false));
    float[] x = ConvReference.wave(5 * 6, 0.0);
    var out = LayerConformance.call(fn, Shape.of(1, 5, 6, 1), x);
    assertEquals("(None, None, None, 2)", Layer.format(conv.outputShape()));
    assertEquals(Shape.of(1, 5, 6, 2), out.shape());
    assertArrayEquals(
        ConvReference.conv(x, 1, 5, 6, 1, kernel, 2, 1, null, spec(3, new int[] {1, 1}, new int[] {2, 2}, true)),
        out.values(), 1e-5f);
    float[] x2 = ConvReference.wave(7 * 3, 1.0);
    var out2 = LayerConformance.call(fn, Shape.of(1, 7, 3, 1), x2);
    assertEquals(Shape.of(1, 7, 3, 2), out2.shape());
    assertArrayEquals(
        ConvReference.conv(x2, 1, 7, 3, 1, kernel, 2, 1, null, spec(3, new int[] {1, 1}, new int[] {2, 2}, true)),
        out2.values(), 1e-5f);
  }

  /**
   * Configurations TensorFlow's oneDNN Conv2D kernel computes wrongly on an AMD EPYC with AVX-512
   * (off by 1.4 and 3.6 before {@link OneDnnSafe}): a 3x1 kernel over a column 1 pixel wide, and a
   * 4x1 kernel with a width stride of 3, each with 22-50 input channels.
   */
  @Test
  void oneDnnMiscomputedConfigurationsMatchTheReference() {
    GraphRuntime.reset();
    assertMatchesReference(new Conv2D(24, new int[] {3, 1}, Activation.LINEAR), 24, 1,
        new long[] {2, 5, 1, 22}, new ConvReference.Spec(new int[] {3, 1}, new int[] {1, 1}, new int[] {1, 1}, false),
        new long[] {2, 3, 1, 24});
    GraphRuntime.reset();
    assertMatchesReference(
        new Conv2D(27, new int[] {4, 1}, Activation.LINEAR).strides(new int[] {2, 3}).padding(Padding.SAME), 27, 1,
        new long[] {1, 8, 3, 50}, new ConvReference.Spec(new int[] {4, 1}, new int[] {2, 3}, new int[] {1, 1}, true),
        new long[] {1, 4, 1, 27});
  }

  /**
   * The input gradient (Conv2DBackpropInput) that oneDNN gets wrong on an AMD EPYC with AVX-512:
   * one input and one output channel with stride 2 (off by 0.99), and 40 input channels (33-48 mod
   * 32) at stride 1.
   */
  @Test
  void oneDnnMiscomputedInputGradientsMatchFiniteDifferences() {
    LayerGradients.check(new Conv2D(1, 2).padding(Padding.SAME).strides(2), ConvReference.wave(2 * 4 * 4, 0),
        new long[] {2, 4, 4, 1}, true, 2e-3);
    GraphRuntime.reset();
    LayerGradients.check(new Conv2D(2, 2), ConvReference.wave(2 * 2 * 40, 0), new long[] {1, 2, 2, 40}, true, 2e-3);
  }

  @Test
  void gradientsMatchFiniteDifferences() {
    LayerGradients.check(new Conv2D(2, 2).padding(Padding.SAME).strides(2), ConvReference.wave(2 * 5 * 5 * 2, 0),
        new long[] {2, 5, 5, 2}, true, 2e-3);
    GraphRuntime.reset();
    LayerGradients.check(new Conv2D(2, 2).padding(Padding.SAME).dilationRate(2), ConvReference.wave(1 * 5 * 4 * 2, 0),
        new long[] {1, 5, 4, 2}, true, 2e-3);
    GraphRuntime.reset();
    LayerGradients.check(new Conv2D(4, 2, Activation.TANH).groups(2), ConvReference.wave(1 * 3 * 3 * 4, 0),
        new long[] {1, 3, 3, 4}, true, 2e-3);
  }

  @Test
  void rejectsKerasInvalidCombinations() {
    assertEquals(
        "`strides > 1` not supported in conjunction with `dilation_rate > 1`. Received:"
            + " strides=[2, 1] and dilation_rate=[2, 2]",
        assertThrows(IllegalArgumentException.class,
            () -> new Conv2D(8, 3).strides(new int[] {2, 1}).dilationRate(2)).getMessage());
    assertEquals(
        "`strides > 1` not supported in conjunction with `dilation_rate > 1`. Received:"
            + " strides=[2, 2] and dilation_rate=[1, 3]",
        assertThrows(IllegalArgumentException.class,
            () -> new Conv2D(8, 3).dilationRate(new int[] {1, 3}).strides(2)).getMessage());
    assertEquals(
        "Received an invalid value for `dilation_rate`, expected two positive integers. Received:"
            + " dilation_rate=[0, 0]",
        assertThrows(IllegalArgumentException.class, () -> new Conv2D(8, 3).dilationRate(0)).getMessage());
    assertEquals(
        "Received an invalid value for `groups`, expected a positive integer. Received: groups=0",
        assertThrows(IllegalArgumentException.class, () -> new Conv2D(8, 3).groups(0)).getMessage());
    assertEquals(
        "The number of filters must be evenly divisible by the number of groups. Received: groups=3,"
            + " filters=8.",
        assertThrows(IllegalArgumentException.class, () -> new Conv2D(8, 3).groups(3)).getMessage());
    var e = assertThrows(IllegalStateException.class, () -> {
      Conv2D conv = new Conv2D(2, 1);
      LayerConformance.run(conv, Shape.of(1, 2, 2, 1), new float[4], 4);
      conv.groups(2);
    });
    assertEquals(
        "Cannot change groups of layer 'conv2d' after it was built; set it before the first apply().",
        e.getMessage());
  }

  @Test
  void rejectsChannelsThatDoNotDivideIntoGroupsAndImagesSmallerThanTheDilatedKernel() {
    Conv2D grouped = new Conv2D(4, 1).groups(2);
    var fn = TfFunction.returning(TFloat32.class, x -> grouped.apply(x));
    var e = assertThrows(IllegalArgumentException.class,
        () -> LayerConformance.call(fn, Shape.of(1, 2, 2, 3), new float[12]));
    assertEquals(
        "The number of input channels must be evenly divisible by the number of groups. Received"
            + " groups=2, but the input has 3 channels (full input shape is (None, 2, 2, 3)).",
        e.getMessage());
    GraphRuntime.reset();
    Conv2D dilated = new Conv2D(1, 3).dilationRate(2);
    var fn2 = TfFunction.returning(TFloat32.class, x -> dilated.apply(x));
    e = assertThrows(IllegalArgumentException.class,
        () -> LayerConformance.call(fn2, Shape.of(1, 4, 8, 1), new float[32]));
    assertEquals(
        "Input 0 of layer \"conv2d\" is incompatible with the layer: with padding VALID, axis 1"
            + " must be at least the dilated kernel size 5 (kernel size 3, dilation rate 2), found 4."
            + " Full shape received: (None, 4, 8, 1)",
        e.getMessage());
  }
}
