package dev.tfkeras.optimizers;

import static dev.tfkeras.testing.Numeric.assertWeights;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tfkeras.testing.FreshRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Adamax (TensorFlow's ApplyAdaMax kernel) against Keras 3's update rule in doubles. */
@ExtendWith(FreshRuntime.class)
class AdamaxTest {

  private static final float[] START = {1f, -2f, 0.25f, 3.5f};

  /**
   * Keras 3: {@code m += (g - m)(1 - b1); u = max(b2 u, |g|); w -= lr m / ((1 - b1^t)(u + eps))}.
   */
  static KerasReference.Rule rule(double b1, double b2, double eps) {
    return (w, g, slots, lr, t) -> {
      double[] m = slots.get("momentum");
      double[] u = slots.get("norm");
      for (int i = 0; i < w.length; i++) {
        m[i] += (g[i] - m[i]) * (1 - b1);
        u[i] = Math.max(b2 * u[i], Math.abs(g[i]));
        w[i] -= lr * m[i] / ((1 - Math.pow(b1, t)) * (u[i] + eps));
      }
    };
  }

  @Test
  void defaultsFourSteps() {
    var p = NamedProblem.single(new Adamax(), START, null);
    for (int t = 1; t <= 4; t++) {
      p.run(1);
      double[] want = p.reference(rule(0.9, 0.999, 1e-7)).learningRate(1e-3).run(t).weights(0);
      assertWeights(want, p.weights("w"), START, "w after step " + t);
    }
    // the first step moves each weight by lr·sign(g) (m = .1 g, u = |g|, 1 - b1 = .1)
    assertEquals(
        1 - 1e-3,
        p.reference(rule(0.9, 0.999, 1e-7)).learningRate(1e-3).run(1).weights(0)[0],
        1e-9);
  }

  @Test
  void customHyperparametersAndAGradientThatShrinks() {
    // beta2 = 0.5: u decays faster than |g| shrinks for some steps, then |g| takes over
    var p = NamedProblem.single(new Adamax(0.3f, 0.7f, 0.5f, 1e-3f), START, null);
    p.run(5);
    double[] want = p.reference(rule(0.7, 0.5, 1e-3)).learningRate(0.3).run(5).weights(0);
    assertWeights(want, p.weights("w"), START, "w");
  }

  @Test
  void withWeightDecayAndClipvalue() {
    var p =
        NamedProblem.single(
            new Adamax(0.05f).weightDecay(0.2f).clipvalue(0.5f),
            START,
            new float[] {2f, -0.1f, 0.3f, -4f});
    p.run(3);
    double[] want =
        p.reference(rule(0.9, 0.999, 1e-7))
            .learningRate(0.05)
            .weightDecay(0.2, true)
            .clipvalue(0.5)
            .run(3)
            .weights(0);
    assertWeights(want, p.weights("w"), START, "w");
  }

  @Test
  void invalidArgumentsAreRejected() {
    var e =
        assertThrows(IllegalArgumentException.class, () -> new Adamax(1e-3f, 1f, 0.999f, 1e-7f));
    assertEquals(
        "Received an invalid value for `beta_1`, expected a value in [0.0, 1.0). Received: beta_1=1.0",
        e.getMessage());
  }
}
