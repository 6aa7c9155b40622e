package dev.tfkeras.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.metrics.AUC.Curve;
import dev.tfkeras.metrics.AUC.Summation;
import dev.tfkeras.testing.FreshRuntime;
import dev.tfkeras.testing.Tensors;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * AUC against a plain Java port of Keras's thresholded counts and Riemann sums, and against the
 * exact (Mann-Whitney) ROC AUC with many thresholds.
 */
@ExtendWith(FreshRuntime.class)
class AUCTest {

  private static final double TOL = 1e-5;

  /** Keras's AUC, computed the plain way: each prediction compared with each threshold. */
  static final class RefAUC {
    final int n;
    final float[] thresholds;
    final double[] tp;
    final double[] fp;
    final double[] tn;
    final double[] fn;

    RefAUC(int n) {
      this.n = n;
      thresholds = new float[n];
      thresholds[0] = (float) -1e-7;
      for (int i = 1; i < n - 1; i++) {
        thresholds[i] = (float) (i / (double) (n - 1));
      }
      thresholds[n - 1] = (float) (1 + 1e-7);
      tp = new double[n];
      fp = new double[n];
      tn = new double[n];
      fn = new double[n];
    }

    void add(double label, double prediction, double weight) {
      double p = Math.min(1, Math.max(0, prediction));
      for (int i = 0; i < n; i++) {
        boolean predicted = p > thresholds[i];
        boolean positive = label != 0;
        if (positive) {
          if (predicted) {
            tp[i] += weight;
          } else {
            fn[i] += weight;
          }
        } else if (predicted) {
          fp[i] += weight;
        } else {
          tn[i] += weight;
        }
      }
    }

    private static double ratio(double a, double b) {
      return b == 0 ? 0 : a / b;
    }

    double auc(Curve curve, Summation summation) {
      if (curve == Curve.PR && summation == Summation.INTERPOLATION) {
        return interpolatedPr();
      }
      double[] x = new double[n];
      double[] y = new double[n];
      for (int i = 0; i < n; i++) {
        double recall = ratio(tp[i], tp[i] + fn[i]);
        if (curve == Curve.ROC) {
          x[i] = ratio(fp[i], fp[i] + tn[i]);
          y[i] = recall;
        } else {
          x[i] = recall;
          y[i] = ratio(tp[i], tp[i] + fp[i]);
        }
      }
      double area = 0;
      for (int i = 0; i < n - 1; i++) {
        double height =
            switch (summation) {
              case INTERPOLATION -> (y[i] + y[i + 1]) / 2;
              case MINORING -> Math.min(y[i], y[i + 1]);
              case MAJORING -> Math.max(y[i], y[i + 1]);
            };
        area += (x[i] - x[i + 1]) * height;
      }
      return area;
    }

    /** Keras's interpolate_pr_auc, term by term. */
    private double interpolatedPr() {
      double area = 0;
      for (int i = 0; i < n - 1; i++) {
        double dtp = tp[i] - tp[i + 1];
        double pA = tp[i] + fp[i];
        double pB = tp[i + 1] + fp[i + 1];
        double slope = ratio(dtp, Math.max(pA - pB, 0));
        double intercept = tp[i + 1] - slope * pB;
        double safeRatio = pA > 0 && pB > 0 ? ratio(pA, Math.max(pB, 0)) : 1;
        area +=
            ratio(
                slope * (dtp + intercept * Math.log(safeRatio)),
                Math.max(tp[i + 1] + fn[i + 1], 0));
      }
      return area;
    }
  }

  /** The exact weighted ROC AUC: the chance a positive outranks a negative, ties counting half. */
  private static double exactRocAuc(int[] labels, double[] predictions, double[] weights) {
    double above = 0;
    double positives = 0;
    double negatives = 0;
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] != 0) {
        positives += weights[i];
      } else {
        negatives += weights[i];
      }
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] == 0) {
        continue;
      }
      for (int j = 0; j < labels.length; j++) {
        if (labels[j] != 0) {
          continue;
        }
        double pair = weights[i] * weights[j];
        if (predictions[i] > predictions[j]) {
          above += pair;
        } else if (predictions[i] == predictions[j]) {
          above += pair / 2;
        }
      }
    }
    return above / (positives * negatives);
  }

  @Test
  void kerasExampleAndItsReference() {
    // Keras's docstring: AUC(num_thresholds=3), [0, 0, 1, 1] vs [0, 0.5, 0.3, 0.9] -> 0.75, and
    // 1.0 weighted [1, 0, 0, 1]; the reference is checked on the same data
    var auc = new AUC("auc", 3, Curve.ROC, Summation.INTERPOLATION, false);
    float[] p = {0f, 0.5f, 0.3f, 0.9f};
    float[] y = {0f, 0f, 1f, 1f};
    var ref = new RefAUC(3);
    var weighted = new RefAUC(3);
    float[] w = {1f, 0f, 0f, 1f};
    for (int i = 0; i < 4; i++) {
      ref.add(y[i], p[i], 1);
      weighted.add(y[i], p[i], w[i]);
    }
    assertEquals(0.75, ref.auc(Curve.ROC, Summation.INTERPOLATION), 1e-12);
    assertEquals(1.0, weighted.auc(Curve.ROC, Summation.INTERPOLATION), 1e-12);
    MetricHarness.update(auc, Tensors.vector(y), Tensors.vector(p), null);
    assertEquals(ref.auc(Curve.ROC, Summation.INTERPOLATION), auc.result(), TOL);
    auc.resetState();
    assertEquals(0.0, auc.result());
    MetricHarness.update(auc, Tensors.vector(y), Tensors.vector(p), Tensors.vector(w));
    assertEquals(weighted.auc(Curve.ROC, Summation.INTERPOLATION), auc.result(), TOL);
  }

  @Test
  void rocAndPrWithWeightsOverSeveralBatches() {
    var random = new Random(13);
    var roc = new AUC();
    var pr = new AUC("pr_auc", Curve.PR);
    assertEquals("auc", roc.name());
    assertEquals(200, roc.numThresholds());
    assertEquals(Curve.ROC, roc.curve());
    assertEquals(Summation.INTERPOLATION, roc.summation());
    assertEquals((float) -1e-7, roc.thresholds()[0]);
    assertEquals((float) (1 + 1e-7), roc.thresholds()[199]);
    assertEquals((float) (1 / 199.0), roc.thresholds()[1]);
    var ref = new RefAUC(200);
    for (int batch : new int[] {40, 25, 9}) {
      double[] p = MetricHarness.uniform(random, batch);
      int[] y = new int[batch];
      for (int i = 0; i < batch; i++) {
        // informative but noisy labels
        y[i] = random.nextDouble() < p[i] ? 1 : 0;
      }
      p[0] = 0; // the epsilon ends: exactly 0 and 1 fall inside
      p[1] = 1;
      double[] w = MetricHarness.weights(random, batch);
      for (int i = 0; i < batch; i++) {
        ref.add(y[i], p[i], w[i]);
      }
      MetricHarness.update(
          roc,
          Tensors.ints(y, batch, 1),
          MetricHarness.floats(p, batch, 1),
          MetricHarness.floats(w, batch));
      MetricHarness.update(
          pr,
          Tensors.ints(y, batch),
          MetricHarness.floats(p, batch),
          MetricHarness.floats(w, batch));
      assertEquals(ref.auc(Curve.ROC, Summation.INTERPOLATION), roc.result(), TOL);
      assertEquals(ref.auc(Curve.PR, Summation.INTERPOLATION), pr.result(), 1e-4);
    }
    roc.resetState();
    pr.resetState();
    assertEquals(0.0, roc.result());
    assertEquals(0.0, pr.result());
    var fresh = new RefAUC(200);
    double[] p = MetricHarness.uniform(random, 12);
    int[] y = MetricHarness.classes(random, 12, 2);
    for (int i = 0; i < 12; i++) {
      fresh.add(y[i], p[i], 1);
    }
    MetricHarness.update(roc, Tensors.ints(y, 12), MetricHarness.floats(p, 12), null);
    MetricHarness.update(pr, Tensors.ints(y, 12), MetricHarness.floats(p, 12), null);
    assertEquals(fresh.auc(Curve.ROC, Summation.INTERPOLATION), roc.result(), TOL);
    assertEquals(fresh.auc(Curve.PR, Summation.INTERPOLATION), pr.result(), 1e-4);
  }

  @Test
  void minoringAndMajoringBoundTheInterpolation() {
    var random = new Random(17);
    int batch = 60;
    double[] p = MetricHarness.uniform(random, batch);
    int[] y = new int[batch];
    for (int i = 0; i < batch; i++) {
      y[i] = random.nextDouble() < p[i] ? 1 : 0;
    }
    double[] w = MetricHarness.weights(random, batch);
    var ref = new RefAUC(20);
    for (int i = 0; i < batch; i++) {
      ref.add(y[i], p[i], w[i]);
    }
    for (Curve curve : Curve.values()) {
      double[] values = new double[3];
      for (Summation summation : Summation.values()) {
        var auc = new AUC(curve + "_" + summation, 20, curve, summation, false);
        MetricHarness.update(
            auc,
            Tensors.ints(y, batch),
            MetricHarness.floats(p, batch),
            MetricHarness.floats(w, batch));
        assertEquals(ref.auc(curve, summation), auc.result(), 1e-4, curve + " " + summation);
        values[summation.ordinal()] = auc.result();
      }
      assertTrue(
          values[Summation.MINORING.ordinal()] <= values[Summation.INTERPOLATION.ordinal()],
          curve.name());
      assertTrue(
          values[Summation.INTERPOLATION.ordinal()] <= values[Summation.MAJORING.ordinal()],
          curve.name());
    }
  }

  @Test
  void manyThresholdsApproachTheExactRocAuc() {
    var random = new Random(29);
    int batch = 400;
    double[] p = MetricHarness.uniform(random, batch);
    int[] y = new int[batch];
    for (int i = 0; i < batch; i++) {
      y[i] = random.nextDouble() < 0.3 + 0.4 * p[i] ? 1 : 0; // weakly informative: AUC near 0.6
    }
    double[] w = MetricHarness.weights(random, batch);
    double exact = exactRocAuc(y, p, w);
    var coarse = new AUC("coarse", 10, Curve.ROC, Summation.INTERPOLATION, false);
    var fine = new AUC("fine", 20000, Curve.ROC, Summation.INTERPOLATION, false);
    MetricHarness.update(
        coarse,
        Tensors.ints(y, batch),
        MetricHarness.floats(p, batch),
        MetricHarness.floats(w, batch));
    MetricHarness.update(
        fine,
        Tensors.ints(y, batch),
        MetricHarness.floats(p, batch),
        MetricHarness.floats(w, batch));
    double coarseError = Math.abs(coarse.result() - exact);
    double fineError = Math.abs(fine.result() - exact);
    assertTrue(fineError < 1e-3, "20000 thresholds: " + fine.result() + " vs exact " + exact);
    assertTrue(fineError < coarseError, "finer is closer: " + fineError + " vs " + coarseError);
  }

  @Test
  void logitsClippingAndFlattenedColumns() {
    var random = new Random(31);
    int batch = 20;
    double[] p = MetricHarness.uniform(random, batch * 2);
    p[0] = -0.5; // clipped to 0
    p[1] = 1.5; // clipped to 1
    int[] y = MetricHarness.classes(random, batch * 2, 2);
    double[] w = MetricHarness.weights(random, batch);
    var ref = new RefAUC(50);
    double[] logits = new double[batch * 2];
    for (int i = 0; i < batch * 2; i++) {
      ref.add(y[i], p[i], w[i / 2]);
      double q = Math.min(1 - 1e-3, Math.max(1e-3, p[i]));
      logits[i] = Math.log(q / (1 - q));
    }
    var flattened = new AUC("flat", 50, Curve.ROC, Summation.INTERPOLATION, false);
    MetricHarness.update(
        flattened,
        Tensors.ints(y, batch, 2),
        MetricHarness.floats(p, batch, 2),
        MetricHarness.floats(w, batch));
    assertEquals(ref.auc(Curve.ROC, Summation.INTERPOLATION), flattened.result(), TOL);

    var fromLogits = new AUC("logits", 50, Curve.ROC, Summation.INTERPOLATION, true);
    var refLogits = new RefAUC(50);
    for (int i = 0; i < batch * 2; i++) {
      refLogits.add(y[i], 1 / (1 + Math.exp(-(float) logits[i])), w[i / 2]);
    }
    MetricHarness.update(
        fromLogits,
        Tensors.ints(y, batch, 2),
        MetricHarness.floats(logits, batch, 2),
        MetricHarness.floats(w, batch));
    assertEquals(refLogits.auc(Curve.ROC, Summation.INTERPOLATION), fromLogits.result(), 1e-4);
  }

  @Test
  void invalidSettingsAreRejected() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new AUC("auc", 1, Curve.ROC, Summation.INTERPOLATION, false));
    assertEquals(
        "Argument `num_thresholds` must be an integer > 1. Received: num_thresholds=1.",
        e.getMessage());
    var auc = new AUC();
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                MetricHarness.update(
                    auc,
                    Tensors.floats(new float[] {1f, 0f, 1f, 0f, 1f, 0f}, 2, 3),
                    Tensors.floats(new float[] {0.2f, 0.4f, 0.6f, 0.8f}, 2, 2),
                    null));
    assertEquals(
        "Metric 'auc' needs one label per prediction: received labels (None, 3) and predictions"
            + " (None, 2).",
        e.getMessage());
  }
}
