package dev.tfkeras.regularizers;

import static dev.tfkeras.testing.Numeric.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.function.TfFunction;
import dev.tfkeras.initializers.Constant;
import dev.tfkeras.layers.Dense;
import dev.tfkeras.models.FitOptions;
import dev.tfkeras.models.Model;
import dev.tfkeras.models.Sequential;
import dev.tfkeras.optimizers.SGD;
import dev.tfkeras.testing.FreshRuntime;
import dev.tfkeras.testing.Tensors;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

@ExtendWith(FreshRuntime.class)
class RegularizationTest {

  private static final float[] W = {0.5f, -1.5f, 2f, 0.25f, -0.75f, 1f};
  private static final float[] K = {0.4f, -0.2f, 0.1f, 0.3f, -0.5f, 0.6f}; // (3, 2)
  private static final float[] B = {0.2f, -0.3f};
  private static final float[][] X = {
    {1, 0, 2}, {0.5f, -1, 1}, {-1, 2, 0}, {2, 1, -1}, {0, 0, 1}, {1, 1, 1}, {-2, 0.5f, 1}, {0.3f, -0.7f, 2}
  };
  private static final float[][] Y = {
    {1, 0}, {0, 1}, {1, 1}, {-1, 0}, {0.5f, 0.5f}, {2, -1}, {0, 0}, {1, -2}
  };

  private static float penalty(Regularizer r, float[] values, long... shape) {
    var fn = TfFunction.returning(TFloat32.class, w -> r.apply(TfFunction.ops(), w));
    try (TFloat32 w = Tensors.floats(values, shape);
        TFloat32 p = fn.call(w)) {
      assertEquals(0, p.shape().numDimensions(), "a penalty is a scalar");
      return p.getFloat();
    }
  }

  private static double sumAbs(float[] v) {
    double s = 0;
    for (float x : v) {
      s += Math.abs(x);
    }
    return s;
  }

  private static double sumSq(float[] v) {
    double s = 0;
    for (float x : v) {
      s += (double) x * x;
    }
    return s;
  }

  @Test
  void penaltiesFollowKerasFormulas() {
    assertClose(0.3 * sumAbs(W), penalty(new L1(0.3f), W, 2, 3), 1e-6, 0, "L1(0.3)");
    assertClose(0.01 * sumAbs(W), penalty(new L1(), W, 2, 3), 1e-6, 0, "L1 default 0.01");
    assertClose(0.2 * sumSq(W), penalty(new L2(0.2f), W, 6), 1e-6, 0, "L2(0.2)");
    assertClose(0.01 * sumSq(W), penalty(new L2(), W, 3, 2), 1e-6, 0, "L2 default 0.01");
    assertClose(0.1 * sumAbs(W) + 0.2 * sumSq(W), penalty(new L1L2(0.1f, 0.2f), W, 2, 3), 1e-6, 0, "L1L2");
    assertEquals(0f, penalty(new L1L2(), W, 2, 3), "Keras 3's L1L2() adds nothing");
    // keras docstring: L2(2.)(ones((5, 5))) = 50
    float[] ones = new float[25];
    java.util.Arrays.fill(ones, 1f);
    assertEquals(50f, penalty(new L2(2f), ones, 5, 5), 1e-5f);
  }

  @Test
  void argumentsAndIdentifiers() {
    var e = assertThrows(IllegalArgumentException.class, () -> new L1(-0.1f));
    assertEquals("Invalid value for argument l1: expected a non-negative float. Received: l1=-0.1", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new L2(Float.NaN));
    assertThrows(IllegalArgumentException.class, () -> new L1L2(0f, Float.POSITIVE_INFINITY));
    assertInstanceOf(L1.class, Regularizers.get("l1"));
    assertInstanceOf(L2.class, Regularizers.get("L2"));
    assertInstanceOf(L1L2.class, Regularizers.get("l1_l2"));
    assertEquals(0.01f, ((L2) Regularizers.get("l2")).l2());
    e = assertThrows(IllegalArgumentException.class, () -> Regularizers.get("l3"));
    assertEquals("Could not interpret regularizer identifier: l3. Known: L1, l1, L2, l2, L1L2, l1_l2.", e.getMessage());
  }

  @Test
  void layerLossesAreThePenaltiesOfItsWeights() {
    // keras docstring: Dense(5, kernel_initializer='ones', kernel_regularizer=L1(0.01)) on 5 inputs: 0.25
    Dense dense = new Dense(5).kernelInitializer(Constant.of(1f)).kernelRegularizer(new L1(0.01f));
    var fn = TfFunction.returning(TFloat32.class, x -> {
      dense.apply(x);
      List<Operand<TFloat32>> losses = dense.losses();
      assertEquals(1, losses.size());
      return losses.get(0);
    });
    try (TFloat32 x = Tensors.floats(new float[10], 2, 5);
        TFloat32 loss = fn.call(x)) {
      assertEquals(0.25f, loss.getFloat(), 1e-6f);
    }
  }

  private static Dense dense(boolean regularized) {
    Dense d = new Dense(2).kernelInitializer(Constant.values(K)).biasInitializer(Constant.values(B));
    if (regularized) {
      d.kernelRegularizer(new L2(0.1f)).biasRegularizer(new L1(0.05f));
    }
    return d;
  }

  private static double expectedPenalty(float[] kernel, float[] bias) {
    return 0.1 * sumSq(kernel) + 0.05 * sumAbs(bias);
  }

  private static float[] flat(FloatNdArray a) {
    float[] out = new float[(int) a.shape().size()];
    a.copyTo(org.tensorflow.ndarray.buffer.DataBuffers.of(out, false, false));
    return out;
  }

  /** Keras's mean squared error of a (3 -> 2) dense layer on X, Y. */
  private static double mse(float[] kernel, float[] bias) {
    double total = 0;
    for (int n = 0; n < X.length; n++) {
      for (int j = 0; j < 2; j++) {
        double p = bias[j];
        for (int i = 0; i < 3; i++) {
          p += X[n][i] * kernel[i * 2 + j];
        }
        total += (p - Y[n][j]) * (p - Y[n][j]);
      }
    }
    return total / (X.length * 2);
  }

  @Test
  void fitAddsExactlyThePenaltyToTheLossAndItsGradientToTheStep() {
    float lr = 0.1f;
    Model plain = new Sequential(dense(false));
    Model regularized = new Sequential(dense(true));
    plain.compile(new SGD(lr), "mse");
    regularized.compile(new SGD(lr), "mse");
    FitOptions once = new FitOptions().epochs(1).batchSize(8).shuffle(false).verbose(0);
    double plainLoss = plain.fit(X, Y, once).get("loss").get(0);
    double regLoss = regularized.fit(X, Y, once).get("loss").get(0);
    assertClose(mse(K, B), plainLoss, 1e-6, 0, "plain loss is the MSE");
    assertClose(expectedPenalty(K, B), regLoss - plainLoss, 1e-4, 1e-7, "fit loss - plain loss = penalty");

    // same data gradient in both; the penalty adds lr * (2 l2 K) and lr * (l1 sign(B))
    float[] kPlain = flat(plain.getWeights().get(0));
    float[] kReg = flat(regularized.getWeights().get(0));
    float[] bPlain = flat(plain.getWeights().get(1));
    float[] bReg = flat(regularized.getWeights().get(1));
    for (int i = 0; i < K.length; i++) {
      assertClose(-lr * 2 * 0.1 * K[i], kReg[i] - kPlain[i], 1e-4, 1e-7, "kernel step difference " + i);
    }
    for (int j = 0; j < B.length; j++) {
      assertClose(-lr * 0.05 * Math.signum(B[j]), bReg[j] - bPlain[j], 1e-4, 1e-7, "bias step difference " + j);
    }

    // evaluate reports the MSE plus the penalty of the current weights, as Keras's test step
    Map<String, Double> evaluated = regularized.evaluate(X, Y);
    assertClose(mse(kReg, bReg) + expectedPenalty(kReg, bReg), evaluated.get("loss"), 1e-5, 1e-7, "evaluate loss");
    plain.close();
    regularized.close();
  }

  @Test
  void modelLossesServeCustomLoopsAndFrozenLayersContributeNothing() {
    Dense first = dense(true);
    Dense second = new Dense(1).kernelRegularizer(new L1(0.5f));
    Model model = new Sequential(first, second);
    float[] values = new float[1];
    var fn = TfFunction.returning(TFloat32.class, x -> {
      Ops tf = TfFunction.ops();
      model.apply(x, true);
      List<Operand<TFloat32>> losses = model.losses();
      values[0] = losses.size();
      return losses.isEmpty() ? tf.constant(0f) : tf.math.addN(losses);
    });
    double secondPenalty;
    try (TFloat32 x = Tensors.floats(new float[6], 2, 3);
        TFloat32 total = fn.call(x)) {
      assertEquals(3, values[0], "kernel and bias of the first layer, kernel of the second");
      float[] k2 = flat(second.getWeights().get(0));
      secondPenalty = 0.5 * sumAbs(k2);
      assertClose(expectedPenalty(K, B) + secondPenalty, total.getFloat(), 1e-5, 1e-7, "model.losses() sum");
    }
    first.setTrainable(false);
    var frozen = TfFunction.returning(TFloat32.class, x -> {
      model.apply(x, true);
      List<Operand<TFloat32>> losses = model.losses();
      values[0] = losses.size();
      return TfFunction.ops().math.addN(losses);
    });
    try (TFloat32 x = Tensors.floats(new float[6], 2, 3);
        TFloat32 total = frozen.call(x)) {
      assertEquals(1, values[0], "a frozen layer's weights are not regularized, as in Keras");
      assertClose(secondPenalty, total.getFloat(), 1e-5, 1e-7, "only the trainable layer's penalty");
    }
    var e = assertThrows(IllegalStateException.class, model::losses);
    assertTrue(e.getMessage().startsWith("No function is being traced."), e.getMessage());
    Dense unbuilt = new Dense(3).kernelRegularizer(new L2());
    var unbuiltLosses = TfFunction.returning(TFloat32.class, x -> {
      values[0] = unbuilt.losses().size();
      return x;
    });
    try (TFloat32 x = Tensors.floats(new float[1], 1);
        TFloat32 unusedOutput = unbuiltLosses.call(x)) {
      assertEquals(0, values[0], "an unbuilt layer has no losses");
    }
    model.close();
  }
}
