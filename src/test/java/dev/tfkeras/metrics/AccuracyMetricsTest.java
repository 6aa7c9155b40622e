package dev.tfkeras.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tfkeras.function.TfFunction;
import dev.tfkeras.testing.FreshRuntime;
import dev.tfkeras.testing.Tensors;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TUint8;

/**
 * The accuracy metrics over batches of varying size, with and without sample weights, against Java
 * references.
 */
@ExtendWith(FreshRuntime.class)
class AccuracyMetricsTest {

  private static final double TOL = 1e-6;

  // 11 samples of 3 classes; arg-max per row: 0 1 2 0 | 1 1 2 2 | 0 2 1
  private static final float[] PREDICTIONS = {
    0.8f, 0.1f, 0.1f,
    0.2f, 0.7f, 0.1f,
    0.1f, 0.2f, 0.7f,
    0.5f, 0.3f, 0.2f,
    0.3f, 0.6f, 0.1f,
    0.1f, 0.8f, 0.1f,
    0.2f, 0.2f, 0.6f,
    0.3f, 0.3f, 0.4f,
    0.9f, 0.05f, 0.05f,
    0.1f, 0.1f, 0.8f,
    0.2f, 0.5f, 0.3f
  };
  // right: yes yes yes no (3/4) | no yes yes no (2/4) | yes no no (1/3)
  private static final int[] LABELS = {0, 1, 2, 1, 0, 1, 2, 0, 0, 1, 0};
  private static final int[][] BATCHES = {{0, 4}, {4, 8}, {8, 11}};

  private static TFloat32 predictions(int from, int to) {
    float[] slice = new float[(to - from) * 3];
    System.arraycopy(PREDICTIONS, from * 3, slice, 0, slice.length);
    return Tensors.floats(slice, to - from, 3);
  }

  private static int[] labels(int from, int to) {
    int[] slice = new int[to - from];
    System.arraycopy(LABELS, from, slice, 0, slice.length);
    return slice;
  }

  @Test
  void sparseAccuracyCountsRealSamplesAcrossAPartialLastBatch() {
    var accuracy = new SparseCategoricalAccuracy();
    assertEquals("sparse_categorical_accuracy", accuracy.name());
    assertEquals(0.0, accuracy.result(), "result before any update");
    var update = TfFunction.of(TFloat32.class, TInt32.class, (p, y) -> accuracy.update(y, p));
    double[] after = {3.0 / 4, 5.0 / 8, 6.0 / 11};
    for (int b = 0; b < BATCHES.length; b++) {
      int from = BATCHES[b][0];
      int to = BATCHES[b][1];
      try (TFloat32 p = predictions(from, to);
          TInt32 y = Tensors.ints(labels(from, to), to - from)) {
        update.call(p, y);
      }
      assertEquals(after[b], accuracy.result(), TOL, "after batch " + b);
    }
    // 6/11 = .545; the mean of the batch accuracies would be (.75 + .5 + .333)/3 = .528
    assertEquals(1, update.traceCount(), "one trace for every batch size");

    accuracy.resetState();
    assertEquals(0.0, accuracy.result());
    try (TFloat32 p = predictions(8, 11);
        TInt32 y = Tensors.ints(labels(8, 11), 3)) {
      update.call(p, y);
    }
    assertEquals(1.0 / 3, accuracy.result(), TOL, "after reset, only the new batch");
  }

  @Test
  void sparseAccuracyAcceptsColumnLabelsAndOtherIntegerTypes() {
    var column = new SparseCategoricalAccuracy("column");
    var bytes = new SparseCategoricalAccuracy("bytes");
    var byColumn = TfFunction.of(TFloat32.class, TInt64.class, (p, y) -> column.update(y, p));
    var byBytes = TfFunction.of(TFloat32.class, TUint8.class, (p, y) -> bytes.update(y, p));
    for (int[] batch : BATCHES) {
      int n = batch[1] - batch[0];
      long[] asLongs = java.util.Arrays.stream(labels(batch[0], batch[1])).asLongStream().toArray();
      try (TFloat32 p = predictions(batch[0], batch[1]);
          TInt64 y = Tensors.longs(asLongs, n, 1);
          TUint8 u = Tensors.bytes(labels(batch[0], batch[1]), n)) {
        byColumn.call(p, y);
        byBytes.call(p, u);
      }
    }
    assertEquals(6.0 / 11, column.result(), TOL, "int64 labels of shape (batch, 1)");
    assertEquals(6.0 / 11, bytes.result(), TOL, "uint8 labels of shape (batch,)");
  }

  @Test
  void categoricalAccuracyWithOneHotLabels() {
    var accuracy = new CategoricalAccuracy();
    assertEquals("categorical_accuracy", accuracy.name());
    assertEquals(0.0, accuracy.result());
    var update = TfFunction.of(TFloat32.class, TFloat32.class, (p, y) -> accuracy.update(y, p));
    for (int[] batch : BATCHES) {
      int n = batch[1] - batch[0];
      float[] oneHot = new float[n * 3];
      int[] classes = labels(batch[0], batch[1]);
      for (int i = 0; i < n; i++) {
        oneHot[i * 3 + classes[i]] = 1f;
      }
      try (TFloat32 p = predictions(batch[0], batch[1]);
          TFloat32 y = Tensors.floats(oneHot, n, 3)) {
        update.call(p, y);
      }
    }
    assertEquals(6.0 / 11, accuracy.result(), TOL);
    assertEquals(1, update.traceCount());
  }

  @Test
  void accuracyComparesElementByElement() {
    var accuracy = new Accuracy();
    assertEquals("accuracy", accuracy.name());
    assertEquals(0.0, accuracy.result());
    var update = TfFunction.of(TInt32.class, TInt32.class, (y, p) -> accuracy.update(y, p));
    try (TInt32 y = Tensors.ints(new int[] {1, 2, 3, 4}, 4);
        TInt32 p = Tensors.ints(new int[] {1, 2, 0, 4}, 4)) {
      update.call(y, p);
    }
    assertEquals(0.75, accuracy.result(), TOL);
    try (TInt32 y = Tensors.ints(new int[] {7}, 1);
        TInt32 p = Tensors.ints(new int[] {8}, 1)) {
      update.call(y, p);
    }
    assertEquals(3.0 / 5, accuracy.result(), TOL, "partial batch of one");

    // every element of a matrix counts, float predictions compare exactly
    var matrix = new Accuracy("matrix");
    var floats = TfFunction.of(TFloat32.class, TFloat32.class, (y, p) -> matrix.update(y, p));
    try (TFloat32 y = Tensors.floats(new float[] {1f, 0f, 0f, 1f, 1f, 1f}, 2, 3);
        TFloat32 p = Tensors.floats(new float[] {1f, 0f, 1f, 1f, 0.5f, 1f}, 2, 3)) {
      floats.call(y, p);
    }
    assertEquals(4.0 / 6, matrix.result(), TOL);
  }

  @Test
  void accuracyRejectsMismatchedShapes() {
    var accuracy = new Accuracy();
    var update = TfFunction.of(TInt32.class, TInt32.class, (y, p) -> accuracy.update(y, p));
    try (TInt32 y = Tensors.ints(new int[] {1, 2, 3, 4, 5, 6}, 2, 3);
        TInt32 p = Tensors.ints(new int[] {1, 2, 3, 4}, 2, 2)) {
      var e = assertThrows(IllegalArgumentException.class, () -> update.call(y, p));
      assertEquals(
          "Accuracy compares labels and predictions element by element: shapes must match, received"
              + " labels (None, 3) and predictions (None, 2).",
          e.getMessage());
    }
    assertEquals(0.0, accuracy.result(), "nothing was accumulated");
  }

  @Test
  void sparseAccuracyRejectsOneHotLabels() {
    var accuracy = new SparseCategoricalAccuracy();
    var update = TfFunction.of(TFloat32.class, TInt32.class, (p, y) -> accuracy.update(y, p));
    try (TFloat32 p = predictions(0, 2);
        TInt32 y = Tensors.ints(new int[] {1, 0, 0, 0, 1, 0}, 2, 3)) {
      var e = assertThrows(IllegalArgumentException.class, () -> update.call(p, y));
      assertEquals(
          "Sparse labels must have shape (batch,) or (batch, 1) for predictions of shape (None, 3),"
              + " received labels of shape (None, 3). One-hot labels need CategoricalAccuracy.",
          e.getMessage());
    }
  }

  // ---- weights, dtypes and the other accuracies, against Java references ----------------------

  private static int argMax(float[] rows, int row, int classes) {
    int best = 0;
    for (int c = 1; c < classes; c++) {
      if (rows[row * classes + c] > rows[row * classes + best]) {
        best = c;
      }
    }
    return best;
  }

  /** TensorFlow's in_top_k: fewer than k scores strictly above the target's. */
  private static boolean inTopK(float[] rows, int row, int classes, int target, int k) {
    int above = 0;
    for (int c = 0; c < classes; c++) {
      if (rows[row * classes + c] > rows[row * classes + target]) {
        above++;
      }
    }
    return above < k;
  }

  @Test
  void sparseAndCategoricalAccuracyWithSampleWeightsOverSeveralBatches() {
    var random = new Random(7);
    int classes = 4;
    var sparse = new SparseCategoricalAccuracy();
    var sparseColumn = new SparseCategoricalAccuracy("column_weights");
    var categorical = new CategoricalAccuracy();
    var reference = new MetricHarness.RefMean();
    for (int batch : new int[] {5, 8, 3}) {
      float[] p = toFloats(MetricHarness.uniform(random, batch * classes));
      int[] y = MetricHarness.classes(random, batch, classes);
      double[] w = MetricHarness.weights(random, batch);
      for (int i = 0; i < batch; i++) {
        reference.add(argMax(p, i, classes) == y[i] ? 1 : 0, w[i]);
      }
      MetricHarness.update(
          sparse,
          Tensors.ints(y, batch),
          Tensors.floats(p, batch, classes),
          MetricHarness.floats(w, batch));
      MetricHarness.update(
          sparseColumn,
          Tensors.ints(y, batch, 1),
          Tensors.floats(p, batch, classes),
          MetricHarness.floats(w, batch, 1));
      MetricHarness.update(
          categorical,
          Tensors.floats(MetricHarness.oneHot(y, classes), batch, classes),
          Tensors.floats(p, batch, classes),
          MetricHarness.floats(w, batch));
      assertEquals(reference.result(), sparse.result(), TOL);
      assertEquals(reference.result(), sparseColumn.result(), TOL);
      assertEquals(reference.result(), categorical.result(), TOL);
    }
    for (PredictionMetric metric : new PredictionMetric[] {sparse, sparseColumn, categorical}) {
      metric.resetState();
      assertEquals(0.0, metric.result(), metric.name());
    }
    // after reset: one batch, weighted 0 for the wrong sample
    float[] p = {0.1f, 0.9f, 0f, 0f, 0.8f, 0.2f, 0f, 0f};
    MetricHarness.update(
        sparse,
        Tensors.ints(new int[] {1, 1}, 2),
        Tensors.floats(p, 2, classes),
        Tensors.vector(0.7f, 0f));
    assertEquals(1.0, sparse.result(), TOL);
  }

  @Test
  void sparseAccuracyTakesFloatLabelsAndDoublePredictions() {
    var accuracy = new SparseCategoricalAccuracy();
    // float labels, as Keras casts them to the predictions' dtype; float64 predictions
    double[] p = {0.2, 0.8, 0.6, 0.4, 0.3, 0.7};
    MetricHarness.update(
        accuracy, Tensors.vector(1f, 1f, 1f), MetricHarness.doubles(p, 3, 2), null);
    assertEquals(2.0 / 3, accuracy.result(), TOL);
  }

  @Test
  void binaryAccuracyThresholdsPredictions() {
    var random = new Random(11);
    var accuracy = new BinaryAccuracy();
    assertEquals("binary_accuracy", accuracy.name());
    assertEquals(0.5, accuracy.threshold());
    var logits = new BinaryAccuracy("logits", 0.0);
    var reference = new MetricHarness.RefMean();
    var logitReference = new MetricHarness.RefMean();
    for (int batch : new int[] {6, 4, 1}) {
      double[] p = MetricHarness.uniform(random, batch);
      double[] w = MetricHarness.weights(random, batch);
      int[] y = MetricHarness.classes(random, batch, 2);
      float[] z = new float[batch];
      for (int i = 0; i < batch; i++) {
        reference.add(((p[i] > 0.5) ? 1 : 0) == y[i] ? 1 : 0, w[i]);
        z[i] = (float) (p[i] - 0.5);
        logitReference.add(((z[i] > 0) ? 1 : 0) == y[i] ? 1 : 0, 1);
      }
      // (batch, 1) predictions with (batch,) int labels and (batch,) weights
      MetricHarness.update(
          accuracy,
          Tensors.ints(y, batch),
          MetricHarness.floats(p, batch, 1),
          MetricHarness.floats(w, batch));
      MetricHarness.update(
          logits, Tensors.floats(toFloats(y), batch, 1), Tensors.floats(z, batch, 1), null);
      assertEquals(reference.result(), accuracy.result(), TOL);
      assertEquals(logitReference.result(), logits.result(), TOL);
    }
    accuracy.resetState();
    // Keras's example: [[1], [1], [0], [0]] vs [[0.98], [1], [0], [0.6]]; exactly 0.5 is not above
    MetricHarness.update(
        accuracy,
        Tensors.floats(new float[] {1f, 1f, 0f, 0f, 1f}, 5, 1),
        Tensors.floats(new float[] {0.98f, 1f, 0f, 0.6f, 0.5f}, 5, 1),
        null);
    assertEquals(3.0 / 5, accuracy.result(), TOL);
    var e = assertThrows(IllegalArgumentException.class, () -> new BinaryAccuracy("b", Double.NaN));
    assertEquals(
        "BinaryAccuracy needs a finite threshold, received: threshold=NaN.", e.getMessage());
  }

  @Test
  void topKAccuraciesCountTargetsAmongTheHighestScores() {
    var random = new Random(3);
    int classes = 8;
    var topK = new TopKCategoricalAccuracy();
    var sparseTopK = new SparseTopKCategoricalAccuracy();
    var top2 = new SparseTopKCategoricalAccuracy("top2", 2);
    assertEquals("top_k_categorical_accuracy", topK.name());
    assertEquals("sparse_top_k_categorical_accuracy", sparseTopK.name());
    assertEquals(5, topK.k());
    var ref5 = new MetricHarness.RefMean();
    var ref2 = new MetricHarness.RefMean();
    for (int batch : new int[] {7, 9}) {
      float[] p = toFloats(MetricHarness.uniform(random, batch * classes));
      int[] y = MetricHarness.classes(random, batch, classes);
      double[] w = MetricHarness.weights(random, batch);
      for (int i = 0; i < batch; i++) {
        ref5.add(inTopK(p, i, classes, y[i], 5) ? 1 : 0, w[i]);
        ref2.add(inTopK(p, i, classes, y[i], 2) ? 1 : 0, 1);
      }
      MetricHarness.update(
          topK,
          Tensors.floats(MetricHarness.oneHot(y, classes), batch, classes),
          Tensors.floats(p, batch, classes),
          MetricHarness.floats(w, batch));
      MetricHarness.update(
          sparseTopK,
          Tensors.ints(y, batch, 1),
          Tensors.floats(p, batch, classes),
          MetricHarness.floats(w, batch));
      MetricHarness.update(top2, Tensors.bytes(y, batch), Tensors.floats(p, batch, classes), null);
    }
    assertEquals(ref5.result(), topK.result(), TOL);
    assertEquals(ref5.result(), sparseTopK.result(), TOL);
    assertEquals(ref2.result(), top2.result(), TOL);

    // ties at the k-th place count as in, as TensorFlow's in_top_k
    var top1 = new SparseTopKCategoricalAccuracy("top1", 1);
    MetricHarness.update(
        top1,
        Tensors.ints(new int[] {2, 0}, 2),
        Tensors.floats(new float[] {0.4f, 0.2f, 0.4f, 0.1f, 0.9f, 0.0f}, 2, 3),
        null);
    assertEquals(0.5, top1.result(), TOL);

    // a sequence of predictions per example: (batch, steps, classes) with (batch, steps) labels
    var sequence = new SparseTopKCategoricalAccuracy("sequence", 1);
    float[] p = {0.9f, 0.1f, 0.2f, 0.8f, 0.6f, 0.4f, 0.3f, 0.7f};
    MetricHarness.update(
        sequence,
        Tensors.ints(new int[] {0, 1, 1, 1}, 2, 2),
        Tensors.floats(p, 2, 2, 2),
        Tensors.vector(1f, 3f));
    // example 0: both right (1.0), example 1: one of two (0.5), weighted 1 and 3
    assertEquals((1.0 * 1 + 0.5 * 3) / 4, sequence.result(), TOL);

    var e = assertThrows(IllegalArgumentException.class, () -> new TopKCategoricalAccuracy(0));
    assertEquals("Top-k accuracy needs k >= 1, received: k=0.", e.getMessage());
    var oneHot = new SparseTopKCategoricalAccuracy();
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                MetricHarness.update(
                    oneHot,
                    Tensors.floats(new float[] {0f, 1f}, 1, 2),
                    Tensors.floats(new float[] {0.3f, 0.7f}, 1, 2),
                    null));
    assertEquals(
        "Sparse labels must have shape (batch,) or (batch, 1) for predictions of shape (None, 2),"
            + " received labels of shape (None, 2). One-hot labels need TopKCategoricalAccuracy.",
        e.getMessage());
  }

  @Test
  void accuracyWithWeightsAndColumnLabels() {
    var accuracy = new Accuracy();
    // Keras's example: [[1], [2], [3], [4]] vs [[0], [2], [3], [4]] weighted [1, 1, 0, 0]
    MetricHarness.update(
        accuracy,
        Tensors.ints(new int[] {1, 2, 3, 4}, 4, 1),
        Tensors.ints(new int[] {0, 2, 3, 4}, 4, 1),
        Tensors.vector(1f, 1f, 0f, 0f));
    assertEquals(0.5, accuracy.result(), TOL);
    // (batch,) labels against (batch, 1) float predictions: ranks are matched
    MetricHarness.update(
        accuracy,
        Tensors.ints(new int[] {5, 6}, 2),
        Tensors.floats(new float[] {5f, 6.5f}, 2, 1),
        Tensors.vector(2f, 2f));
    assertEquals((1 + 2.0) / (2 + 4), accuracy.result(), TOL);
  }

  private static float[] toFloats(double[] values) {
    float[] out = new float[values.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) values[i];
    }
    return out;
  }

  private static float[] toFloats(int[] values) {
    float[] out = new float[values.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = values[i];
    }
    return out;
  }

  @Test
  void blankNamesAreRejected() {
    var e = assertThrows(IllegalArgumentException.class, () -> new SparseCategoricalAccuracy(" "));
    assertEquals("A metric name must not be blank, received: \" \".", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new CategoricalAccuracy("\t"));
    assertEquals("A metric name must not be blank, received: \"\t\".", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new Accuracy(""));
    assertEquals("A metric name must not be blank, received: \"\".", e.getMessage());
  }
}
