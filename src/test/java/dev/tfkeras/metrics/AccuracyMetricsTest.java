package dev.tfkeras.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tfkeras.function.TfFunction;
import dev.tfkeras.runtime.GraphRuntime;
import dev.tfkeras.testing.Tensors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TUint8;

/** SparseCategoricalAccuracy, CategoricalAccuracy and Accuracy over batches of varying size. */
class AccuracyMetricsTest {

  private static final double TOL = 1e-6;

  @AfterEach
  void reset() {
    GraphRuntime.reset();
  }

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
              + " received labels of shape (None, 3). One-hot labels need CategoricalCrossentropy"
              + " or CategoricalAccuracy.",
          e.getMessage());
    }
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
