package dev.tfkeras.optimizers;

import static dev.tfkeras.testing.Numeric.assertWeights;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tfkeras.testing.FreshRuntime;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Ftrl (TensorFlow's ApplyFtrlV2 kernel) against Keras 3's update rule in doubles. */
@ExtendWith(FreshRuntime.class)
class FtrlTest {

  private static final float[] START = {1f, -2f, 0.25f, 3.5f};

  /**
   * Keras 3: {@code l2' = l2 + beta / (2 lr); g' = g + 2 l2Shrinkage w; n' = n + g²; z += g' -
   * (n'^-p - n^-p) / lr · w; w = (clip(z, -l1, l1) - z) / (n'^-p / lr + 2 l2'); n = n'}.
   */
  static KerasReference.Rule rule(
      double power, double n0, double l1, double l2, double shrinkage, double beta) {
    return (w, g, slots, lr, t) -> {
      double[] n = slots.get("accumulator", n0);
      double[] z = slots.get("linear");
      double l2Effective = l2 + beta / (2 * lr);
      for (int i = 0; i < w.length; i++) {
        double gShrunk = g[i] + 2 * shrinkage * w[i];
        double nNew = n[i] + g[i] * g[i];
        z[i] += gShrunk - (Math.pow(nNew, -power) - Math.pow(n[i], -power)) / lr * w[i];
        double quadratic = Math.pow(nNew, -power) / lr + 2 * l2Effective;
        double clipped = Math.max(-l1, Math.min(l1, z[i]));
        w[i] = (clipped - z[i]) / quadratic;
        n[i] = nNew;
      }
    };
  }

  @Test
  void defaultsThreeSteps() {
    var p = NamedProblem.single(new Ftrl(), START, null);
    for (int t = 1; t <= 3; t++) {
      p.run(1);
      double[] want = p.reference(rule(-0.5, 0.1, 0, 0, 0, 0)).learningRate(1e-3).run(t).weights(0);
      assertWeights(want, p.weights("w"), START, "w after step " + t);
    }
  }

  @Test
  void l1ZeroesSmallLinearTermsAndEveryStrengthIsUsed() {
    float[] c = {0.05f, -3f, 1f, 0.2f};
    var p = NamedProblem.single(new Ftrl(0.1f, -0.7f, 0.2f, 0.3f, 0.4f, 0.05f, 0.5f), START, c);
    p.run(4);
    double[] want =
        p.reference(rule(-0.7, 0.2, 0.3, 0.4, 0.05, 0.5)).learningRate(0.1).run(4).weights(0);
    assertWeights(want, p.weights("w"), START, "w");
    assertEquals(0.0, want[0], 0.0, "the small linear term stays inside l1: the weight is 0");
    assertEquals(0f, p.weights("w")[0], 0f);
  }

  @Test
  void fixedLearningRatePowerZeroWithWeightDecayAndClipvalue() {
    var p =
        NamedProblem.single(
            new Ftrl(0.5f, 0f, 0f, 0f, 0.1f, 0f, 0f).weightDecay(0.2f).clipvalue(1f), START, null);
    p.run(3);
    double[] want =
        p.reference(rule(0, 0, 0, 0.1, 0, 0))
            .learningRate(0.5)
            .weightDecay(0.2, true)
            .clipvalue(1)
            .run(3)
            .weights(0);
    assertWeights(want, p.weights("w"), START, "w");
  }

  private static void assertInvalid(String message, Supplier<Optimizer> create) {
    var e = assertThrows(IllegalArgumentException.class, create::get);
    assertEquals(message, e.getMessage());
  }

  @Test
  void kerasArgumentErrors() {
    assertInvalid(
        "`initial_accumulator_value` needs to be positive or zero. Received:"
            + " initial_accumulator_value=-0.1.",
        () -> new Ftrl(1e-3f, -0.5f, -0.1f, 0f, 0f, 0f, 0f));
    assertInvalid(
        "`learning_rate_power` needs to be negative or zero. Received: learning_rate_power=0.5.",
        () -> new Ftrl(1e-3f, 0.5f, 0.1f, 0f, 0f, 0f, 0f));
    assertInvalid(
        "`l1_regularization_strength` needs to be positive or zero. Received:"
            + " l1_regularization_strength=-1.0.",
        () -> new Ftrl(1e-3f, -0.5f, 0.1f, -1f, 0f, 0f, 0f));
    assertInvalid(
        "`l2_regularization_strength` needs to be positive or zero. Received:"
            + " l2_regularization_strength=-1.0.",
        () -> new Ftrl(1e-3f, -0.5f, 0.1f, 0f, -1f, 0f, 0f));
    assertInvalid(
        "`l2_shrinkage_regularization_strength` needs to be positive or zero. Received:"
            + " l2_shrinkage_regularization_strength=-1.0.",
        () -> new Ftrl(1e-3f, -0.5f, 0.1f, 0f, 0f, -1f, 0f));
  }
}
