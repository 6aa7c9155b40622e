package dev.tfkeras.optimizers;

import static dev.tfkeras.testing.Numeric.assertWeights;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tfkeras.testing.FreshRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Lion against Keras 3's update rule. */
@ExtendWith(FreshRuntime.class)
class LionTest {

  private static final float[] START = {1f, -2f, 0.25f, 3.5f};

  /** Keras 3: {@code w -= lr sign(b1 m + (1-b1) g); m = b2 m + (1-b2) g}. */
  static KerasReference.Rule rule(double b1, double b2) {
    return (w, g, slots, lr, t) -> {
      double[] m = slots.get("momentum");
      for (int i = 0; i < w.length; i++) {
        w[i] -= lr * Math.signum(m[i] * b1 + g[i] * (1 - b1));
        m[i] = m[i] * b2 + g[i] * (1 - b2);
      }
    };
  }

  @Test
  void defaultsFiveSteps() {
    var p = NamedProblem.single(new Lion(), START, null);
    for (int t = 1; t <= 5; t++) {
      p.run(1);
      double[] want = p.reference(rule(0.9, 0.99)).learningRate(1e-3).run(t).weights(0);
      assertWeights(want, p.weights("w"), START, "w after step " + t);
    }
    assertEquals(1 - 5e-3, p.weights("w")[0], 1e-6, "every step moves by lr");
  }

  @Test
  void theMomentumCanOutvoteTheGradient() {
    // lr 0.4 on w = 0.25 overshoots past 0: the gradient changes sign while the momentum still
    // points the old way, so the sign of the interpolation is the momentum's for a while
    var p = NamedProblem.single(new Lion(0.4f, 0.95f, 0.5f), START, null);
    p.run(4);
    double[] want = p.reference(rule(0.95, 0.5)).learningRate(0.4).run(4).weights(0);
    assertWeights(want, p.weights("w"), START, "w");
  }

  @Test
  void withWeightDecayAndGlobalClipnorm() {
    var p = NamedProblem.single(new Lion(0.01f).weightDecay(1f).globalClipnorm(0.1f), START, null);
    p.run(3);
    double[] want =
        p.reference(rule(0.9, 0.99))
            .learningRate(0.01)
            .weightDecay(1, true)
            .globalClipnorm(0.1)
            .run(3)
            .weights(0);
    assertWeights(want, p.weights("w"), START, "w");
  }

  @Test
  void beta1MustBeInZeroOneAsKeras() {
    var e = assertThrows(IllegalArgumentException.class, () -> new Lion(1e-3f, 0f, 0.99f));
    assertEquals(
        "Argument `beta_1` must be in the [0, 1] range. Otherwise, the optimizer degenerates to"
            + " SignSGD. Received: beta_1=0.0.",
        e.getMessage());
  }
}
