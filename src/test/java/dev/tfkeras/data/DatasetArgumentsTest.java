package dev.tfkeras.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;

class DatasetArgumentsTest {

  private static String rejected(Runnable call) {
    return assertThrows(IllegalArgumentException.class, call::run).getMessage();
  }

  @Test
  void mismatchedLengthsAreRejected() {
    assertEquals(
        "features has 60000 elements but labels has 59999; they must have the same first dimension",
        rejected(
            () ->
                Dataset.fromTensorSlices(
                    NdArrays.ofFloats(Shape.of(60000, 2)), NdArrays.ofInts(Shape.of(59999)))));
  }

  @Test
  void emptyDatasetIsRejected() {
    assertEquals(
        "the dataset must have at least one element, received: features shape (0,28,28)",
        rejected(
            () ->
                Dataset.fromTensorSlices(
                    NdArrays.ofFloats(Shape.of(0, 28, 28)), NdArrays.ofInts(Shape.of(0)))));
  }

  @Test
  void labelsMustBeAVector() {
    assertEquals(
        "labels must have shape (N), one integer class per element, received: shape (3,1)",
        rejected(
            () ->
                Dataset.fromTensorSlices(
                    NdArrays.ofFloats(Shape.of(3, 2)), NdArrays.ofInts(Shape.of(3, 1)))));
  }

  @Test
  void scalarFeaturesAreRejected() {
    assertEquals(
        "features must have shape (N, ...) with one slice per element, received a scalar",
        rejected(
            () -> Dataset.fromTensorSlices(NdArrays.scalarOf(1f), NdArrays.ofInts(Shape.of(1)))));
  }

  @Test
  void nullArraysAreRejected() {
    assertEquals(
        "features and labels must not be null, received: features=null, labels=null",
        rejected(() -> Dataset.fromTensorSlices(null, null)));
  }

  @Test
  void transformationArgumentsAreChecked() {
    Dataset dataset = DatasetTest.indexed(4);
    assertEquals(
        "batch size must be a positive integer, received: batchSize=0",
        rejected(() -> dataset.batch(0)));
    assertEquals(
        "batch size must be a positive integer, received: batchSize=-3",
        rejected(() -> dataset.batch(-3, true)));
    assertEquals(
        "shuffle buffer size must be a positive integer, received: bufferSize=0",
        rejected(() -> dataset.shuffle(0)));
    assertEquals(
        "shuffle buffer size must be a positive integer, received: bufferSize=-1",
        rejected(() -> dataset.shuffle(-1, 5L)));
    assertEquals(
        "take count must be zero or a positive integer, received: count=-1",
        rejected(() -> dataset.take(-1)));
    assertEquals(
        "prefetch buffer size must be a positive integer or Dataset.AUTOTUNE, received: bufferSize=0",
        rejected(() -> dataset.prefetch(0)));
  }

  @Test
  void batchingTwiceIsALifecycleMistake() {
    IllegalStateException error =
        assertThrows(IllegalStateException.class, () -> DatasetTest.indexed(4).batch(2).batch(2));
    assertEquals(
        "this dataset is already batched and nested batches are not supported; "
            + "call batch() once, e.g. fromTensorSlices(x, y).shuffle(n).batch(32)",
        error.getMessage());
  }
}
