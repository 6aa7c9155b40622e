package dev.tfkeras.optimizers;

import static dev.tfkeras.testing.Numeric.assertWeights;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tfkeras.testing.FreshRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** SGD, with and without (Nesterov) momentum, against Keras 3's formulas on loss 0.5 Σ w². */
@ExtendWith(FreshRuntime.class)
class SGDTest {

  private static final float[] START = {1f, -2f, 0.25f, 3.5f};

  /**
   * Keras 3: {@code v = m v - lr g; w += v}, Nesterov {@code w += m v - lr g} with the updated v;
   * plain SGD {@code w -= lr g}. Gradient g = w. {@code lrs[t]} is the learning rate of step t.
   */
  private static double[] keras(float[] start, double momentum, boolean nesterov, double... lrs) {
    double[] w = new double[start.length];
    double[] v = new double[start.length];
    for (int i = 0; i < w.length; i++) {
      w[i] = start[i];
    }
    for (double lr : lrs) {
      for (int i = 0; i < w.length; i++) {
        double g = w[i];
        if (momentum == 0) {
          w[i] -= lr * g;
        } else {
          v[i] = momentum * v[i] - lr * g;
          w[i] += nesterov ? momentum * v[i] - lr * g : v[i];
        }
      }
    }
    return w;
  }

  @Test
  void plainSgdThreeSteps() {
    var sgd = new SGD(0.1f);
    Problem p = Problem.quadratic(sgd, START);
    for (int t = 1; t <= 3; t++) {
      p.run(1);
      double[] lrs = new double[t];
      java.util.Arrays.fill(lrs, 0.1);
      assertWeights(keras(START, 0, false, lrs), p.weights(), START, "w after step " + t);
    }
    // w_t = 0.9^t w_0
    assertEquals(0.729 * 3.5, keras(START, 0, false, 0.1, 0.1, 0.1)[3], 1e-12);
    assertEquals(3, sgd.iterations());
  }

  @Test
  void defaultLearningRateIsKeras() {
    var sgd = new SGD();
    assertEquals(0.01f, sgd.learningRate());
    Problem p = Problem.quadratic(sgd, START);
    p.run(2);
    assertWeights(keras(START, 0, false, 0.01, 0.01), p.weights(), START, "w after 2 steps");
  }

  @Test
  void momentumThreeSteps() {
    Problem p = Problem.quadratic(new SGD(0.1f, 0.9f, false), START);
    p.run(1);
    assertWeights(keras(START, 0.9, false, 0.1), p.weights(), START, "w after step 1");
    p.run(2);
    double[] want = keras(START, 0.9, false, 0.1, 0.1, 0.1);
    assertWeights(want, p.weights(), START, "w after step 3");
    // by hand for w0 = 1: w1 = .9, v1 = -.1; v2 = -.09 - .09 = -.18, w2 = .72;
    // v3 = -.162 - .072 = -.234, w3 = .486
    assertEquals(0.486, want[0], 1e-12);
  }

  @Test
  void nesterovThreeSteps() {
    Problem p = Problem.quadratic(new SGD(0.1f, 0.9f, true), START);
    p.run(3);
    double[] want = keras(START, 0.9, true, 0.1, 0.1, 0.1);
    assertWeights(want, p.weights(), START, "w after 3 Nesterov steps");
    // by hand for w0 = 1: v1 = -.1, w1 = 1 - .09 - .1 = .81; v2 = -.09 - .081 = -.171,
    // w2 = .81 - .1539 - .081 = .5751
    assertEquals(0.5751, keras(START, 0.9, true, 0.1, 0.1)[0], 1e-12);
  }

  @Test
  void setLearningRateAppliesToTheNextStepWithoutRetracing() {
    var sgd = new SGD(0.1f);
    Problem p = Problem.quadratic(sgd, START);
    p.run(1);
    sgd.setLearningRate(0.05f);
    assertEquals(0.05f, sgd.learningRate());
    p.run(1);
    assertWeights(keras(START, 0, false, 0.1, 0.05), p.weights(), START, "w after lr change");
    assertEquals(1, p.step.traceCount(), "a learning-rate change must not retrace");
    assertEquals(2, sgd.iterations());
  }

  @Test
  void momentumKeepsKerasVelocityWhenTheLearningRateChanges() {
    // Keras's velocity holds lr·g terms of earlier steps at the rate they were taken with: a later
    // rate change must not rescale the momentum already accumulated.
    var sgd = new SGD(0.1f, 0.9f, false);
    Problem p = Problem.quadratic(sgd, START);
    p.run(2);
    sgd.setLearningRate(0.01f);
    p.run(1);
    assertWeights(keras(START, 0.9, false, 0.1, 0.1, 0.01), p.weights(), START, "momentum, lr change");
  }

  @Test
  void nesterovKeepsKerasVelocityWhenTheLearningRateChanges() {
    var sgd = new SGD(0.1f, 0.9f, true);
    Problem p = Problem.quadratic(sgd, START);
    p.run(2);
    sgd.setLearningRate(0.01f);
    p.run(1);
    assertWeights(keras(START, 0.9, true, 0.1, 0.1, 0.01), p.weights(), START, "nesterov, lr change");
  }

  @Test
  void nesterovMomentumWithWeightDecayAndClipnorm() {
    KerasReference.Rule nesterov = (w, g, slots, lr, t) -> {
      double[] v = slots.get("momentum");
      for (int i = 0; i < w.length; i++) {
        v[i] = 0.9 * v[i] - lr * g[i];
        w[i] += 0.9 * v[i] - lr * g[i];
      }
    };
    var sgd = new SGD(0.1f, 0.9f, true).weightDecay(0.05f).clipnorm(1f);
    var p = NamedProblem.single(sgd, START, null);
    p.run(4);
    double[] want =
        p.reference(nesterov).learningRate(0.1).weightDecay(0.05, true).clipnorm(1).run(4).weights(0);
    assertWeights(want, p.weights("w"), START, "w");
  }

  @Test
  void momentumOneIsAcceptedAsKeras() {
    // Keras's SGD accepts momentum in [0, 1] (optimizers/sgd.py); with 1 the velocity never decays:
    // v = v - lr g, w += v
    var sgd = new SGD(0.1, 1.0, false);
    assertEquals(1f, sgd.momentum());
    Problem p = Problem.quadratic(sgd, START);
    p.run(3);
    assertWeights(keras(START, 1.0, false, 0.1, 0.1, 0.1), p.weights(), START, "momentum 1");
    // by hand for w0 = 1: v1 = -.1, w1 = .9; v2 = -.19, w2 = .71; v3 = -.261, w3 = .449
    assertEquals(0.449, keras(START, 1.0, false, 0.1, 0.1, 0.1)[0], 1e-12);
  }

  @Test
  void fluentSettersMatchThePositionalConstructor() {
    var sgd = new SGD().learningRate(0.1).momentum(0.9).nesterov(true);
    assertEquals(0.1f, sgd.learningRate());
    assertEquals(0.9f, sgd.momentum());
    assertEquals(true, sgd.nesterov());
    Problem p = Problem.quadratic(sgd, START);
    p.run(3);
    assertWeights(keras(START, 0.9, true, 0.1, 0.1, 0.1), p.weights(), START, "fluent Nesterov");
  }

  @Test
  void doubleLiteralsNeedNoSuffix() {
    assertEquals(0.01f, new SGD(0.01).learningRate());
    assertEquals(0.5f, new SGD(0.1, 0.5, false).momentum());
  }
}
