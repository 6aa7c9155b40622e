package dev.tfkeras.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TUint8;

/** {@link Dataset#wrapSlices}: flat arrays shared, not copied, sliced along their first axis. */
class WrapSlicesTest {

  private static Batch first(Dataset dataset) {
    try (DatasetIterator iterator = dataset.iterator()) {
      return iterator.next();
    }
  }

  @Test
  void slicesFlatArraysByTheirShape() {
    byte[] pixels = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, (byte) 255};
    int[] labels = {7, 8, 9};
    Dataset dataset = Dataset.wrapSlices(Shape.of(3, 2, 2), pixels, Shape.of(3), labels);
    assertEquals(
        "(TensorSpec(shape=(2, 2), dtype=uint8), TensorSpec(shape=(), dtype=int32))",
        dataset.elementSpec());
    assertEquals(3, dataset.cardinality());
    try (Batch batch = first(dataset.skip(1).batch(2))) {
      TUint8 x = batch.features(TUint8.class);
      assertEquals(Shape.of(2, 2, 2), x.shape());
      assertEquals(5, x.getByte(0, 0, 1));
      assertEquals(255, x.getByte(1, 1, 1) & 0xFF);
      assertEquals(9, batch.labels(TInt32.class).getInt(1));
    }
    float[] targets = {0.5f, 1.5f, 2.5f, 3.5f, 4.5f, 5.5f};
    try (Batch batch = first(Dataset.wrapSlices(Shape.of(3, 2, 2), pixels, Shape.of(3, 2), targets).batch(3))) {
      assertEquals(Shape.of(3, 2), batch.labels().shape());
      assertEquals(5.5f, batch.labels(TFloat32.class).getFloat(2, 1));
    }
  }

  @Test
  void theArraysAreSharedWhereFromTensorSlicesCopies() {
    byte[] pixels = {10, 20, 30, 40};
    int[] labels = {1, 2};
    Dataset shared = Dataset.wrapSlices(Shape.of(2, 2), pixels, Shape.of(2), labels);
    Dataset copied = Dataset.fromTensorSlices(new byte[][] {{10, 20}, {30, 40}}, labels.clone());
    pixels[3] = 99;
    labels[1] = 5;
    try (Batch batch = first(shared.batch(2))) {
      assertEquals(99, batch.features(TUint8.class).getByte(1, 1));
      assertEquals(5, batch.labels(TInt32.class).getInt(1));
    }
    try (Batch batch = first(copied.batch(2))) {
      assertEquals(40, batch.features(TUint8.class).getByte(1, 1));
    }
  }

  @Test
  void argumentsAreChecked() {
    int[] y = {1, 2};
    assertEquals(
        "x's shape (2, 3) describes 6 values but x holds 4; pass the array's shape, first axis the examples.",
        assertThrows(
                IllegalArgumentException.class,
                () -> Dataset.wrapSlices(Shape.of(2, 3), new float[4], Shape.of(2), y))
            .getMessage());
    assertEquals(
        "x must be a flat (one-dimensional) array of float, double, int, long, byte (uint8) or boolean,"
            + " received float[][].",
        assertThrows(
                IllegalArgumentException.class,
                () -> Dataset.wrapSlices(Shape.of(2, 1), new float[2][1], Shape.of(2), y))
            .getMessage());
    assertEquals(
        "y must be a flat (one-dimensional) array of float, double, int, long, byte (uint8) or boolean,"
            + " received String.",
        assertThrows(
                IllegalArgumentException.class,
                () -> Dataset.wrapSlices(Shape.of(2), new float[2], Shape.of(2), "labels"))
            .getMessage());
    assertEquals(
        "x's shape must have known dimensions, received (None, 2).",
        assertThrows(
                IllegalArgumentException.class,
                () -> Dataset.wrapSlices(Shape.of(-1, 2), new float[4], Shape.of(2), y))
            .getMessage());
    assertEquals(
        "x must have a first axis with one slice per example, received a scalar.",
        assertThrows(
                IllegalArgumentException.class,
                () -> Dataset.wrapSlices(Shape.scalar(), new float[1], Shape.of(2), y))
            .getMessage());
    assertEquals(
        "y's shape must not be null, received: null",
        assertThrows(
                IllegalArgumentException.class,
                () -> Dataset.wrapSlices(Shape.of(2), new float[2], null, y))
            .getMessage());
    assertEquals(
        "Data cardinality is ambiguous: x has 3 examples but y has 2. Make sure all arrays contain the"
            + " same number of samples (the first axis).",
        assertThrows(
                IllegalArgumentException.class,
                () -> Dataset.wrapSlices(Shape.of(3), new float[3], Shape.of(2), y))
            .getMessage());
  }
}
