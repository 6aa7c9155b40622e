package dev.tfkeras.optimizers;

import static dev.tfkeras.testing.Numeric.assertWeights;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.testing.FreshRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Adam against Keras's update rule computed in doubles. */
@ExtendWith(FreshRuntime.class)
class AdamTest {

  // Keras defaults, as doubles: the expected values use Keras's formula, not TensorFlow's floats.
  private static final double LR = 1e-3;
  private static final double B1 = 0.9;
  private static final double B2 = 0.999;
  private static final double EPS = 1e-7;

  /** Keras 3's Adam update_step, with amsgrad's running maximum of v when asked. */
  static KerasReference.Rule rule(double b1, double b2, double eps, boolean amsgrad) {
    return (w, g, slots, lr, t) -> {
      double[] m = slots.get("m");
      double[] v = slots.get("v");
      double[] vHat = slots.get("v_hat");
      double alpha = lr * Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t));
      for (int i = 0; i < w.length; i++) {
        m[i] += (g[i] - m[i]) * (1 - b1);
        v[i] += (g[i] * g[i] - v[i]) * (1 - b2);
        vHat[i] = Math.max(vHat[i], v[i]);
        w[i] -= m[i] * alpha / (Math.sqrt(amsgrad ? vHat[i] : v[i]) + eps);
      }
    };
  }

  /** Keras's defaults. */
  static final KerasReference.Rule RULE = rule(B1, B2, EPS, false);

  /** Keras's Adam for {@code steps} steps; {@code gradientIsWeight} selects loss 0.5 Σ w² over Σ c·w. */
  private static double[] expected(
      float[] start, float[] c, int steps, double lr, double b1, double b2, double eps) {
    int n = start.length;
    double[] w = new double[n];
    double[] m = new double[n];
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      w[i] = start[i];
    }
    for (int t = 1; t <= steps; t++) {
      double lrT = lr * Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t));
      for (int i = 0; i < n; i++) {
        double g = c != null ? c[i] : w[i];
        m[i] = b1 * m[i] + (1 - b1) * g;
        v[i] = b2 * v[i] + (1 - b2) * g * g;
        w[i] -= lrT * m[i] / (Math.sqrt(v[i]) + eps);
      }
    }
    return w;
  }

  @Test
  void oneStepWithKerasDefaultsMatchesTheFormula() {
    float[] start = {0.5f, -1.25f, 2f, 0.75f, 3f};
    // a tiny gradient makes epsilon matter (sqrt(v) = 3.2e-7 next to eps = 1e-7), a zero one must
    // leave its weight alone rather than produce 0/0
    float[] c = {0.5f, -2f, 4f, 1e-5f, 0f};
    Problem p = Problem.linear(new Adam(), start, c);

    p.run(1);

    double[] want = expected(start, c, 1, LR, B1, B2, EPS);
    assertWeights(want, p.weights(), start, "w after 1 Adam step");
    // sanity of the hand formula itself: the first step moves by about lr·sign(g)
    assertEquals(start[0] - 1e-3, want[0], 1e-8);
    // with g = 1e-5: m = 1e-6, sqrt(v) = 3.162e-7, step = lr·sqrt(.001)/.1·m/(sqrt(v)+eps)
    assertEquals(0.75 - 1e-3 * Math.sqrt(0.001) / 0.1 * 1e-6 / (Math.sqrt(1e-13) + 1e-7), want[3], 1e-10);
    assertEquals(3f, p.weights()[4], 0f, "zero gradient leaves the weight unchanged");
    assertEquals(1, p.param.trainableVariables().size());
  }

  @Test
  void threeStepsOnAQuadraticMatchTheFormula() {
    float[] start = {1f, -0.5f, 0.02f, 4f};
    var adam = new Adam();
    Problem p = Problem.quadratic(adam, start);

    for (int t = 1; t <= 3; t++) {
      p.run(1);
      assertWeights(expected(start, null, t, LR, B1, B2, EPS), p.weights(), start, "w after step " + t);
      assertEquals(t, adam.iterations());
    }
    assertEquals(1, p.step.traceCount());
  }

  @Test
  void customHyperparametersAreUsed() {
    float[] start = {1f, -2f, 0.3f};
    float[] c = {1f, 0.5f, -3f};
    Problem p = Problem.linear(new Adam(0.05f, 0.5f, 0.75f, 1e-3f), start, c);

    p.run(2);

    assertWeights(expected(start, c, 2, 0.05, 0.5, 0.75, 1e-3), p.weights(), start, "w after 2 steps");
  }

  @Test
  void amsgradDividesByTheLargestSecondMomentSoFar() {
    // quadratic loss: the gradient shrinks, and with beta2 = 0.5 so does v, while v_hat keeps its
    // maximum
    float[] start = {2f, -1f, 0.5f};
    var p = NamedProblem.single(new Adam(0.3f, 0.9f, 0.5f, 1e-7f, true), start, null);
    for (int t = 1; t <= 4; t++) {
      p.run(1);
      double[] want = p.reference(rule(0.9, 0.5, 1e-7, true)).learningRate(0.3).run(t).weights(0);
      assertWeights(want, p.weights("w"), start, "amsgrad w after step " + t);
    }
    double[] amsgrad = p.reference(rule(0.9, 0.5, 1e-7, true)).learningRate(0.3).run(4).weights(0);
    double[] plain = p.reference(rule(0.9, 0.5, 1e-7, false)).learningRate(0.3).run(4).weights(0);
    assertTrue(
        Math.abs(amsgrad[0] - plain[0]) > 1e-2,
        "the test exercises v_hat: " + amsgrad[0] + " vs " + plain[0]);
    assertEquals(1, p.step.traceCount());
  }

  @Test
  void optionsCombineWithAdamsUpdate() {
    float[] start = {1f, -2f, 0.3f};
    var adam = new Adam(0.05f).clipvalue(0.5f).weightDecay(0.1f).emaMomentum(0.9f);
    var p = NamedProblem.single(adam, start, null);
    p.run(3);
    KerasReference want =
        p.reference(RULE)
            .learningRate(0.05)
            .clipvalue(0.5)
            .weightDecay(0.1, true)
            .ema(0.9, 0)
            .run(3);
    assertWeights(want.weights(0), p.weights("w"), start, "w");
    adam.finalizeVariableValues(p.layer.trainableVariables());
    assertWeights(want.average(0), p.weights("w"), start, "w's average");
  }
}
