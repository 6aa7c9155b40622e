package dev.tfkeras.losses;

import static dev.tfkeras.losses.LossRunner.clipToOne;
import static dev.tfkeras.losses.LossRunner.eval;
import static dev.tfkeras.losses.LossRunner.sum;
import static dev.tfkeras.losses.LossRunner.traceError;
import static dev.tfkeras.testing.Numeric.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tfkeras.testing.FreshRuntime;
import dev.tfkeras.testing.Tensors;
import java.util.function.DoubleBinaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Mean absolute error, Huber, mean squared logarithmic error and KL divergence against their
 * formulas in doubles: per element, then the mean (or, for KL, the sum) over the last axis.
 */
@ExtendWith(FreshRuntime.class)
class RegressionLossesTest {

  private static final float[] PRED = {1.5f, -0.5f, 2f, 0.25f, 3f, 1f};
  private static final float[] TRUE = {1f, 0.5f, 2f, -2f, 0f, 0.9f};
  private static final double EPSILON = 1e-7f;

  /** Mean over rows of {@code cols} of f(t, p), per row. */
  private static double[] rowMeans(float[] t, float[] p, int cols, DoubleBinaryOperator f) {
    double[] out = new double[t.length / cols];
    for (int i = 0; i < t.length; i++) {
      out[i / cols] += f.applyAsDouble(t[i], p[i]) / cols;
    }
    return out;
  }

  private static double huber(double t, double p, double delta) {
    double e = Math.abs(p - t);
    return e <= delta ? 0.5 * e * e : delta * e - 0.5 * delta * delta;
  }

  private static double msle(double t, double p) {
    double d = Math.log(Math.max(p, EPSILON) + 1) - Math.log(Math.max(t, EPSILON) + 1);
    return d * d;
  }

  private static void assertReductions(double[] perSample, java.util.function.Function<Reduction, Loss> loss,
      String what) {
    try (TFloat32 p = Tensors.floats(PRED, 2, 3);
        TFloat32 y = Tensors.floats(TRUE, 2, 3)) {
      assertClose(perSample, eval(loss.apply(Reduction.NONE), y, p), 1e-5, 1e-6, what + " none");
      assertClose(sum(perSample), eval(loss.apply(Reduction.SUM), y, p)[0], 1e-5, 1e-6, what + " sum");
      assertClose(sum(perSample) / 2, eval(loss.apply(Reduction.SUM_OVER_BATCH_SIZE), y, p)[0], 1e-5, 1e-6,
          what + " mean");
    }
  }

  @Test
  void meanAbsoluteError() {
    double[] perSample = rowMeans(TRUE, PRED, 3, (t, p) -> Math.abs(t - p));
    assertEquals((0.5 + 1 + 0) / 3, perSample[0], 1e-7);
    assertReductions(perSample, MeanAbsoluteError::new, "mae");
    try (TFloat32 p = Tensors.floats(PRED, 2, 3);
        TFloat32 y = Tensors.floats(TRUE, 2, 3)) {
      assertClose(sum(perSample) / 2, eval(new MeanAbsoluteError(), y, p)[0], 1e-5, 1e-6, "default");
    }
  }

  @Test
  void huberIsQuadraticInsideDeltaAndLinearBeyond() {
    // errors 0.5, 1, 0 | 2.25, 3, 0.1: both branches at delta = 1, all quadratic at delta = 5
    double[] unit = rowMeans(TRUE, PRED, 3, (t, p) -> huber(t, p, 1));
    assertEquals((0.125 + 0.5 + 0) / 3, unit[0], 1e-7);
    assertEquals((2.25 - 0.5 + 3 - 0.5 + 0.5 * 0.1f * 0.1f) / 3, unit[1], 1e-7);
    assertReductions(unit, r -> new Huber(1.0, r), "huber delta 1");
    double[] wide = rowMeans(TRUE, PRED, 3, (t, p) -> huber(t, p, 5));
    double[] narrow = rowMeans(TRUE, PRED, 3, (t, p) -> huber(t, p, 0.3));
    try (TFloat32 p = Tensors.floats(PRED, 2, 3);
        TFloat32 y = Tensors.floats(TRUE, 2, 3)) {
      assertClose(sum(unit) / 2, eval(new Huber(), y, p)[0], 1e-5, 1e-6, "default delta 1");
      assertClose(wide, eval(new Huber(5, Reduction.NONE), y, p), 1e-5, 1e-6, "delta 5");
      assertClose(sum(narrow) / 2, eval(new Huber(0.3), y, p)[0], 1e-5, 1e-6, "delta 0.3");
    }
    var e = assertThrows(IllegalArgumentException.class, () -> new Huber(0));
    assertEquals("Huber's delta must be a positive number, received delta=0.0.", e.getMessage());
    assertEquals("huber_loss", new Huber().name());
    assertEquals(1.0, new Huber().delta());
  }

  @Test
  void meanSquaredLogarithmicErrorCountsNegativesAsEpsilon() {
    double[] perSample = rowMeans(TRUE, PRED, 3, RegressionLossesTest::msle);
    // -0.5 and -2 count as 1e-7: log(1 + 1e-7) ≈ 1e-7
    assertEquals(Math.pow(Math.log(2.5) - Math.log(2), 2), msle(1, 1.5), 1e-15);
    assertReductions(perSample, MeanSquaredLogarithmicError::new, "msle");
  }

  @Test
  void klDivergenceClipsBothToEpsilonAndOne() {
    float[] t = {0.2f, 0.5f, 0.3f, 0f, 1f, 0f};
    float[] p = {0.1f, 0.6f, 0.3f, 0.25f, 0.5f, 0.25f};
    double[] perSample = new double[2];
    for (int i = 0; i < t.length; i++) {
      double tc = clipToOne(t[i]);
      double pc = clipToOne(p[i]);
      perSample[i / 3] += tc * Math.log(tc / pc);
    }
    // row 2: 1·log(1 / 0.5) plus two terms 1e-7·log(1e-7 / 0.25), each about -1.3e-6
    assertEquals(Math.log(2) + 2 * 1e-7 * Math.log(1e-7 / 0.25), perSample[1], 1e-9);
    try (TFloat32 pred = Tensors.floats(p, 2, 3);
        TFloat32 y = Tensors.floats(t, 2, 3)) {
      assertClose(perSample, eval(new KLDivergence(Reduction.NONE), y, pred), 1e-5, 1e-6, "none");
      assertClose(sum(perSample), eval(new KLDivergence(Reduction.SUM), y, pred)[0], 1e-5, 1e-6, "sum");
      assertClose(sum(perSample) / 2, eval(new KLDivergence(), y, pred)[0], 1e-5, 1e-6, "mean");
    }
  }

  @Test
  void integerTargetsAreCastAndShapesChecked() {
    float[] pred = {0.5f, 2f, -1f, 3f};
    int[] labels = {1, 2, 0, 3};
    double[] want = rowMeans(new float[] {1, 2, 0, 3}, pred, 1, (t, p) -> Math.abs(t - p));
    try (TFloat32 p = Tensors.floats(pred, 4, 1);
        TInt32 y = Tensors.ints(labels, 4);
        TFloat32 wide = Tensors.floats(new float[12], 4, 3);
        TFloat32 p2 = Tensors.floats(new float[8], 4, 2)) {
      assertClose(want, eval(new MeanAbsoluteError(Reduction.NONE), y, p), 1e-6, 1e-7, "int32 (4,)");
      // a size of 1 broadcasts, as in Keras; other sizes must match
      assertEquals(
          "Targets of shape (None, 3) do not match predictions of shape (None, 2) on the last axis.",
          traceError(new Huber(), wide, p2));
    }
  }

  @Test
  void kerasNames() {
    assertEquals("mean_absolute_error", new MeanAbsoluteError().name());
    assertEquals("mean_squared_error", new MeanSquaredError().name());
    assertEquals("mean_squared_logarithmic_error", new MeanSquaredLogarithmicError().name());
    assertEquals("kl_divergence", new KLDivergence().name());
  }

  @Test
  void regressionLossesBroadcastUnitTargetsAgainstWiderPredictionsAsKeras() {
    // Keras's mean_squared_error (losses.py) is mean(square(y_true - y_pred), axis=-1) after
    // squeeze_or_expand_to_same_rank: (n, 1) targets broadcast against (n, 2) predictions.
    // Targets [[1], [2]], predictions [[1, 3], [4, 2.5]]:
    // MSE per sample (0 + 4) / 2 = 2 and (4 + 0.25) / 2 = 2.125; MAE 1 and 1.25
    float[] t = {1f, 2f};
    float[] p = {1f, 3f, 4f, 2.5f};
    try (TFloat32 y = Tensors.floats(t, 2, 1);
        TFloat32 yPred = Tensors.floats(p, 2, 2)) {
      assertClose(new double[] {2, 2.125}, eval(new MeanSquaredError(Reduction.NONE), y, yPred),
          1e-6, 1e-7, "mse");
      assertClose(new double[] {2.0625}, eval(new MeanSquaredError(), y, yPred), 1e-6, 1e-7, "mse");
      assertClose(new double[] {1, 1.25}, eval(new MeanAbsoluteError(Reduction.NONE), y, yPred),
          1e-6, 1e-7, "mae");
      float[] wide = {1f, 1f, 2f, 2f};
      assertClose(rowMeans(wide, p, 2, RegressionLossesTest::msle),
          eval(new MeanSquaredLogarithmicError(Reduction.NONE), y, yPred), 1e-5, 1e-6, "msle");
      assertClose(rowMeans(wide, p, 2, (a, b) -> huber(a, b, 1.0)),
          eval(new Huber(1.0, Reduction.NONE), y, yPred), 1e-5, 1e-6, "huber");
    }
  }

  @Test
  void targetsOfAnotherSizeThanOneStillFail() {
    try (TFloat32 y = Tensors.floats(new float[6], 2, 3);
        TFloat32 yPred = Tensors.floats(new float[4], 2, 2)) {
      assertEquals(
          "Targets of shape (None, 3) do not match predictions of shape (None, 2) on the last axis.",
          traceError(new MeanSquaredError(), y, yPred));
    }
  }
}
