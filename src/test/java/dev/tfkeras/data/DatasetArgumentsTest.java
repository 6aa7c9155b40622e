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
        "Data cardinality is ambiguous: x has 60000 examples but y has 59999. Make sure all arrays"
            + " contain the same number of samples (the first axis).",
        rejected(
            () ->
                Dataset.fromTensorSlices(
                    NdArrays.ofFloats(Shape.of(60000, 2)), NdArrays.ofInts(Shape.of(59999)))));
  }

  @Test
  void emptyDatasetIsRejected() {
    assertEquals(
        "The data must hold at least one example, received x of shape (0, 28, 28).",
        rejected(
            () ->
                Dataset.fromTensorSlices(
                    NdArrays.ofFloats(Shape.of(0, 28, 28)), NdArrays.ofInts(Shape.of(0)))));
  }

  @Test
  void raggedJavaArraysAreRejectedNamingTheRow() {
    float[][] ragged = {{1, 2}, {3, 4}, {5}};
    assertEquals(
        "x[2] has 1 entries but x has shape (3, 2): every row must have 2 entries (a rectangular array).",
        rejected(() -> Dataset.fromTensorSlices(ragged, new int[] {0, 1, 2})));
  }

  @Test
  void unsupportedElementTypesAreRejected() {
    assertEquals(
        "y must be an array of float, double, int, long, byte (uint8), boolean or String, received short[].",
        rejected(() -> Dataset.fromTensorSlices(new float[] {1, 2}, new short[] {1, 2})));
    assertEquals(
        "x must be an NdArray (a tensor included) or a Java array such as float[][] or int[],"
            + " received java.lang.Integer.",
        rejected(() -> Dataset.fromTensorSlices(3, new int[] {1})));
  }

  @Test
  void sampleWeightsMustMatchTheExamples() {
    assertEquals(
        "Data cardinality is ambiguous: x has 3 examples but sampleWeight has 2. Make sure all arrays"
            + " contain the same number of samples (the first axis).",
        rejected(
            () -> Dataset.fromTensorSlices(new float[3][2], new int[3], new float[] {1, 2})));
  }

  @Test
  void scalarFeaturesAreRejected() {
    assertEquals(
        "x must have a first axis with one slice per example, received a scalar.",
        rejected(
            () -> Dataset.fromTensorSlices(NdArrays.scalarOf(1f), NdArrays.ofInts(Shape.of(1)))));
  }

  @Test
  void nullArraysAreRejected() {
    assertEquals(
        "x must not be null.", rejected(() -> Dataset.fromTensorSlices(null, new int[] {1})));
    assertEquals(
        "y must not be null; for inputs without targets use fromTensorSlices(x).",
        rejected(() -> Dataset.fromTensorSlices(new float[] {1}, null)));
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
