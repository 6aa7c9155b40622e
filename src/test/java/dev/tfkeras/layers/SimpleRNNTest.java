package dev.tfkeras.layers;

import static dev.tfkeras.layers.RecurrentReference.flat;
import static dev.tfkeras.testing.Numeric.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tfkeras.initializers.Constant;
import dev.tfkeras.runtime.GraphRuntime;
import dev.tfkeras.testing.FreshRuntime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.ndarray.Shape;

@ExtendWith(FreshRuntime.class)
class SimpleRNNTest {

  private static final int B = 2;
  private static final int T = 6;
  private static final int F = 3;
  private static final int U = 4;

  @Test
  void outputShapesWeightNamesAndParameterCounts() {
    float[] x = SequenceRunner.random(1, B * T * F, 1);
    for (boolean sequences : new boolean[] {false, true}) {
      for (boolean state : new boolean[] {false, true}) {
        SimpleRNN rnn = new SimpleRNN(U).returnSequences(sequences).returnState(state);
        var outputs = SequenceRunner.run(rnn, x, B, T, F);
        String first = sequences ? "(None, 6, 4)" : "(None, 4)";
        assertEquals(
            state ? List.of(first, "(None, 4)") : List.of(first),
            rnn.outputShapes().stream().map(Layer::format).toList());
        assertEquals(sequences ? Shape.of(B, T, U) : Shape.of(B, U), outputs.get(0).shape());
        assertEquals(U * (F + U) + U, rnn.countParams());
        assertEquals(
            List.of(
                "simple_rnn/simple_rnn_cell/kernel",
                "simple_rnn/simple_rnn_cell/recurrent_kernel",
                "simple_rnn/simple_rnn_cell/bias"),
            rnn.variables().stream().map(v -> v.path()).toList());
        GraphRuntime.reset();
      }
    }
  }

  @Test
  void matchesTheReferenceWithAndWithoutMask() {
    float[] kernel = SequenceRunner.random(2, F * U, 0.6);
    float[] recurrent = SequenceRunner.random(3, U * U, 0.6);
    float[] bias = SequenceRunner.random(4, U, 0.6);
    float[] x = SequenceRunner.random(5, B * T * F, 1.5);
    boolean[][] mask = {{true, false, true, true, false, true}, {false, false, true, true, true, false}};
    for (boolean masked : new boolean[] {false, true}) {
      for (boolean backwards : new boolean[] {false, true}) {
        SimpleRNN rnn =
            new SimpleRNN(U)
                .returnSequences(true)
                .returnState(true)
                .goBackwards(backwards)
                .kernelInitializer(Constant.values(kernel))
                .recurrentInitializer(Constant.values(recurrent))
                .biasInitializer(Constant.values(bias));
        var outputs = SequenceRunner.run(rnn, x, masked ? mask : null, B, T, F);
        var expected =
            new RecurrentReference(RecurrentReference.Cell.SIMPLE, U, F, kernel, recurrent, bias)
                .goBackwards(backwards)
                .run(x, B, T, masked ? mask : null, null);
        String what = "masked=" + masked + " backwards=" + backwards;
        assertClose(flat(expected.sequence()), outputs.get(0).values(), 1e-5, 1e-6, what + " sequence");
        assertClose(flat(expected.states()[0]), outputs.get(1).values(), 1e-5, 1e-6, what + " state");
        GraphRuntime.reset();
      }
    }
  }

  @Test
  void matchesTheNumbersOfKerasOwnSimpleRnnTest() {
    // keras/src/layers/rnn/simple_rnn_test.py test_correctness
    SimpleRNN rnn =
        new SimpleRNN(4)
            .kernelInitializer(Constant.of(0.01f))
            .recurrentInitializer(Constant.of(0.02f))
            .biasInitializer(Constant.of(0.03f));
    float[] out = SequenceRunner.run(rnn, LayerConformance.range(24), 2, 3, 4).get(0).values();
    for (int u = 0; u < 4; u++) {
      assertClose(0.405432, out[u], 1e-5, 1e-5, "sample 0");
      assertClose(0.73605347, out[4 + u], 1e-5, 1e-5, "sample 1");
    }
  }

  @Test
  void otherActivationsApply() {
    float[] kernel = SequenceRunner.random(6, F * U, 0.6);
    float[] recurrent = SequenceRunner.random(7, U * U, 0.6);
    float[] x = SequenceRunner.random(8, B * T * F, 1);
    SimpleRNN rnn =
        new SimpleRNN(U)
            .activation(Activation.RELU)
            .useBias(false)
            .kernelInitializer(Constant.values(kernel))
            .recurrentInitializer(Constant.values(recurrent));
    float[] out = SequenceRunner.run(rnn, x, B, T, F).get(0).values();
    // relu(x W + h R) by hand
    double[] expected = new double[B * U];
    for (int b = 0; b < B; b++) {
      double[] h = new double[U];
      for (int t = 0; t < T; t++) {
        double[] next = new double[U];
        for (int u = 0; u < U; u++) {
          double z = 0;
          for (int f = 0; f < F; f++) {
            z += x[(b * T + t) * F + f] * kernel[f * U + u];
          }
          for (int v = 0; v < U; v++) {
            z += h[v] * recurrent[v * U + u];
          }
          next[u] = Math.max(0, z);
        }
        h = next;
      }
      System.arraycopy(h, 0, expected, b * U, U);
    }
    assertClose(expected, out, 1e-5, 1e-6, "relu recurrence");
  }
}
