package dev.tfkeras.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.metrics.AUC.Curve;
import dev.tfkeras.metrics.AUC.Summation;
import dev.tfkeras.testing.FreshRuntime;
import dev.tfkeras.testing.Tensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Metrics' typed fluent setters with Keras's names, fixed once the metric is traced. */
@ExtendWith(FreshRuntime.class)
class MetricSettersTest {

  @Test
  void binaryAccuracyThreshold() {
    // logits [-1, 0.5, 2] against labels [0, 0, 1] at threshold 0: right, wrong, right
    var accuracy = new BinaryAccuracy().threshold(0.0);
    assertEquals(0.0, accuracy.threshold());
    MetricHarness.update(
        accuracy,
        Tensors.floats(new float[] {0, 0, 1}, 3, 1),
        Tensors.floats(new float[] {-1f, 0.5f, 2f}, 3, 1),
        null);
    assertEquals(2 / 3.0, accuracy.result(), 1e-6);
    var e = assertThrows(IllegalStateException.class, () -> accuracy.threshold(0.5));
    assertEquals(
        "Metric 'binary_accuracy' has already been updated in a traced function, which fixed its"
            + " settings: set threshold before the first update, or create a new metric.",
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new BinaryAccuracy().threshold(Double.NaN));
  }

  @Test
  void topKSetsK() {
    // the label's class (2) is the second highest prediction: in the top 2, not the top 1
    var top2 = new TopKCategoricalAccuracy().k(2);
    assertEquals(2, top2.k());
    MetricHarness.update(
        top2,
        Tensors.floats(new float[] {0, 0, 1}, 1, 3),
        Tensors.floats(new float[] {0.5f, 0.1f, 0.4f}, 1, 3),
        null);
    assertEquals(1.0, top2.result(), 0);
    var top1 = new SparseTopKCategoricalAccuracy().k(1);
    MetricHarness.update(
        top1, Tensors.ints(new int[] {2}, 1), Tensors.floats(new float[] {0.5f, 0.1f, 0.4f}, 1, 3), null);
    assertEquals(0.0, top1.result(), 0);
    assertThrows(IllegalArgumentException.class, () -> new SparseTopKCategoricalAccuracy().k(0));
  }

  @Test
  void aucCurveSummationAndLogits() {
    var auc = new AUC().curve("pr").summationMethod("majoring").fromLogits(true);
    assertEquals(Curve.PR, auc.curve());
    assertEquals(Summation.MAJORING, auc.summation());
    assertTrue(auc.fromLogits());
    var e = assertThrows(IllegalArgumentException.class, () -> new AUC().curve("roc_pr"));
    assertEquals(
        "Invalid `curve` argument value \"roc_pr\". Expected one of: [ROC, PR].", e.getMessage());
    // Keras's docstring example (AUC(num_thresholds=3) -> 0.75) with the curve set by name
    var roc = new AUC("auc", 3, Curve.PR, Summation.INTERPOLATION, false).curve("ROC");
    MetricHarness.update(
        roc,
        Tensors.floats(new float[] {0, 0, 1, 1}, 4),
        Tensors.floats(new float[] {0f, 0.5f, 0.3f, 0.9f}, 4),
        null);
    assertEquals(0.75, roc.result(), 1e-6);
    assertThrows(IllegalStateException.class, () -> roc.curve(Curve.PR));
  }
}
