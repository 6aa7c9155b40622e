package dev.tfkeras.layers;

import dev.tfkeras.function.TfFunction;
import dev.tfkeras.testing.FreshRuntime;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Gradients of the recurrent layers (every output: sequence and states) with respect to their
 * input and weights, against finite differences on short sequences, with and without masks.
 */
@ExtendWith(FreshRuntime.class)
class RecurrentGradientTest {

  private static final int B = 2;
  private static final int T = 3;
  private static final int F = 2;
  private static final boolean[][] MASK = {{true, false, true}, {false, true, true}};

  private static void check(RNN<?> layer, boolean masked) {
    Masked mask = new Masked();
    Function<Operand<TFloat32>, List<Operand<TFloat32>>> forward =
        x -> {
          Operand<TFloat32> input =
              masked ? mask.apply(List.of(x, TfFunction.ops().constant(SequenceRunner.toFloats(MASK))), false) : x;
          return layer.applyAll(input, true);
        };
    SequenceGradients.check(layer, forward, SequenceRunner.random(21, B * T * F, 1), new long[] {B, T, F}, 2e-3);
  }

  @Test
  void lstm() {
    check(new LSTM(3).returnSequences(true).returnState(true), false);
  }

  @Test
  void lstmMaskedBackwardsWithZeroOutput() {
    check(new LSTM(3).returnSequences(true).returnState(true).goBackwards(true).zeroOutputForMask(true), true);
  }

  @Test
  void lstmMasked() {
    check(new LSTM(3).returnSequences(true).returnState(true), true);
  }

  @Test
  void gruResetAfter() {
    check(new GRU(3).returnSequences(true).returnState(true), true);
  }

  @Test
  void gruResetBefore() {
    check(new GRU(3).resetAfter(false).returnSequences(true).returnState(true), false);
  }

  @Test
  void simpleRnn() {
    check(new SimpleRNN(3).returnSequences(true).returnState(true), true);
  }

  @Test
  void bidirectional() {
    Bidirectional layer = new Bidirectional(new LSTM(2).returnSequences(true).returnState(true));
    Masked mask = new Masked();
    SequenceGradients.check(
        layer,
        x -> layer.applyAll(mask.apply(List.of(x, TfFunction.ops().constant(SequenceRunner.toFloats(MASK))), false), true),
        SequenceRunner.random(22, B * T * F, 1),
        new long[] {B, T, F},
        2e-3);
  }
}
