package dev.tfkeras.optimizers;

import static dev.tfkeras.testing.Numeric.assertWeights;

import dev.tfkeras.testing.FreshRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** RMSprop (plain, momentum, centered) against Keras 3's formulas. */
@ExtendWith(FreshRuntime.class)
class RMSpropTest {

  private static final float[] START = {1f, -2f, 0.25f, 3.5f};

  /**
   * Keras 3: {@code s = rho s + (1-rho) g²}; centered: {@code a = rho a + (1-rho) g}, denominator
   * {@code s - a² + eps}, else {@code s + eps}; {@code inc = lr g / sqrt(denominator)}; with
   * momentum {@code mom = momentum·mom + inc; w -= mom}, else {@code w -= inc}. The gradient is
   * {@code c} if given, else w (loss 0.5 Σ w²).
   */
  private static double[] keras(
      float[] start, float[] c, int steps, double lr, double rho, double momentum, double eps,
      boolean centered) {
    int n = start.length;
    double[] w = new double[n];
    double[] s = new double[n];
    double[] a = new double[n];
    double[] mom = new double[n];
    for (int i = 0; i < n; i++) {
      w[i] = start[i];
    }
    for (int t = 0; t < steps; t++) {
      for (int i = 0; i < n; i++) {
        double g = c != null ? c[i] : w[i];
        s[i] = rho * s[i] + (1 - rho) * g * g;
        double denominator = s[i] + eps;
        if (centered) {
          a[i] = rho * a[i] + (1 - rho) * g;
          denominator = s[i] - a[i] * a[i] + eps;
        }
        double increment = lr * g / Math.sqrt(denominator);
        if (momentum > 0) {
          mom[i] = momentum * mom[i] + increment;
          w[i] -= mom[i];
        } else {
          w[i] -= increment;
        }
      }
    }
    return w;
  }

  @Test
  void defaultsThreeSteps() {
    Problem p = Problem.quadratic(new RMSprop(), START);
    for (int t = 1; t <= 3; t++) {
      p.run(1);
      assertWeights(keras(START, null, t, 1e-3, 0.9, 0, 1e-7, false), p.weights(), START,
          "w after step " + t);
    }
  }

  @Test
  void epsilonSitsInsideTheSquareRoot() {
    // g = 1e-3: s = 1e-7 after one step, so sqrt(s + eps) = 4.47e-4 but sqrt(s) + eps = 3.17e-4
    float[] c = {1e-3f, -1e-3f, 2f};
    float[] start = {0.5f, 0.5f, 0.5f};
    Problem p = Problem.linear(new RMSprop(), start, c);
    p.run(2);
    assertWeights(keras(start, c, 2, 1e-3, 0.9, 0, 1e-7, false), p.weights(), start, "w");
  }

  @Test
  void momentumThreeSteps() {
    Problem p = Problem.quadratic(new RMSprop(0.01f, 0.9f, 0.9f, 1e-7f, false), START);
    p.run(3);
    assertWeights(keras(START, null, 3, 0.01, 0.9, 0.9, 1e-7, false), p.weights(), START, "w");
  }

  @Test
  void centeredThreeSteps() {
    Problem p = Problem.quadratic(new RMSprop(0.01f, 0.8f, 0f, 1e-7f, true), START);
    p.run(3);
    assertWeights(keras(START, null, 3, 0.01, 0.8, 0, 1e-7, true), p.weights(), START, "w");
  }

  @Test
  void centeredWithMomentumThreeSteps() {
    Problem p = Problem.quadratic(new RMSprop(0.01f, 0.9f, 0.5f, 1e-6f, true), START);
    p.run(3);
    assertWeights(keras(START, null, 3, 0.01, 0.9, 0.5, 1e-6, true), p.weights(), START, "w");
  }

  /** The rule above as one Keras update_step, for {@link KerasReference}. */
  private static KerasReference.Rule rule(
      double rho, double momentum, double eps, boolean centered) {
    return (w, g, slots, lr, t) -> {
      double[] s = slots.get("velocity");
      double[] a = slots.get("average_gradient");
      double[] mom = slots.get("momentum");
      for (int i = 0; i < w.length; i++) {
        s[i] = rho * s[i] + (1 - rho) * g[i] * g[i];
        double denominator = s[i] + eps;
        if (centered) {
          a[i] = rho * a[i] + (1 - rho) * g[i];
          denominator = s[i] - a[i] * a[i] + eps;
        }
        double increment = lr * g[i] / Math.sqrt(denominator);
        if (momentum > 0) {
          mom[i] = momentum * mom[i] + increment;
          w[i] -= mom[i];
        } else {
          w[i] -= increment;
        }
      }
    };
  }

  @Test
  void centeredWithMomentumAndTheCommonOptions() {
    var rmsprop =
        new RMSprop(0.01f, 0.9f, 0.5f, 1e-6f, true)
            .weightDecay(0.3f)
            .clipvalue(2f)
            .emaMomentum(0.7f);
    var p = NamedProblem.single(rmsprop, START, null);
    p.run(4);
    KerasReference want =
        p.reference(rule(0.9, 0.5, 1e-6, true))
            .learningRate(0.01)
            .weightDecay(0.3, true)
            .clipvalue(2)
            .ema(0.7, 0)
            .run(4);
    assertWeights(want.weights(0), p.weights("w"), START, "w");
    rmsprop.finalizeVariableValues(p.layer.trainableVariables());
    assertWeights(want.average(0), p.weights("w"), START, "w's average");
  }
}
