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
class Conv2DTransposeTest {

  /**
   * Runs {@code layer} with wave weights on a wave input of {@code shape} and checks its output
   * shape and values against the plain-Java transposed convolution.
   */
  private static void check(Conv2DTranspose layer, int filters, ConvReference.Spec spec, long[] shape,
      long[] expectedShape) {
    GraphRuntime.reset();
    int b = (int) shape[0];
    int h = (int) shape[1];
    int w = (int) shape[2];
    int c = (int) shape[3];
    float[] kernel = ConvReference.wave(spec.kernel()[0] * spec.kernel()[1] * filters * c, 0.9);
    float[] bias = ConvReference.wave(filters, 1.7);
    layer.kernelInitializer(Constant.values(kernel)).biasInitializer(Constant.values(bias));
    float[] x = ConvReference.wave(b * h * w * c, 0.2);
    var out = LayerConformance.run(layer, Shape.of(shape), x, kernel.length + filters);
    assertEquals(Shape.of(expectedShape), out.shape());
    assertEquals(Shape.of(spec.kernel()[0], spec.kernel()[1], filters, c), layer.variables().get(0).shape());
    float[] expected = ConvReference.transpose(x, b, h, w, c, kernel, filters, bias, spec,
        (int) expectedShape[1], (int) expectedShape[2]);
    assertArrayEquals(expected, out.values(), 1e-5f);
  }

  private static ConvReference.Spec spec(int[] kernel, int[] strides, int[] dilation, boolean same) {
    return new ConvReference.Spec(kernel, strides, dilation, same);
  }

  @Test
  void kerasParameterSetsGiveKerasShapes() {
    // conv_transpose_test.py test_conv2d_transpose_basic
    check(new Conv2DTranspose(5, 2).strides(2), 5,
        spec(new int[] {2, 2}, new int[] {2, 2}, new int[] {1, 1}, false), new long[] {2, 8, 8, 4},
        new long[] {2, 16, 16, 5});
    check(new Conv2DTranspose(6, 2).strides(3).padding(Padding.SAME).outputPadding(2), 6,
        spec(new int[] {2, 2}, new int[] {3, 3}, new int[] {1, 1}, true), new long[] {2, 8, 8, 4},
        new long[] {2, 23, 23, 6});
    // Keras's channels-first case (2, 4, 8, 8) -> (2, 6, 16, 10), here channels last
    check(new Conv2DTranspose(6, new int[] {2, 3}, Activation.LINEAR).strides(new int[] {2, 1}), 6,
        spec(new int[] {2, 3}, new int[] {2, 1}, new int[] {1, 1}, false), new long[] {2, 8, 8, 4},
        new long[] {2, 16, 10, 6});
    check(new Conv2DTranspose(2, 7).strides(16), 2,
        spec(new int[] {7, 7}, new int[] {16, 16}, new int[] {1, 1}, false), new long[] {1, 14, 14, 2},
        new long[] {1, 224, 224, 2});
  }

  @Test
  void sameAndValidSizesWithAndWithoutOutputPadding() {
    // same: n * s
    check(new Conv2DTranspose(2, 3).strides(2).padding(Padding.SAME), 2,
        spec(new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1}, true), new long[] {1, 3, 3, 2},
        new long[] {1, 6, 6, 2});
    // same with output padding: (n - 1) s + k mod 2 + p
    check(new Conv2DTranspose(1, 3).strides(new int[] {2, 3}).padding(Padding.SAME).outputPadding(new int[] {1, 0}), 1,
        spec(new int[] {3, 3}, new int[] {2, 3}, new int[] {1, 1}, true), new long[] {1, 3, 4, 1},
        new long[] {1, 6, 10, 1});
    // valid with output padding: (n - 1) s + k + p
    check(new Conv2DTranspose(2, 3).outputPadding(1).strides(2), 2,
        spec(new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1}, false), new long[] {2, 3, 2, 1},
        new long[] {2, 8, 6, 2});
    // valid, kernel larger than the stride: (n - 1) s + k
    check(new Conv2DTranspose(1, 4).strides(new int[] {1, 2}), 1,
        spec(new int[] {4, 4}, new int[] {1, 2}, new int[] {1, 1}, false), new long[] {1, 2, 3, 3},
        new long[] {1, 5, 8, 1});
  }

  @Test
  void dilatedKernels() {
    check(new Conv2DTranspose(2, 3).dilationRate(2), 2,
        spec(new int[] {3, 3}, new int[] {1, 1}, new int[] {2, 2}, false), new long[] {1, 4, 3, 2},
        new long[] {1, 8, 7, 2});
    check(new Conv2DTranspose(1, 2).dilationRate(new int[] {3, 2}).padding(Padding.SAME), 1,
        spec(new int[] {2, 2}, new int[] {1, 1}, new int[] {3, 2}, true), new long[] {2, 4, 5, 1},
        new long[] {2, 4, 5, 1});
  }

  /**
   * Configurations TensorFlow's oneDNN transposed convolution (Conv2DBackpropInput) computes
   * wrongly on an AMD EPYC with AVX-512, before {@link OneDnnSafe}: one input and one output
   * channel with a stride above 1 (the SAME case above, off by 0.029; this VALID one by 0.65), and
   * 33-48 filters (mod 32) at any stride (off by up to 9).
   */
  @Test
  void oneDnnMiscomputedConfigurationsMatchTheReference() {
    check(new Conv2DTranspose(1, new int[] {5, 5}, Activation.LINEAR).strides(new int[] {3, 2}).outputPadding(new int[] {2, 0}), 1,
        spec(new int[] {5, 5}, new int[] {3, 2}, new int[] {1, 1}, false), new long[] {1, 1, 3, 1},
        new long[] {1, 7, 9, 1});
    check(new Conv2DTranspose(40, 3), 40,
        spec(new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1}, false), new long[] {2, 3, 2, 3},
        new long[] {2, 5, 4, 40});
    check(new Conv2DTranspose(33, 2).strides(2).padding(Padding.SAME), 33,
        spec(new int[] {2, 2}, new int[] {2, 2}, new int[] {1, 1}, true), new long[] {1, 2, 3, 4},
        new long[] {1, 4, 6, 33});
  }

  /**
   * The kernel gradient of a strided 1x1 transposed convolution aborts the JVM in oneDNN on an AMD
   * EPYC with AVX-512 (heap corruption in its 1x1 backward-weights kernel) before {@link
   * OneDnnSafe}; with one channel each side the input path is the miscomputed one as well.
   */
  @Test
  void oneDnnMiscomputedGradientsMatchFiniteDifferences() {
    LayerGradients.check(new Conv2DTranspose(3, 1).strides(2), ConvReference.wave(2 * 3 * 2, 0),
        new long[] {2, 3, 2, 1}, true, 2e-3);
    GraphRuntime.reset();
    LayerGradients.check(new Conv2DTranspose(1, 3).strides(new int[] {2, 1}).padding(Padding.SAME),
        ConvReference.wave(3 * 2, 0), new long[] {1, 3, 2, 1}, true, 2e-3);
    GraphRuntime.reset();
    LayerGradients.check(new Conv2DTranspose(34, new int[] {2, 1}, Activation.LINEAR),
        ConvReference.wave(2 * 1 * 2, 0), new long[] {1, 2, 1, 2}, true, 2e-3);
  }

  @Test
  void rejectsSamePaddingWithOutputPaddingThatTensorFlowRejects() {
    Conv2DTranspose layer = new Conv2DTranspose(1, new int[] {2, 3}, Activation.LINEAR).padding(Padding.SAME).outputPadding(0);
    var fn = TfFunction.returning(TFloat32.class, x -> layer.apply(x));
    var e = assertThrows(IllegalArgumentException.class,
        () -> LayerConformance.call(fn, Shape.of(1, 2, 2, 1), new float[4]));
    assertEquals(
        "With padding SAME, an even (dilated) kernel size and `output_padding` 0, the output has"
            + " (n - 1) * stride rows, which a SAME convolution maps back to n - 1 inputs, not n:"
            + " TensorFlow's Conv2DBackpropInput rejects it. At dimension 0 the kernel size is 2; use"
            + " an output_padding of at least 1 there. Received: output_padding=[0, 0],"
            + " kernel_size=[2, 3], dilation_rate=[1, 1]",
        e.getMessage());
  }

  @Test
  void unknownImageSizes() {
    Conv2DTranspose layer = new Conv2DTranspose(2, 3).strides(2).padding(Padding.SAME).useBias(false);
    float[] kernel = ConvReference.wave(3 * 3 * 2 * 1, 0.9);
    layer.kernelInitializer(Constant.values(kernel));
    var fn = TfFunction.returning(TFloat32.class,
        x -> layer.apply(TfFunction.ops().placeholderWithDefault(x, Shape.of(-1, -1, -1, 1))));
    float[] x = ConvReference.wave(3 * 4, 0.2);
    var out = LayerConformance.call(fn, Shape.of(1, 3, 4, 1), x);
    assertEquals("(None, None, None, 2)", Layer.format(layer.outputShape()));
    assertEquals(Shape.of(1, 6, 8, 2), out.shape());
    assertArrayEquals(ConvReference.transpose(x, 1, 3, 4, 1, kernel, 2, null,
        spec(new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1}, true), 6, 8), out.values(), 1e-5f);
  }

  @Test
  void gradientsMatchFiniteDifferences() {
    LayerGradients.check(new Conv2DTranspose(2, 3).strides(2).padding(Padding.SAME),
        ConvReference.wave(1 * 2 * 2 * 2, 0), new long[] {1, 2, 2, 2}, true, 2e-3);
    GraphRuntime.reset();
    LayerGradients.check(new Conv2DTranspose(1, 2, Activation.TANH).dilationRate(2),
        ConvReference.wave(1 * 2 * 3 * 2, 0), new long[] {1, 2, 3, 2}, true, 2e-3);
  }

  @Test
  void rejectsKerasInvalidArguments() {
    assertEquals(
        "Received an invalid value for `filters`, expected a positive integer. Received: filters=0",
        assertThrows(IllegalArgumentException.class, () -> new Conv2DTranspose(0, 1)).getMessage());
    assertEquals(
        "Received an invalid value for `kernel_size`, expected two positive integers. Received:"
            + " kernel_size=[1, 0]",
        assertThrows(IllegalArgumentException.class,
            () -> new Conv2DTranspose(2, new int[] {1, 0}, Activation.LINEAR)).getMessage());
    assertEquals(
        "Received an invalid value for `strides`, expected two positive integers. Received:"
            + " strides=[1, 0]",
        assertThrows(IllegalArgumentException.class,
            () -> new Conv2DTranspose(2, 2).strides(new int[] {1, 0})).getMessage());
    assertEquals(
        "`strides > 1` not supported in conjunction with `dilation_rate > 1`. Received:"
            + " strides=[2, 2] and dilation_rate=[2, 2]",
        assertThrows(IllegalArgumentException.class,
            () -> new Conv2DTranspose(2, 2).strides(2).dilationRate(2)).getMessage());

    Conv2DTranspose tooMuch = new Conv2DTranspose(2, 3).strides(new int[] {2, 3}).outputPadding(new int[] {1, 3});
    var fn = TfFunction.returning(TFloat32.class, x -> tooMuch.apply(x));
    var e = assertThrows(IllegalArgumentException.class,
        () -> LayerConformance.call(fn, Shape.of(1, 2, 2, 1), new float[4]));
    assertEquals(
        "`output_padding` must be strictly less than `strides` for all dimensions. At dimension 1,"
            + " `output_padding` is 3 but `strides` is 3. Received: output_padding=[1, 3],"
            + " strides=[2, 3]",
        e.getMessage());
  }
}
