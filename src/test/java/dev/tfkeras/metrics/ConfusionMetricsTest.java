package dev.tfkeras.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tfkeras.testing.FreshRuntime;
import dev.tfkeras.testing.Tensors;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.types.TFloat32;

/** Precision and Recall against a plain Java confusion count. */
@ExtendWith(FreshRuntime.class)
class ConfusionMetricsTest {

  private static final double TOL = 1e-5;

  /** Weighted tp, fp, fn per threshold: positive when p > t, label positive when non-zero. */
  static final class RefCounts {
    final double[] thresholds;
    final double[] tp;
    final double[] fp;
    final double[] fn;

    RefCounts(double... thresholds) {
      this.thresholds = thresholds;
      tp = new double[thresholds.length];
      fp = new double[thresholds.length];
      fn = new double[thresholds.length];
    }

    void add(double label, double prediction, double weight) {
      for (int i = 0; i < thresholds.length; i++) {
        boolean predicted = prediction > (float) thresholds[i];
        boolean positive = label != 0;
        if (positive && predicted) {
          tp[i] += weight;
        } else if (!positive && predicted) {
          fp[i] += weight;
        } else if (positive) {
          fn[i] += weight;
        }
      }
    }

    double[] precision() {
      double[] out = new double[tp.length];
      for (int i = 0; i < out.length; i++) {
        out[i] = tp[i] + fp[i] == 0 ? 0 : tp[i] / (tp[i] + fp[i]);
      }
      return out;
    }

    double[] recall() {
      double[] out = new double[tp.length];
      for (int i = 0; i < out.length; i++) {
        out[i] = tp[i] + fn[i] == 0 ? 0 : tp[i] / (tp[i] + fn[i]);
      }
      return out;
    }
  }

  @Test
  void defaultThresholdWithWeightsOverSeveralBatches() {
    var random = new Random(21);
    var precision = new Precision();
    var recall = new Recall();
    assertEquals("precision", precision.name());
    assertEquals("recall", recall.name());
    assertEquals(0.0, precision.result());
    var ref = new RefCounts(0.5);
    for (int batch : new int[] {6, 9, 2}) {
      double[] p = MetricHarness.uniform(random, batch);
      int[] y = MetricHarness.classes(random, batch, 2);
      double[] w = MetricHarness.weights(random, batch);
      for (int i = 0; i < batch; i++) {
        ref.add(y[i], p[i], w[i]);
      }
      MetricHarness.update(
          precision,
          Tensors.ints(y, batch),
          MetricHarness.floats(p, batch),
          MetricHarness.floats(w, batch));
      MetricHarness.update(
          recall,
          Tensors.ints(y, batch, 1),
          MetricHarness.floats(p, batch, 1),
          MetricHarness.floats(w, batch));
      assertEquals(ref.precision()[0], precision.result(), TOL);
      assertEquals(ref.recall()[0], recall.result(), TOL);
    }
    precision.resetState();
    recall.resetState();
    assertEquals(0.0, precision.result());
    assertEquals(0.0, recall.result());
    // Keras's example: [0, 1, 1, 1] vs [1, 0, 1, 1] -> precision 2/3, recall 2/3; 0.5 is not above
    MetricHarness.update(
        precision, Tensors.vector(0f, 1f, 1f, 1f, 0f), Tensors.vector(1f, 0f, 1f, 1f, 0.5f), null);
    MetricHarness.update(
        recall, Tensors.vector(0f, 1f, 1f, 1f, 1f), Tensors.vector(1f, 0f, 1f, 1f, 0.5f), null);
    assertEquals(2.0 / 3, precision.result(), TOL);
    assertEquals(2.0 / 4, recall.result(), TOL);
  }

  @Test
  void severalThresholdsGiveOneValueEach() {
    var random = new Random(4);
    double[] uneven = {0.3, 0.5, 0.8};
    double[] even = {0, 0.25, 0.5, 0.75, 1}; // Keras's bucketed path
    var precision = new Precision("p", uneven);
    var recall = new Recall("r", even);
    var evenPrecision = new Precision("pe", even);
    var refUneven = new RefCounts(uneven);
    var refEven = new RefCounts(even);
    for (int batch : new int[] {10, 7}) {
      double[] p = MetricHarness.uniform(random, batch * 2);
      // values exactly on the thresholds and at the ends
      p[0] = 0;
      p[1] = 1;
      p[2] = 0.5;
      p[3] = 0.25;
      int[] y = MetricHarness.classes(random, batch * 2, 3); // labels 0, 1, 2: non-zero is positive
      double[] w = MetricHarness.weights(random, batch);
      for (int i = 0; i < batch * 2; i++) {
        refUneven.add(y[i], p[i], w[i / 2]);
        refEven.add(y[i], p[i], w[i / 2]);
      }
      // two columns per example, one weight per example
      MetricHarness.update(
          precision,
          Tensors.ints(y, batch, 2),
          MetricHarness.floats(p, batch, 2),
          MetricHarness.floats(w, batch));
      MetricHarness.update(
          recall,
          Tensors.ints(y, batch, 2),
          MetricHarness.floats(p, batch, 2),
          MetricHarness.floats(w, batch));
      MetricHarness.update(
          evenPrecision,
          Tensors.ints(y, batch, 2),
          MetricHarness.floats(p, batch, 2),
          MetricHarness.floats(w, batch));
    }
    assertArrayEquals(refUneven.precision(), precision.resultValues(), TOL);
    assertArrayEquals(refEven.recall(), recall.resultValues(), TOL);
    assertArrayEquals(refEven.precision(), evenPrecision.resultValues(), TOL);

    var e = assertThrows(IllegalArgumentException.class, precision::result);
    assertEquals(
        "Metric 'p' has 3 values (one per threshold) and cannot be reported as one number: read it"
            + " with resultValues(), or give it a single threshold.",
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Metric.results(List.of(recall)));
    assertArrayEquals(
        new double[3], new Precision("fresh", uneven).resultValues(), "before any update");
    precision.resetState();
    assertArrayEquals(new double[3], precision.resultValues(), "after reset");
  }

  @Test
  void topKCountsOnlyTheHighestPredictionsOfEachSample() {
    var random = new Random(8);
    int classes = 5;
    int batch = 12;
    double[] p = MetricHarness.uniform(random, batch * classes);
    int[] y = MetricHarness.classes(random, batch * classes, 2); // multi-label
    double[] w = MetricHarness.weights(random, batch);
    var precision = new Precision("p", null, 2, null);
    var recall = new Recall("r", null, 2, null);
    var thresholded = new Precision("pt", new double[] {0.6}, 2, null);
    var ref = new RefCounts(ConfusionMatrix.NEG_INF);
    var refThreshold = new RefCounts(0.6);
    for (int i = 0; i < batch; i++) {
      // the two highest of the row (random floats: no ties) keep their value, the rest -1e10
      Integer[] order = {0, 1, 2, 3, 4};
      final int row = i;
      java.util.Arrays.sort(
          order, (a, b) -> Double.compare(p[row * classes + b], p[row * classes + a]));
      for (int c = 0; c < classes; c++) {
        boolean top = c == order[0] || c == order[1];
        double filtered = top ? p[i * classes + c] : ConfusionMatrix.NEG_INF;
        ref.add(y[i * classes + c], filtered, w[i]);
        refThreshold.add(y[i * classes + c], filtered, w[i]);
      }
    }
    MetricHarness.update(
        precision,
        Tensors.ints(y, batch, classes),
        MetricHarness.floats(p, batch, classes),
        MetricHarness.floats(w, batch));
    MetricHarness.update(
        recall,
        Tensors.ints(y, batch, classes),
        MetricHarness.floats(p, batch, classes),
        MetricHarness.floats(w, batch));
    MetricHarness.update(
        thresholded,
        Tensors.ints(y, batch, classes),
        MetricHarness.floats(p, batch, classes),
        MetricHarness.floats(w, batch));
    assertEquals(ref.precision()[0], precision.result(), TOL);
    assertEquals(ref.recall()[0], recall.result(), TOL);
    assertEquals(refThreshold.precision()[0], thresholded.result(), TOL);
  }

  @Test
  void classIdMeasuresOneColumn() {
    var random = new Random(9);
    int classes = 3;
    int batch = 15;
    double[] p = MetricHarness.uniform(random, batch * classes);
    int[] y = MetricHarness.classes(random, batch * classes, 2);
    double[] w = MetricHarness.weights(random, batch);
    var precision = new Precision("p", null, null, 1);
    var recall = new Recall("r", new double[] {0.4}, null, 2);
    var refPrecision = new RefCounts(0.5);
    var refRecall = new RefCounts(0.4);
    for (int i = 0; i < batch; i++) {
      refPrecision.add(y[i * classes + 1], p[i * classes + 1], w[i]);
      refRecall.add(y[i * classes + 2], p[i * classes + 2], w[i]);
    }
    MetricHarness.update(
        precision,
        Tensors.ints(y, batch, classes),
        MetricHarness.floats(p, batch, classes),
        MetricHarness.floats(w, batch));
    MetricHarness.update(
        recall,
        Tensors.ints(y, batch, classes),
        MetricHarness.floats(p, batch, classes),
        MetricHarness.floats(w, batch));
    assertEquals(refPrecision.precision()[0], precision.result(), TOL);
    assertEquals(refRecall.recall()[0], recall.result(), TOL);

    var outOfRange = new Precision("bad", null, null, 3);
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                MetricHarness.update(
                    outOfRange,
                    Tensors.ints(y, batch, classes),
                    MetricHarness.floats(p, batch, classes),
                    null));
    assertEquals(
        "Metric 'bad' has class_id=3 but the predictions (None, 3) hold 3 classes.",
        e.getMessage());
  }

  @Test
  void weightsOfEveryShapeKerasAccepts() {
    var random = new Random(12);
    int batch = 9;
    int classes = 2;
    double[] p = MetricHarness.uniform(random, batch * classes);
    int[] y = MetricHarness.classes(random, batch * classes, 2);
    double[] w = MetricHarness.weights(random, batch * classes);
    var perElement = new RefCounts(0.5);
    var perExample = new RefCounts(0.5);
    var unweighted = new RefCounts(0.5);
    for (int i = 0; i < batch * classes; i++) {
      perElement.add(y[i], p[i], w[i]);
      perExample.add(y[i], p[i], w[i / classes * classes]);
      unweighted.add(y[i], p[i], 1);
    }
    // (batch, classes) weights: one per prediction
    var element = new Recall("element");
    MetricHarness.update(
        element,
        Tensors.ints(y, batch, classes),
        MetricHarness.floats(p, batch, classes),
        MetricHarness.floats(w, batch, classes));
    assertEquals(perElement.recall()[0], element.result(), TOL);
    // (batch, 1) weights: one per example, like (batch,)
    double[] first = new double[batch];
    for (int i = 0; i < batch; i++) {
      first[i] = w[i * classes];
    }
    var column = new Recall("column");
    MetricHarness.update(
        column,
        Tensors.ints(y, batch, classes),
        MetricHarness.floats(p, batch, classes),
        MetricHarness.floats(first, batch, 1));
    assertEquals(perExample.recall()[0], column.result(), TOL);
    // a scalar weight scales every count alike: the ratio is the unweighted one
    var scalar = new Precision("scalar");
    MetricHarness.update(
        scalar,
        Tensors.ints(y, batch, classes),
        MetricHarness.floats(p, batch, classes),
        TFloat32.scalarOf(3f));
    assertEquals(unweighted.precision()[0], scalar.result(), TOL);
    // single-column data: (batch, 1) labels and predictions with (batch,) or (batch, 1) weights
    var single = new RefCounts(0.5);
    for (int i = 0; i < batch; i++) {
      single.add(y[i], p[i], first[i]);
    }
    var flat = new Precision("flat");
    var col = new Precision("col");
    MetricHarness.update(
        flat,
        Tensors.ints(java.util.Arrays.copyOf(y, batch), batch, 1),
        MetricHarness.floats(java.util.Arrays.copyOf(p, batch), batch, 1),
        MetricHarness.floats(first, batch));
    MetricHarness.update(
        col,
        Tensors.ints(java.util.Arrays.copyOf(y, batch), batch),
        MetricHarness.floats(java.util.Arrays.copyOf(p, batch), batch, 1),
        MetricHarness.floats(first, batch, 1));
    assertEquals(single.precision()[0], flat.result(), TOL);
    assertEquals(single.precision()[0], col.result(), TOL);
  }

  @Test
  void invalidSettingsAreRejected() {
    var e = assertThrows(IllegalArgumentException.class, () -> new Precision("p", 0.5, 1.5));
    assertEquals(
        "Threshold values must be in [0, 1]. Received: [0.5, 1.5] for metric 'p'.", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new Recall("r", null, 0, null));
    assertEquals("Metric 'r' needs topK >= 1 or null, received: topK=0.", e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> new Recall("r", new double[0], null, null));
    assertEquals("Metric 'r' needs at least one threshold, received none.", e.getMessage());
  }
}
