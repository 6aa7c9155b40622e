package dev.tfkeras.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tfkeras.testing.FreshRuntime;
import dev.tfkeras.testing.Tensors;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** MeanSquaredError, MeanAbsoluteError and RootMeanSquaredError against Java references. */
@ExtendWith(FreshRuntime.class)
class RegressionMetricsTest {

  private static final double TOL = 1e-5;

  /** Per-sample mean over the last axis of squared (or absolute) errors. */
  private static double rowError(double[] t, double[] p, int row, int n, boolean squared) {
    double sum = 0;
    for (int j = 0; j < n; j++) {
      double d = t[row * n + j] - p[row * n + j];
      sum += squared ? d * d : Math.abs(d);
    }
    return sum / n;
  }

  @Test
  void errorsAveragePerSampleThenOverWeightedSamples() {
    var random = new Random(5);
    int n = 3;
    var mse = new MeanSquaredError();
    var mae = new MeanAbsoluteError();
    var rmse = new RootMeanSquaredError();
    assertEquals("mean_squared_error", mse.name());
    assertEquals("mean_absolute_error", mae.name());
    assertEquals("root_mean_squared_error", rmse.name());
    var refSquared = new MetricHarness.RefMean();
    var refAbsolute = new MetricHarness.RefMean();
    for (int batch : new int[] {4, 7, 2}) {
      double[] t = MetricHarness.uniform(random, batch * n);
      double[] p = MetricHarness.uniform(random, batch * n);
      double[] w = MetricHarness.weights(random, batch);
      for (int i = 0; i < batch; i++) {
        refSquared.add(rowError(t, p, i, n, true), w[i]);
        refAbsolute.add(rowError(t, p, i, n, false), w[i]);
      }
      MetricHarness.update(
          mse,
          MetricHarness.floats(t, batch, n),
          MetricHarness.floats(p, batch, n),
          MetricHarness.floats(w, batch));
      MetricHarness.update(
          mae,
          MetricHarness.floats(t, batch, n),
          MetricHarness.floats(p, batch, n),
          MetricHarness.floats(w, batch));
      MetricHarness.update(
          rmse,
          MetricHarness.floats(t, batch, n),
          MetricHarness.floats(p, batch, n),
          MetricHarness.floats(w, batch));
      assertEquals(refSquared.result(), mse.result(), TOL);
      assertEquals(refAbsolute.result(), mae.result(), TOL);
      assertEquals(
          Math.sqrt(refSquared.result()), rmse.result(), TOL, "the root of the running mean");
    }
    for (PredictionMetric metric : new PredictionMetric[] {mse, mae, rmse}) {
      metric.resetState();
      assertEquals(0.0, metric.result(), metric.name());
    }
    // after reset, unweighted: Keras's RMSE example [[0, 1], [0, 0]] vs [[1, 1], [0, 0]] -> 0.5
    MetricHarness.update(
        rmse,
        Tensors.floats(new float[] {0f, 1f, 0f, 0f}, 2, 2),
        Tensors.floats(new float[] {1f, 1f, 0f, 0f}, 2, 2),
        null);
    assertEquals(Math.sqrt((1.0 / 2 + 0) / 2), rmse.result(), TOL);
    MetricHarness.update(
        mse,
        Tensors.floats(new float[] {0f, 1f, 0f, 0f}, 2, 2),
        Tensors.floats(new float[] {1f, 1f, 0f, 0f}, 2, 2),
        null);
    assertEquals(0.25, mse.result(), TOL);
  }

  @Test
  void columnTargetsIntegerLabelsAndDoublePredictions() {
    // (batch,) int targets against (batch, 1) float64 predictions: ranks matched, computed in
    // float64
    var mse = new MeanSquaredError("mse");
    var mae = new MeanAbsoluteError("mae");
    var rmse = new RootMeanSquaredError("rmse");
    int[] t = {1, 2, 3};
    double[] p = {1.5, 2.0, 1.0};
    double[] w = {1, 2, 0.5};
    var sq = new MetricHarness.RefMean();
    var ab = new MetricHarness.RefMean();
    for (int i = 0; i < 3; i++) {
      sq.add((t[i] - p[i]) * (t[i] - p[i]), w[i]);
      ab.add(Math.abs(t[i] - p[i]), w[i]);
    }
    MetricHarness.update(
        mse, Tensors.ints(t, 3), MetricHarness.doubles(p, 3, 1), MetricHarness.floats(w, 3));
    MetricHarness.update(
        mae, Tensors.ints(t, 3), MetricHarness.doubles(p, 3, 1), MetricHarness.floats(w, 3, 1));
    MetricHarness.update(
        rmse, Tensors.ints(t, 3), MetricHarness.doubles(p, 3, 1), MetricHarness.floats(w, 3));
    assertEquals(sq.result(), mse.result(), TOL);
    assertEquals(ab.result(), mae.result(), TOL);
    assertEquals(Math.sqrt(sq.result()), rmse.result(), TOL);
  }

  @Test
  void elementWeightsOfRootMeanSquaredError() {
    // weights of the values' shape: per example mean(w * d^2) over mean(w), as Mean does
    var rmse = new RootMeanSquaredError();
    float[] t = {0f, 1f, 2f, 3f};
    float[] p = {1f, 1f, 0f, 0f};
    float[] w = {1f, 0f, 0.5f, 1f};
    MetricHarness.update(
        rmse, Tensors.floats(t, 2, 2), Tensors.floats(p, 2, 2), Tensors.floats(w, 2, 2));
    double total = (1 * 1 + 0 * 0) / 2.0 + (0.5 * 4 + 1 * 9) / 2.0;
    double count = (1 + 0) / 2.0 + (0.5 + 1) / 2.0;
    assertEquals(Math.sqrt(total / count), rmse.result(), TOL);
  }

  @Test
  void mismatchedShapesAreRejected() {
    var mse = new MeanSquaredError();
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                MetricHarness.update(
                    mse,
                    Tensors.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f}, 2, 3),
                    Tensors.floats(new float[] {1f, 2f, 3f, 4f}, 2, 2),
                    null));
    assertEquals(
        "Metric 'mean_squared_error' compares labels and predictions element by element: received"
            + " labels (None, 3) and predictions (None, 2).",
        e.getMessage());
  }
}
