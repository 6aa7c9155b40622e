package dev.tfkeras.optimizers;

import static dev.tfkeras.testing.Numeric.assertWeights;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tfkeras.testing.FreshRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Adagrad against Keras 3's update rule, epsilon inside the square root. */
@ExtendWith(FreshRuntime.class)
class AdagradTest {

  private static final float[] START = {1f, -2f, 0.25f, 3.5f};

  /** Keras 3: {@code a += g²; w -= lr g / sqrt(a + eps)}, accumulators starting at {@code a0}. */
  static KerasReference.Rule rule(double a0, double eps) {
    return (w, g, slots, lr, t) -> {
      double[] a = slots.get("accumulator", a0);
      for (int i = 0; i < w.length; i++) {
        a[i] += g[i] * g[i];
        w[i] -= lr * g[i] / Math.sqrt(a[i] + eps);
      }
    };
  }

  @Test
  void defaultsFourSteps() {
    var p = NamedProblem.single(new Adagrad(), START, null);
    for (int t = 1; t <= 4; t++) {
      p.run(1);
      double[] want = p.reference(rule(0.1, 1e-7)).learningRate(1e-3).run(t).weights(0);
      assertWeights(want, p.weights("w"), START, "w after step " + t);
    }
    // step 1 for w = 1: a = 0.1 + 1, w = 1 - 1e-3 / sqrt(1.1 + 1e-7)
    assertEquals(
        1 - 1e-3 / Math.sqrt(1.1 + 1e-7),
        p.reference(rule(0.1, 1e-7)).learningRate(1e-3).run(1).weights(0)[0],
        1e-12);
  }

  @Test
  void epsilonSitsInsideTheSquareRoot() {
    // zero initial accumulator and a tiny gradient: sqrt(a + eps) = 3.3e-4 but sqrt(a) + eps =
    // 1.1e-4
    float[] c = {1e-4f, -1e-4f};
    float[] start = {0.5f, 0.5f};
    var p = NamedProblem.single(new Adagrad(0.01f, 0f, 1e-7f), start, c);
    p.run(2);
    assertWeights(
        p.reference(rule(0, 1e-7)).learningRate(0.01).run(2).weights(0),
        p.weights("w"),
        start,
        "w");
  }

  @Test
  void withWeightDecayAndEma() {
    var p =
        NamedProblem.single(
            new Adagrad(0.5f, 0.3f, 1e-5f).weightDecay(0.1f).useEma(true), START, null);
    p.run(3);
    KerasReference want =
        p.reference(rule(0.3, 1e-5)).learningRate(0.5).weightDecay(0.1, true).ema(0.99, 0).run(3);
    assertWeights(want.weights(0), p.weights("w"), START, "w");
  }

  @Test
  void aNegativeInitialAccumulatorIsRejected() {
    var e = assertThrows(IllegalArgumentException.class, () -> new Adagrad(0.1f, -1f, 1e-7f));
    assertEquals(
        "Received an invalid value for `initial_accumulator_value`, expected a finite number >= 0."
            + " Received: initial_accumulator_value=-1.0",
        e.getMessage());
  }
}
