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
class GRUTest {

  private static final int B = 3;
  private static final int T = 5;
  private static final int F = 4;
  private static final int U = 3;

  @Test
  void outputShapesWeightNamesAndParameterCounts() {
    float[] x = SequenceRunner.random(1, B * T * F, 1);
    for (boolean sequences : new boolean[] {false, true}) {
      for (boolean state : new boolean[] {false, true}) {
        GRU gru = new GRU(U).returnSequences(sequences).returnState(state);
        var outputs = SequenceRunner.run(gru, x, B, T, F);
        String first = sequences ? "(None, 5, 3)" : "(None, 3)";
        assertEquals(
            state ? List.of(first, "(None, 3)") : List.of(first),
            gru.outputShapes().stream().map(Layer::format).toList());
        assertEquals(sequences ? Shape.of(B, T, U) : Shape.of(B, U), outputs.get(0).shape());
        // kernel (4, 9), recurrent kernel (3, 9), bias (2, 9): Keras's 90
        assertEquals(3 * U * (F + U) + 2 * 3 * U, gru.countParams());
        assertEquals(
            List.of("gru/gru_cell/kernel", "gru/gru_cell/recurrent_kernel", "gru/gru_cell/bias"),
            gru.variables().stream().map(v -> v.path()).toList());
        assertEquals(Shape.of(2, 3 * U), gru.variables().get(2).shape());
        GraphRuntime.reset();
      }
    }
    GRU before = new GRU(U).resetAfter(false);
    SequenceRunner.run(before, x, B, T, F);
    assertEquals(Shape.of(3 * U), before.variables().get(2).shape());
    assertEquals(3 * U * (F + U) + 3 * U, before.countParams());
  }

  @Test
  void matchesTheReferenceWithTheResetGateAfterAndBefore() {
    float[] kernel = SequenceRunner.random(2, F * 3 * U, 0.5);
    float[] recurrent = SequenceRunner.random(3, U * 3 * U, 0.5);
    float[] x = SequenceRunner.random(5, B * T * F, 1.5);
    for (boolean resetAfter : new boolean[] {true, false}) {
      for (boolean backwards : new boolean[] {false, true}) {
        float[] bias = SequenceRunner.random(4, (resetAfter ? 2 : 1) * 3 * U, 0.5);
        GRU gru =
            new GRU(U)
                .resetAfter(resetAfter)
                .goBackwards(backwards)
                .returnSequences(true)
                .returnState(true)
                .kernelInitializer(Constant.values(kernel))
                .recurrentInitializer(Constant.values(recurrent))
                .biasInitializer(Constant.values(bias));
        var outputs = SequenceRunner.run(gru, x, B, T, F);
        var cell = resetAfter ? RecurrentReference.Cell.GRU : RecurrentReference.Cell.GRU_RESET_BEFORE;
        var expected =
            new RecurrentReference(cell, U, F, kernel, recurrent, bias).goBackwards(backwards).run(x, B, T, null, null);
        String what = "resetAfter=" + resetAfter + " backwards=" + backwards;
        assertClose(flat(expected.sequence()), outputs.get(0).values(), 1e-5, 1e-6, what + " sequence");
        assertClose(flat(expected.states()[0]), outputs.get(1).values(), 1e-5, 1e-6, what + " state");
        GraphRuntime.reset();
      }
    }
  }

  @Test
  void masksMatchTheReference() {
    float[] kernel = SequenceRunner.random(6, F * 3 * U, 0.5);
    float[] recurrent = SequenceRunner.random(7, U * 3 * U, 0.5);
    float[] bias = SequenceRunner.random(8, 2 * 3 * U, 0.5);
    float[] x = SequenceRunner.random(9, B * T * F, 1.5);
    boolean[][] mask = {
      {false, true, false, true, true}, {true, true, true, false, false}, {true, true, true, true, true}
    };
    for (boolean zero : new boolean[] {false, true}) {
      GRU gru =
          new GRU(U)
              .returnSequences(true)
              .returnState(true)
              .zeroOutputForMask(zero)
              .kernelInitializer(Constant.values(kernel))
              .recurrentInitializer(Constant.values(recurrent))
              .biasInitializer(Constant.values(bias));
      var outputs = SequenceRunner.run(gru, x, mask, B, T, F);
      var expected =
          new RecurrentReference(RecurrentReference.Cell.GRU, U, F, kernel, recurrent, bias)
              .zeroOutputForMask(zero)
              .run(x, B, T, mask, null);
      assertClose(flat(expected.sequence()), outputs.get(0).values(), 1e-5, 1e-6, "sequence, zero=" + zero);
      assertClose(flat(expected.states()[0]), outputs.get(1).values(), 1e-5, 1e-6, "state, zero=" + zero);
      GraphRuntime.reset();
    }
  }

  @Test
  void matchesTheNumbersOfKerasOwnGruTest() {
    // keras/src/layers/rnn/gru_test.py test_correctness: GRU(3) with constant weights on
    // arange(72).reshape(3, 6, 4)
    float[] x = LayerConformance.range(72);
    float[][] expectedByCase = {
      {0.5217289f, 0.6371659f, 0.39384964f}, // default (reset after)
      {0.24406259f, 0.611516f, 0.3928808f}, // go_backwards
      {0.51447755f, 0.6426879f, 0.40208298f}, // reset_after=False
      {0.49988455f, 0.64701194f, 0.4103359f} // use_bias=False
    };
    for (int c = 0; c < 4; c++) {
      GRU gru =
          new GRU(3)
              .kernelInitializer(Constant.of(0.01f))
              .recurrentInitializer(Constant.of(0.02f))
              .biasInitializer(Constant.of(0.03f))
              .goBackwards(c == 1)
              .resetAfter(c != 2)
              .useBias(c != 3);
      float[] out = SequenceRunner.run(gru, x, 3, 6, 4).get(0).values();
      for (int b = 0; b < 3; b++) {
        for (int u = 0; u < 3; u++) {
          assertClose(expectedByCase[c][b], out[b * 3 + u], 1e-5, 1e-5, "case " + c + " [" + b + "," + u + "]");
        }
      }
      GraphRuntime.reset();
    }
  }
}
