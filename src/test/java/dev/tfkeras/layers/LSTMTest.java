package dev.tfkeras.layers;

import static dev.tfkeras.layers.RecurrentReference.flat;
import static dev.tfkeras.testing.Numeric.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
class LSTMTest {

  private static final int B = 3;
  private static final int T = 5;
  private static final int F = 4;
  private static final int U = 3;

  private static LSTM fixed(float[] kernel, float[] recurrent, float[] bias) {
    return new LSTM(U)
        .unitForgetBias(false)
        .kernelInitializer(Constant.values(kernel))
        .recurrentInitializer(Constant.values(recurrent))
        .biasInitializer(Constant.values(bias));
  }

  @Test
  void outputShapesForEachCombinationOfReturnSequencesAndReturnState() {
    // Keras: LSTM(3) on (3, 5, 4) -> (3, 3); return_sequences -> (3, 5, 3); return_state adds h, c
    record Case(boolean sequences, boolean state, List<String> shapes) {}
    List<Case> cases =
        List.of(
            new Case(false, false, List.of("(None, 3)")),
            new Case(true, false, List.of("(None, 5, 3)")),
            new Case(false, true, List.of("(None, 3)", "(None, 3)", "(None, 3)")),
            new Case(true, true, List.of("(None, 5, 3)", "(None, 3)", "(None, 3)")));
    float[] x = SequenceRunner.random(1, B * T * F, 1);
    for (Case c : cases) {
      LSTM lstm = new LSTM(U).returnSequences(c.sequences()).returnState(c.state());
      var outputs = SequenceRunner.run(lstm, x, B, T, F);
      assertEquals(c.shapes(), lstm.outputShapes().stream().map(Layer::format).toList(), c.toString());
      assertEquals(c.shapes().size(), outputs.size());
      assertEquals(c.sequences() ? Shape.of(B, T, U) : Shape.of(B, U), outputs.get(0).shape());
      // 4 gates: kernel (4, 12), recurrent kernel (3, 12), bias (12)
      assertEquals(4 * U * (F + U) + 4 * U, lstm.countParams());
      GraphRuntime.reset();
    }
  }

  @Test
  void weightsAreNamedAsInKeras3() {
    LSTM lstm = new LSTM(U);
    SequenceRunner.run(lstm, new float[B * T * F], B, T, F);
    assertEquals(
        List.of("lstm/lstm_cell/kernel", "lstm/lstm_cell/recurrent_kernel", "lstm/lstm_cell/bias"),
        lstm.variables().stream().map(v -> v.path()).toList());
    assertEquals(Shape.of(F, 4 * U), lstm.variables().get(0).shape());
    assertEquals(Shape.of(U, 4 * U), lstm.variables().get(1).shape());
    assertEquals(Shape.of(4 * U), lstm.variables().get(2).shape());
  }

  @Test
  void defaultWeightsAreGlorotOrthogonalAndUnitForgetBias() {
    LSTM lstm = new LSTM(8);
    SequenceRunner.run(lstm, new float[2 * 3 * 5], 2, 3, 5);
    float[] kernel = read(lstm, 0);
    double limit = Math.sqrt(6.0 / (5 + 32));
    for (float v : kernel) {
      assertTrue(Math.abs(v) <= limit, "kernel within the Glorot limit");
    }
    // recurrent kernel (8, 32): fewer rows than columns, so its rows are orthonormal
    float[] r = read(lstm, 1);
    for (int i = 0; i < 8; i++) {
      for (int j = 0; j < 8; j++) {
        double dot = 0;
        for (int k = 0; k < 32; k++) {
          dot += r[i * 32 + k] * r[j * 32 + k];
        }
        assertClose(i == j ? 1 : 0, dot, 0, 1e-5, "row " + i + " · row " + j);
      }
    }
    float[] bias = read(lstm, 2);
    for (int i = 0; i < 32; i++) {
      assertEquals(i >= 8 && i < 16 ? 1f : 0f, bias[i], "bias[" + i + "]: ones on the forget gate only");
    }
  }

  @Test
  void matchesTheReferenceCellEquationsStepByStep() {
    float[] kernel = SequenceRunner.random(2, F * 4 * U, 0.5);
    float[] recurrent = SequenceRunner.random(3, U * 4 * U, 0.5);
    float[] bias = SequenceRunner.random(4, 4 * U, 0.5);
    float[] x = SequenceRunner.random(5, B * T * F, 1.5);
    for (boolean backwards : new boolean[] {false, true}) {
      LSTM lstm = fixed(kernel, recurrent, bias).returnSequences(true).returnState(true).goBackwards(backwards);
      var outputs = SequenceRunner.run(lstm, x, B, T, F);
      var expected =
          new RecurrentReference(RecurrentReference.Cell.LSTM, U, F, kernel, recurrent, bias)
              .goBackwards(backwards)
              .run(x, B, T, null, null);
      assertClose(flat(expected.sequence()), outputs.get(0).values(), 1e-5, 1e-6, "sequence");
      assertClose(flat(expected.states()[0]), outputs.get(1).values(), 1e-5, 1e-6, "h");
      assertClose(flat(expected.states()[1]), outputs.get(2).values(), 1e-5, 1e-6, "c");
      assertClose(flat(expected.last()), outputs.get(1).values(), 1e-5, 1e-6, "last output = h");
      GraphRuntime.reset();
    }
  }

  @Test
  void withoutBiasOrWithOtherActivationsMatchesTheReference() {
    float[] kernel = SequenceRunner.random(6, F * 4 * U, 0.5);
    float[] recurrent = SequenceRunner.random(7, U * 4 * U, 0.5);
    float[] x = SequenceRunner.random(8, B * T * F, 1);
    LSTM lstm =
        new LSTM(U)
            .useBias(false)
            .kernelInitializer(Constant.values(kernel))
            .recurrentInitializer(Constant.values(recurrent));
    var out = SequenceRunner.run(lstm, x, B, T, F);
    assertEquals(2, lstm.variables().size(), "no bias weight");
    var expected =
        new RecurrentReference(RecurrentReference.Cell.LSTM, U, F, kernel, recurrent, null).run(x, B, T, null, null);
    assertClose(flat(expected.last()), out.get(0).values(), 1e-5, 1e-6, "last output");
  }

  @Test
  void matchesTheNumbersOfKerasOwnLstmTest() {
    // keras/src/layers/rnn/lstm_test.py test_correctness: LSTM(3) with constant weights on
    // arange(72).reshape(3, 6, 4); the reference must agree too.
    float[] x = LayerConformance.range(72);
    float[][] expectedByCase = {
      {0.6288687f, 0.86899155f, 0.9460773f}, // default (unit forget bias)
      {0.35622165f, 0.74789524f, 0.8872726f}, // go_backwards
      {0.57019705f, 0.8661914f, 0.9459622f}, // unit_forget_bias=False
      {0.54986924f, 0.86226785f, 0.9443936f} // use_bias=False
    };
    for (int c = 0; c < 4; c++) {
      LSTM lstm =
          new LSTM(3)
              .kernelInitializer(Constant.of(0.01f))
              .recurrentInitializer(Constant.of(0.02f))
              .biasInitializer(Constant.of(0.03f))
              .goBackwards(c == 1)
              .unitForgetBias(c != 2)
              .useBias(c != 3);
      float[] out = SequenceRunner.run(lstm, x, 3, 6, 4).get(0).values();
      for (int b = 0; b < 3; b++) {
        for (int u = 0; u < 3; u++) {
          assertClose(expectedByCase[c][b], out[b * 3 + u], 1e-5, 1e-5, "case " + c + " [" + b + "," + u + "]");
        }
      }
      GraphRuntime.reset();
    }
  }

  @Test
  void maskedStepsCarryTheStatesAndRepeatTheOutputAsKeras() {
    // keras/src/layers/rnn/lstm_test.py test_masking: the same numbers from the layer
    float[] x = LayerConformance.range(24);
    boolean[][] mask = {{true, true, true, false}, {true, true, false, false}};
    LSTM lstm = constant(2).returnSequences(true);
    float[] out = SequenceRunner.run(lstm, x, mask, 2, 4, 3).get(0).values();
    float[] keras = {
      0.01588910f, 0.05552048f, 0.11755939f, 0.11755939f,
      0.14185596f, 0.28556206f, 0.28556206f, 0.28556206f
    };
    for (int i = 0; i < 8; i++) {
      assertClose(keras[i], out[2 * i], 1e-5, 1e-5, "step " + i);
      assertClose(keras[i], out[2 * i + 1], 1e-5, 1e-5, "step " + i);
    }
    GraphRuntime.reset();
    LSTM zeros = constant(2).returnSequences(true).zeroOutputForMask(true);
    float[] zeroed = SequenceRunner.run(zeros, x, mask, 2, 4, 3).get(0).values();
    for (int i = 0; i < 8; i++) {
      boolean real = mask[i / 4][i % 4];
      assertClose(real ? keras[i] : 0, zeroed[2 * i], 1e-5, 1e-5, "zero output, step " + i);
    }
    GraphRuntime.reset();
    boolean[][] backwardsMask = {{false, true, true, true}, {false, false, true, true}};
    LSTM backwards = constant(2).goBackwards(true);
    float[] last = SequenceRunner.run(backwards, x, backwardsMask, 2, 4, 3).get(0).values();
    assertClose(0.15341201, last[0], 1e-5, 1e-5, "go_backwards with mask, sample 0");
    assertClose(0.3844719, last[2], 1e-5, 1e-5, "go_backwards with mask, sample 1");
  }

  private static LSTM constant(int units) {
    return new LSTM(units)
        .kernelInitializer(Constant.of(0.01f))
        .recurrentInitializer(Constant.of(0.02f))
        .biasInitializer(Constant.of(0.03f));
  }

  @Test
  void masksMatchTheReferenceInEveryMode() {
    float[] kernel = SequenceRunner.random(9, F * 4 * U, 0.5);
    float[] recurrent = SequenceRunner.random(10, U * 4 * U, 0.5);
    float[] bias = SequenceRunner.random(11, 4 * U, 0.5);
    float[] x = SequenceRunner.random(12, B * T * F, 1.5);
    boolean[][] mask = {
      {true, true, false, true, false}, {false, true, true, true, true}, {true, false, false, false, false}
    };
    for (int mode = 0; mode < 4; mode++) {
      boolean backwards = (mode & 1) != 0;
      boolean zero = (mode & 2) != 0;
      LSTM lstm =
          fixed(kernel, recurrent, bias).returnSequences(true).returnState(true).goBackwards(backwards).zeroOutputForMask(zero);
      var outputs = SequenceRunner.run(lstm, x, mask, B, T, F);
      var expected =
          new RecurrentReference(RecurrentReference.Cell.LSTM, U, F, kernel, recurrent, bias)
              .goBackwards(backwards)
              .zeroOutputForMask(zero)
              .run(x, B, T, mask, null);
      String what = "backwards=" + backwards + " zeroOutput=" + zero;
      assertClose(flat(expected.sequence()), outputs.get(0).values(), 1e-5, 1e-6, what + " sequence");
      assertClose(flat(expected.states()[0]), outputs.get(1).values(), 1e-5, 1e-6, what + " h");
      assertClose(flat(expected.states()[1]), outputs.get(2).values(), 1e-5, 1e-6, what + " c");
      GraphRuntime.reset();
    }
  }

  @Test
  void returnedSequencesKeepTheMaskForTheNextRecurrentLayer() {
    float[] x = SequenceRunner.random(13, B * T * F, 1);
    boolean[][] mask = {
      {true, true, true, false, false}, {true, true, true, true, true}, {true, false, false, false, false}
    };
    LSTM first = new LSTM(U).returnSequences(true);
    LSTM second = new LSTM(2);
    Masked masked = new Masked();
    var withMask =
        TfFunction.returning(
            TFloat32.class,
            in -> second.apply(first.apply(masked.apply(List.of(in, TfFunction.ops().constant(SequenceRunner.toFloats(mask))), false), false), false));
    // The same two layers on each example cut to its real length give the same last output.
    float[] stacked;
    try (TFloat32 in = Tensors.floats(x, B, T, F);
        TFloat32 out = withMask.call(in)) {
      stacked = Tensors.read(out);
    }
    int[] lengths = {3, 5, 1};
    for (int b = 0; b < B; b++) {
      int length = lengths[b];
      var cut = TfFunction.returning(TFloat32.class, in -> second.apply(first.apply(in, false), false));
      float[] example = java.util.Arrays.copyOfRange(x, b * T * F, b * T * F + length * F);
      try (TFloat32 in = Tensors.floats(example, 1, length, F);
          TFloat32 out = cut.call(in)) {
        float[] alone = Tensors.read(out);
        for (int u = 0; u < 2; u++) {
          assertClose(alone[u], stacked[b * 2 + u], 1e-5, 1e-6, "example " + b + " unit " + u);
        }
      }
    }
  }

  @Test
  void initialStatesFollowTheSequence() {
    float[] kernel = SequenceRunner.random(14, F * 4 * U, 0.5);
    float[] recurrent = SequenceRunner.random(15, U * 4 * U, 0.5);
    float[] bias = SequenceRunner.random(16, 4 * U, 0.5);
    float[] x = SequenceRunner.random(17, B * T * F, 1);
    float[] h0 = SequenceRunner.random(18, B * U, 1);
    float[] c0 = SequenceRunner.random(19, B * U, 1);
    LSTM lstm = fixed(kernel, recurrent, bias);
    var fn =
        TfFunction.returning(
            TFloat32.class,
            in -> {
              var tf = TfFunction.ops();
              return lstm.apply(
                  List.of(in, tf.constant(Shape.of(B, U), org.tensorflow.ndarray.buffer.DataBuffers.of(h0, true, false)),
                      tf.constant(Shape.of(B, U), org.tensorflow.ndarray.buffer.DataBuffers.of(c0, true, false))),
                  false);
            });
    float[] out;
    try (TFloat32 in = Tensors.floats(x, B, T, F);
        TFloat32 y = fn.call(in)) {
      out = Tensors.read(y);
    }
    double[][][] initial = new double[2][B][U];
    for (int b = 0; b < B; b++) {
      for (int u = 0; u < U; u++) {
        initial[0][b][u] = h0[b * U + u];
        initial[1][b][u] = c0[b * U + u];
      }
    }
    var expected =
        new RecurrentReference(RecurrentReference.Cell.LSTM, U, F, kernel, recurrent, bias).run(x, B, T, null, initial);
    assertClose(flat(expected.last()), out, 1e-5, 1e-6, "output from given initial states");
  }

  @Test
  void refusesUnknownLengthsOtherRanksAndBadSettings() {
    LSTM lstm = new LSTM(4);
    var fn = TfFunction.returningAny(args -> lstm.apply(args.get(0), false));
    var e = assertThrows(IllegalArgumentException.class, () -> {
      var unknown = TfFunction.returning(TFloat32.class, in -> {
        var tf = TfFunction.ops();
        // (batch, None, 2): the time axis only known at run time
        var dynamic = tf.reshape(in, tf.constant(new long[] {1, -1, 2}));
        return lstm.apply(dynamic, false);
      });
      try (TFloat32 in = Tensors.floats(new float[6], 6)) {
        unknown.call(in).close();
      }
    });
    assertTrue(
        e.getMessage().startsWith(
            "Input 0 of layer \"lstm\" is incompatible with the layer: expected a known number of"
                + " time steps (axis 1), found None; recurrent layers are unrolled"),
        e.getMessage());
    assertTrue(e.getMessage().endsWith("Full shape received: (1, None, 2)"), e.getMessage());

    e = assertThrows(IllegalArgumentException.class, () -> {
      try (TFloat32 in = Tensors.floats(new float[6], 3, 2)) {
        fn.call(in).close();
      }
    });
    assertEquals(
        "Input 0 of layer \"lstm\" is incompatible with the layer: expected ndim=3, found ndim=2."
            + " Full shape received: (None, 2)",
        e.getMessage());

    e = assertThrows(IllegalArgumentException.class, () -> new LSTM(0));
    assertEquals(
        "Received an invalid value for argument `units`, expected a positive integer, got 0.", e.getMessage());
  }

  @Test
  void severalOutputsNeedApplyAll() {
    LSTM lstm = new LSTM(2).returnState(true);
    var fn = TfFunction.returning(TFloat32.class, in -> lstm.apply(in, false));
    var e = assertThrows(IllegalStateException.class, () -> {
      try (TFloat32 in = Tensors.floats(new float[6], 1, 3, 2)) {
        fn.call(in).close();
      }
    });
    assertTrue(e.getMessage().contains("use applyAll"), e.getMessage());
  }

  @Test
  void wrongInitialStatesAreNamed() {
    LSTM lstm = new LSTM(3);
    var fn =
        TfFunction.returning(
            TFloat32.class, in -> lstm.apply(List.of(in, TfFunction.ops().constant(new float[1][3])), false));
    var e = assertThrows(IllegalArgumentException.class, () -> {
      try (TFloat32 in = Tensors.floats(new float[6], 1, 3, 2)) {
        fn.call(in).close();
      }
    });
    assertEquals(
        "Layer \"lstm\" takes a sequence, optionally followed by its 2 initial states, received 2 inputs.",
        e.getMessage());
  }

  private static float[] read(LSTM lstm, int index) {
    try (TFloat32 t = lstm.variables().get(index).value()) {
      return Tensors.read(t);
    }
  }
}
