package dev.tfkeras.layers;

import static dev.tfkeras.layers.RecurrentReference.flat;
import static dev.tfkeras.testing.Numeric.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tfkeras.runtime.GraphRuntime;
import dev.tfkeras.testing.FreshRuntime;
import dev.tfkeras.testing.Tensors;
import dev.tfkeras.variables.Variable;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.types.TFloat32;

@ExtendWith(FreshRuntime.class)
class BidirectionalTest {

  private static final int B = 2;
  private static final int T = 4;
  private static final int F = 3;
  private static final int U = 2;

  @Test
  void copiesTheLayerIntoForwardAndBackwardLayersNamedAsKeras() {
    LSTM template = new LSTM(U);
    Bidirectional bi = new Bidirectional(template);
    SequenceRunner.run(bi, SequenceRunner.random(1, B * T * F, 1), B, T, F);
    assertEquals(
        List.of(
            "bidirectional/forward_lstm/lstm_cell/kernel",
            "bidirectional/forward_lstm/lstm_cell/recurrent_kernel",
            "bidirectional/forward_lstm/lstm_cell/bias",
            "bidirectional/backward_lstm/lstm_cell/kernel",
            "bidirectional/backward_lstm/lstm_cell/recurrent_kernel",
            "bidirectional/backward_lstm/lstm_cell/bias"),
        bi.variables().stream().map(Variable::path).toList());
    assertEquals(2 * (4 * U * (F + U) + 4 * U), bi.countParams());
    assertEquals("forward_lstm", bi.forwardLayer().name());
    assertEquals("backward_lstm", bi.backwardLayer().name());
    assertFalse(bi.forwardLayer().isGoBackwards());
    assertEquals(true, bi.backwardLayer().isGoBackwards());
    assertFalse(template.isBuilt(), "the wrapped instance is only a template, as in Keras");
  }

  @Test
  void outputShapesForEachMergeModeAndReturnOption() {
    float[] x = SequenceRunner.random(2, B * T * F, 1);
    record Case(Bidirectional layer, List<String> shapes) {}
    List<Case> cases =
        List.of(
            new Case(new Bidirectional(new GRU(U)), List.of("(None, 4)")),
            new Case(new Bidirectional(new GRU(U), Bidirectional.MergeMode.SUM), List.of("(None, 2)")),
            new Case(new Bidirectional(new GRU(U), Bidirectional.MergeMode.NONE), List.of("(None, 2)", "(None, 2)")),
            new Case(new Bidirectional(new LSTM(U).returnSequences(true)), List.of("(None, 4, 4)")),
            new Case(
                new Bidirectional(new LSTM(U).returnSequences(true).returnState(true), Bidirectional.MergeMode.AVE),
                List.of("(None, 4, 2)", "(None, 2)", "(None, 2)", "(None, 2)", "(None, 2)")),
            new Case(
                new Bidirectional(new SimpleRNN(U).returnState(true), Bidirectional.MergeMode.NONE),
                List.of("(None, 2)", "(None, 2)", "(None, 2)", "(None, 2)")));
    for (Case c : cases) {
      var outputs = SequenceRunner.run(c.layer(), x, B, T, F);
      assertEquals(c.shapes(), c.layer().outputShapes().stream().map(Layer::format).toList());
      assertEquals(c.shapes().size(), outputs.size());
      GraphRuntime.reset();
    }
  }

  @Test
  void mergesTheForwardAndTheTimeOrderedBackwardOutputsAsTheReference() {
    float[] x = SequenceRunner.random(3, B * T * F, 1.5);
    boolean[][] mask = {{true, true, false, true}, {true, true, true, false}};
    for (Bidirectional.MergeMode mode : Bidirectional.MergeMode.values()) {
      for (boolean masked : new boolean[] {false, true}) {
        Bidirectional bi = new Bidirectional(new LSTM(U).returnSequences(true).returnState(true), mode);
        SequenceRunner.run(bi, x, B, T, F); // builds
        float[][] fw = assignRandom(bi.forwardLayer(), 10);
        float[][] bw = assignRandom(bi.backwardLayer(), 20);
        var outputs = SequenceRunner.run(bi, x, masked ? mask : null, B, T, F);
        boolean[][] m = masked ? mask : null;
        var forward =
            new RecurrentReference(RecurrentReference.Cell.LSTM, U, F, fw[0], fw[1], fw[2])
                .zeroOutputForMask(true)
                .run(x, B, T, m, null);
        var backward =
            new RecurrentReference(RecurrentReference.Cell.LSTM, U, F, bw[0], bw[1], bw[2])
                .goBackwards(true)
                .zeroOutputForMask(true)
                .run(x, B, T, m, null);
        double[][][] y = forward.sequence();
        double[][][] yRev = new double[B][T][];
        for (int b = 0; b < B; b++) {
          for (int t = 0; t < T; t++) {
            yRev[b][t] = backward.sequence()[b][T - 1 - t]; // back in time order
          }
        }
        String what = mode + (masked ? " masked" : "");
        int next;
        if (mode == Bidirectional.MergeMode.NONE) {
          assertClose(flat(y), outputs.get(0).values(), 1e-5, 1e-6, what + " forward");
          assertClose(flat(yRev), outputs.get(1).values(), 1e-5, 1e-6, what + " backward");
          next = 2;
        } else {
          assertClose(merge(mode, y, yRev), outputs.get(0).values(), 1e-5, 1e-6, what);
          next = 1;
        }
        assertClose(flat(forward.states()[0]), outputs.get(next).values(), 1e-5, 1e-6, what + " forward h");
        assertClose(flat(forward.states()[1]), outputs.get(next + 1).values(), 1e-5, 1e-6, what + " forward c");
        assertClose(flat(backward.states()[0]), outputs.get(next + 2).values(), 1e-5, 1e-6, what + " backward h");
        assertClose(flat(backward.states()[1]), outputs.get(next + 3).values(), 1e-5, 1e-6, what + " backward c");
        GraphRuntime.reset();
      }
    }
  }

  @Test
  void lastOutputsMergeWithoutReversing() {
    float[] x = SequenceRunner.random(4, B * T * F, 1);
    Bidirectional bi = new Bidirectional(new GRU(U));
    SequenceRunner.run(bi, x, B, T, F);
    float[][] fw = assignRandom(bi.forwardLayer(), 30);
    float[][] bw = assignRandom(bi.backwardLayer(), 40);
    float[] out = SequenceRunner.run(bi, x, B, T, F).get(0).values();
    double[][] y = new RecurrentReference(RecurrentReference.Cell.GRU, U, F, fw[0], fw[1], fw[2]).run(x, B, T, null, null).last();
    double[][] yRev =
        new RecurrentReference(RecurrentReference.Cell.GRU, U, F, bw[0], bw[1], bw[2]).goBackwards(true).run(x, B, T, null, null).last();
    double[] expected = new double[B * 2 * U];
    for (int b = 0; b < B; b++) {
      for (int u = 0; u < U; u++) {
        expected[b * 2 * U + u] = y[b][u];
        expected[b * 2 * U + U + u] = yRev[b][u];
      }
    }
    assertClose(expected, out, 1e-5, 1e-6, "concat of the last forward and backward outputs");
  }

  @Test
  void refusesALayerThatAlreadyRunsBackwards() {
    var e = assertThrows(IllegalArgumentException.class, () -> new Bidirectional(new LSTM(2).goBackwards(true)));
    assertEquals(
        "Forward layer and backward layer should have different `go_backwards` value. Received:"
            + " forward_layer.go_backwards true, backward_layer.go_backwards=true. Wrap a layer that"
            + " runs forwards; Bidirectional makes the backward copy itself.",
        e.getMessage());
  }

  private static double[] merge(Bidirectional.MergeMode mode, double[][][] y, double[][][] yRev) {
    int width = mode == Bidirectional.MergeMode.CONCAT ? 2 * U : U;
    double[] out = new double[B * T * width];
    for (int b = 0; b < B; b++) {
      for (int t = 0; t < T; t++) {
        for (int u = 0; u < U; u++) {
          double a = y[b][t][u];
          double r = yRev[b][t][u];
          int at = (b * T + t) * width;
          switch (mode) {
            case CONCAT -> {
              out[at + u] = a;
              out[at + U + u] = r;
            }
            case SUM -> out[at + u] = a + r;
            case MUL -> out[at + u] = a * r;
            case AVE -> out[at + u] = (a + r) / 2;
            default -> throw new AssertionError(mode);
          }
        }
      }
    }
    return out;
  }

  /** Gives the layer's kernel, recurrent kernel and bias random values from {@code seed}; returns them. */
  private static float[][] assignRandom(RNN<?> layer, long seed) {
    List<Variable<TFloat32>> weights = layer.variables();
    float[][] values = new float[weights.size()][];
    for (int i = 0; i < weights.size(); i++) {
      Variable<TFloat32> w = weights.get(i);
      values[i] = SequenceRunner.random(seed + i, (int) w.size(), 0.6);
      try (TFloat32 t = Tensors.floats(values[i], w.shape().asArray())) {
        w.assign(t);
      }
    }
    return values;
  }
}
