package dev.tfkeras.optimizers;

import static dev.tfkeras.testing.Numeric.assertWeights;

import dev.tfkeras.testing.FreshRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Adadelta (TensorFlow's ApplyAdadelta kernel) against Keras 3's update rule in doubles. */
@ExtendWith(FreshRuntime.class)
class AdadeltaTest {

  private static final float[] START = {1f, -2f, 0.25f, 3.5f};

  /**
   * Keras 3: {@code a = rho a + (1-rho) g²; Δ = -sqrt(d + eps) g / sqrt(a + eps); d = rho d +
   * (1-rho) Δ²; w += lr Δ}.
   */
  static KerasReference.Rule rule(double rho, double eps) {
    return (w, g, slots, lr, t) -> {
      double[] a = slots.get("accumulated_grad");
      double[] d = slots.get("accumulated_delta_var");
      for (int i = 0; i < w.length; i++) {
        a[i] = rho * a[i] + (1 - rho) * g[i] * g[i];
        double delta = -Math.sqrt(d[i] + eps) * g[i] / Math.sqrt(a[i] + eps);
        d[i] = rho * d[i] + (1 - rho) * delta * delta;
        w[i] += lr * delta;
      }
    };
  }

  @Test
  void largeLearningRateFourSteps() {
    // Keras's default rate 1e-3 moves Adadelta's weights by ~1e-6, below float32 resolution of a
    // displacement check; rate 1.0 is the original paper's
    var p = NamedProblem.single(new Adadelta(1f), START, null);
    for (int t = 1; t <= 4; t++) {
      p.run(1);
      double[] want = p.reference(rule(0.95, 1e-7)).learningRate(1).run(t).weights(0);
      assertWeights(want, p.weights("w"), START, "w after step " + t);
    }
  }

  @Test
  void customRhoAndEpsilonWithClipnorm() {
    var p =
        NamedProblem.single(
            new Adadelta(2f, 0.5f, 1e-3f).clipnorm(1f), START, new float[] {1f, -3f, 0.5f, 2f});
    p.run(4);
    double[] want = p.reference(rule(0.5, 1e-3)).learningRate(2).clipnorm(1).run(4).weights(0);
    assertWeights(want, p.weights("w"), START, "w");
  }

  @Test
  void defaultsWithWeightDecay() {
    var p = NamedProblem.single(new Adadelta().weightDecay(4f), START, null);
    p.run(3);
    double[] want =
        p.reference(rule(0.95, 1e-7)).learningRate(1e-3).weightDecay(4, true).run(3).weights(0);
    assertWeights(want, p.weights("w"), START, "w");
  }
}
