package dev.tfkeras.optimizers;

import static dev.tfkeras.testing.Numeric.assertWeights;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tfkeras.testing.FreshRuntime;
import dev.tfkeras.variables.Variable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.types.TFloat32;

/** Nadam against Keras 3's update rule, with its running product of momentum factors. */
@ExtendWith(FreshRuntime.class)
class NadamTest {

  private static final float[] START = {1f, -2f, 0.25f, 3.5f};

  /** Keras 3's Nadam: one running product per optimizer, advanced once per step. */
  static final class Rule implements KerasReference.Rule {
    private final double b1;
    private final double b2;
    private final double eps;
    private double uProduct = 1;

    Rule(double b1, double b2, double eps) {
      this.b1 = b1;
      this.b2 = b2;
      this.eps = eps;
    }

    private double u(int t) {
      return b1 * (1 - 0.5 * Math.pow(0.96, t));
    }

    @Override
    public void beginStep(int t) {
      uProduct *= u(t);
    }

    @Override
    public void update(double[] w, double[] g, KerasReference.Slots slots, double lr, int t) {
      double[] m = slots.get("momentum");
      double[] v = slots.get("velocity");
      double uT = u(t);
      double uNext = u(t + 1);
      double uProductNext = uProduct * uNext;
      for (int i = 0; i < w.length; i++) {
        m[i] += (g[i] - m[i]) * (1 - b1);
        v[i] += (g[i] * g[i] - v[i]) * (1 - b2);
        double mHat = uNext * m[i] / (1 - uProductNext) + (1 - uT) * g[i] / (1 - uProduct);
        double vHat = v[i] / (1 - Math.pow(b2, t));
        w[i] -= mHat * lr / (Math.sqrt(vHat) + eps);
      }
    }
  }

  @Test
  void defaultsFourSteps() {
    var p = NamedProblem.single(new Nadam(), START, null);
    for (int t = 1; t <= 4; t++) {
      p.run(1);
      double[] want = p.reference(new Rule(0.9, 0.999, 1e-7)).learningRate(1e-3).run(t).weights(0);
      assertWeights(want, p.weights("w"), START, "w after step " + t);
    }
    assertEquals(1, p.step.traceCount());
  }

  @Test
  void theRunningProductIsSharedByAllVariablesAndSaved() {
    Map<String, float[]> starts = new LinkedHashMap<>();
    starts.put("kernel", new float[] {2f, -1f});
    starts.put("bias", new float[] {0.5f});
    var nadam = new Nadam(0.1f, 0.8f, 0.9f, 1e-6f);
    var p = new NamedProblem(nadam, starts, null, new float[] {-1.5f});
    p.run(3);
    KerasReference want = p.reference(new Rule(0.8, 0.9, 1e-6)).learningRate(0.1).run(3);
    assertWeights(want.weights(0), p.weights("kernel"), p.start("kernel"), "kernel");
    assertWeights(want.weights(1), p.weights("bias"), p.start("bias"), "bias");
    assertEquals(
        List.of(
            "nadam/iterations",
            "nadam/learning_rate",
            "nadam/u_product",
            "nadam/weights/kernel/momentum",
            "nadam/weights/kernel/velocity",
            "nadam/weights/bias/momentum",
            "nadam/weights/bias/velocity"),
        nadam.variables().stream().map(Variable::path).collect(Collectors.toList()));
    double product = 1;
    for (int t = 1; t <= 3; t++) {
      product *= 0.8 * (1 - 0.5 * Math.pow(0.96, t));
    }
    @SuppressWarnings("unchecked")
    Variable<TFloat32> saved = (Variable<TFloat32>) nadam.variables().get(2);
    try (TFloat32 value = saved.value()) {
      assertEquals(product, value.getFloat(), 1e-6, "u_product after 3 steps");
    }
  }

  @Test
  void withClipnormAndEma() {
    var nadam = new Nadam(0.05f).clipnorm(0.5f).emaMomentum(0.8f).emaOverwriteFrequency(3);
    var p = NamedProblem.single(nadam, START, null);
    p.run(4);
    double[] want =
        p.reference(new Rule(0.9, 0.999, 1e-7))
            .learningRate(0.05)
            .clipnorm(0.5)
            .ema(0.8, 3)
            .run(4)
            .weights(0);
    assertWeights(want, p.weights("w"), START, "w");
  }
}
