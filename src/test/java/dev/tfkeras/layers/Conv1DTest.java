package dev.tfkeras.layers;

import static dev.tfkeras.testing.Numeric.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tfkeras.function.TfFunction;
import dev.tfkeras.initializers.Constant;
import dev.tfkeras.runtime.GraphRuntime;
import dev.tfkeras.testing.FreshRuntime;
import dev.tfkeras.testing.Tensors;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

@ExtendWith(FreshRuntime.class)
class Conv1DTest {

  private static final int B = 2;
  private static final int L = 7;
  private static final int C = 2;
  private static final int K = 3;
  private static final int FILTERS = 3;

  /**
   * A plain convolution: {@code y[b, t, f] = bias[f] + Σ_j Σ_c x[b, t * stride + j * rate - left,
   * c] kernel[j, c, f]}, zero outside the input, with TensorFlow's SAME split of the padding.
   */
  static double[] reference(
      float[] x, int batch, int length, int channels, float[] kernel, int size, int filters, float[] bias,
      Padding padding, int stride, int rate) {
    int span = rate * (size - 1) + 1;
    int out;
    int left;
    switch (padding) {
      case VALID -> {
        out = (length - span) / stride + 1;
        left = 0;
      }
      case SAME -> {
        out = (length + stride - 1) / stride;
        int total = Math.max((out - 1) * stride + span - length, 0);
        left = total / 2;
      }
      case CAUSAL -> {
        out = (length - 1) / stride + 1;
        left = span - 1;
      }
      default -> throw new AssertionError(padding);
    }
    double[] y = new double[batch * out * filters];
    for (int b = 0; b < batch; b++) {
      for (int t = 0; t < out; t++) {
        for (int f = 0; f < filters; f++) {
          double sum = bias == null ? 0 : bias[f];
          for (int j = 0; j < size; j++) {
            int at = t * stride + j * rate - left;
            if (at < 0 || at >= length) {
              continue;
            }
            for (int c = 0; c < channels; c++) {
              sum += x[(b * length + at) * channels + c] * kernel[(j * channels + c) * filters + f];
            }
          }
          y[(b * out + t) * filters + f] = sum;
        }
      }
    }
    return y;
  }

  @Test
  void matchesThePlainConvolutionForEveryPaddingStrideAndDilation() {
    float[] x = SequenceRunner.random(1, B * L * C, 1);
    float[] kernel = SequenceRunner.random(2, K * C * FILTERS, 1);
    float[] bias = SequenceRunner.random(3, FILTERS, 1);
    int[][] settings = {{1, 1}, {2, 1}, {3, 1}, {1, 2}, {1, 3}};
    for (Padding padding : Padding.values()) {
      for (int[] s : settings) {
        Conv1D conv =
            new Conv1D(FILTERS, K)
                .padding(padding)
                .strides(s[0])
                .dilationRate(s[1])
                .kernelInitializer(Constant.values(kernel))
                .biasInitializer(Constant.values(bias));
        String what = padding + " strides=" + s[0] + " dilation=" + s[1];
        var out = SequenceRunner.run(conv, x, B, L, C).get(0);
        double[] expected = reference(x, B, L, C, kernel, K, FILTERS, bias, padding, s[0], s[1]);
        assertEquals(expected.length / (B * FILTERS), out.shape().get(1), what + ": output length");
        assertEquals(out.shape().get(1), conv.outputShape().get(1), what + ": static output length");
        assertClose(expected, out.values(), 1e-5, 1e-5, what);
        GraphRuntime.reset();
      }
    }
  }

  @Test
  void causalOutputsDependOnlyOnThePast() {
    float[] x = SequenceRunner.random(4, L, 1);
    Conv1D conv = new Conv1D(1, 3).padding(Padding.CAUSAL).dilationRate(2);
    float[] before = SequenceRunner.run(conv, x, 1, L, 1).get(0).values();
    float[] changed = x.clone();
    changed[4] += 5;
    float[] after = SequenceRunner.run(conv, changed, 1, L, 1).get(0).values();
    for (int t = 0; t < L; t++) {
      if (t < 4) {
        assertEquals(before[t], after[t], "step " + t + " must not see step 4");
      }
    }
  }

  @Test
  void outputShapesForKerasParameterSets() {
    // keras/src/layers/convolutional/conv_test.py test_conv1d_basic (without groups)
    record Case(int filters, int size, int strides, Padding padding, int rate, long[] in, String out, long params) {}
    List<Case> cases =
        List.of(
            new Case(5, 2, 1, Padding.VALID, 1, new long[] {3, 5, 4}, "(None, 4, 5)", 2 * 4 * 5 + 5),
            new Case(6, 2, 1, Padding.SAME, 2, new long[] {3, 4, 4}, "(None, 4, 6)", 2 * 4 * 6 + 6),
            new Case(6, 2, 1, Padding.CAUSAL, 2, new long[] {3, 4, 4}, "(None, 4, 6)", 2 * 4 * 6 + 6),
            new Case(6, 2, 2, Padding.VALID, 1, new long[] {3, 5, 4}, "(None, 2, 6)", 2 * 4 * 6 + 6));
    for (Case c : cases) {
      Conv1D conv = new Conv1D(c.filters(), c.size()).strides(c.strides()).padding(c.padding()).dilationRate(c.rate());
      int n = (int) (c.in()[0] * c.in()[1] * c.in()[2]);
      var out = SequenceRunner.run(conv, SequenceRunner.random(5, n, 1), c.in());
      assertEquals(c.out(), Layer.format(conv.outputShape()), c.toString());
      assertEquals(c.in()[0], out.get(0).shape().get(0));
      assertEquals(c.params(), conv.countParams());
      assertEquals(List.of("conv1d/kernel", "conv1d/bias"), conv.variables().stream().map(v -> v.path()).toList());
      GraphRuntime.reset();
    }
  }

  @Test
  void worksOnSequencesOfUnknownLength() {
    Conv1D conv = new Conv1D(2, 3).dilationRate(2).padding(Padding.SAME);
    var fn =
        TfFunction.returning(
            TFloat32.class,
            in -> {
              var tf = TfFunction.ops();
              return conv.apply(tf.reshape(in, tf.constant(new long[] {1, -1, 1})), false);
            });
    try (TFloat32 in = Tensors.floats(SequenceRunner.random(6, 9, 1), 9);
        TFloat32 out = fn.call(in)) {
      assertEquals(Shape.of(1, 9, 2), out.shape());
    }
    assertEquals("(1, None, 2)", Layer.format(conv.outputShape()));
  }

  @Test
  void gradientsMatchFiniteDifferences() {
    int[][] settings = {{1, 1}, {2, 1}, {1, 2}};
    for (Padding padding : Padding.values()) {
      for (int[] s : settings) {
        Conv1D conv = new Conv1D(2, K).padding(padding).strides(s[0]).dilationRate(s[1]).biasInitializer(Constant.of(0.1f));
        SequenceGradients.check(
            conv, x -> List.of(conv.apply(x, true)), SequenceRunner.random(7, B * L * C, 1), new long[] {B, L, C}, 2e-3);
        GraphRuntime.reset();
      }
    }
  }

  @Test
  void refusesBadSettingsAndShortInputs() {
    assertEquals(
        "Invalid value for argument `filters`. Expected a strictly positive value. Received filters=0.",
        assertThrows(IllegalArgumentException.class, () -> new Conv1D(0, 3)).getMessage());
    assertEquals(
        "The `kernel_size` argument must be a tuple of 1 integers. Received kernel_size=0, including"
            + " values {0} that do not satisfy `value > 0`",
        assertThrows(IllegalArgumentException.class, () -> new Conv1D(4, 0)).getMessage());
    assertEquals(
        "`strides > 1` not supported in conjunction with `dilation_rate > 1`. Received: strides=(2,)"
            + " and dilation_rate=(2,)",
        assertThrows(IllegalArgumentException.class, () -> new Conv1D(4, 3).strides(2).dilationRate(2)).getMessage());
    Conv1D conv = new Conv1D(4, 3).dilationRate(2);
    var e = assertThrows(IllegalArgumentException.class, () -> SequenceRunner.run(conv, new float[4], 1, 4, 1));
    assertEquals(
        "Input 0 of layer \"conv1d\" is incompatible with the layer: with padding VALID, axis 1 must"
            + " be at least the dilated kernel size 5 (kernel size 3, dilation rate 2), found 4. Full"
            + " shape received: (None, 4, 1)",
        e.getMessage());
  }

  @Test
  void causalPaddingIsRefusedByTwoDimensionalLayers() {
    Conv2D conv = new Conv2D(1, 2).padding(Padding.CAUSAL);
    var fn = TfFunction.returning(TFloat32.class, in -> conv.apply(in, false));
    var e = assertThrows(IllegalArgumentException.class, () -> LayerConformance.call(fn, Shape.of(1, 3, 3, 1), new float[9]));
    assertEquals(
        "The `padding` argument must be a list/tuple or one of {'valid', 'same'}. Received: causal."
            + " Causal padding is only for 1-D layers such as Conv1D.",
        e.getMessage());
  }
}
