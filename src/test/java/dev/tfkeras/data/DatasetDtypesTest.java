package dev.tfkeras.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.StdArrays;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TUint8;

/** Every host dtype and structure travels through a dataset into tensors of the same dtype. */
class DatasetDtypesTest {

  private static Batch first(Dataset dataset) {
    try (DatasetIterator iterator = dataset.iterator()) {
      return iterator.next();
    }
  }

  @Test
  void javaArraysOfEveryTypeBecomeTensorsOfTheirDtype() {
    double[][] x = {{1.5, 2.5}, {3.5, 4.5}, {5.5, 6.5}};
    long[] y = {7L, 8L, 1L << 40};
    try (Batch batch = first(Dataset.fromTensorSlices(x, y).batch(2))) {
      TFloat64 features = batch.features(TFloat64.class);
      assertEquals(Shape.of(2, 2), features.shape());
      assertEquals(4.5, features.getDouble(1, 1));
      assertEquals(8L, batch.labels(TInt64.class).getLong(1));
    }
    byte[][][] images = {{{(byte) 255, 0}}, {{1, 2}}};
    boolean[] flags = {true, false};
    try (Batch batch = first(Dataset.fromTensorSlices(images, flags).batch(2))) {
      TUint8 pixels = batch.features(TUint8.class);
      assertEquals(Shape.of(2, 1, 2), pixels.shape());
      assertEquals(255, Byte.toUnsignedInt(pixels.getByte(0, 0, 0)), "bytes are uint8");
      TBool labels = batch.labels(TBool.class);
      assertTrue(labels.getBoolean(0));
      assertEquals(false, labels.getBoolean(1));
    }
    int[][] tokens = {{1, 2, 3}, {4, 5, 6}};
    float[][] targets = {{0.5f}, {1.5f}};
    try (Batch batch = first(Dataset.fromTensorSlices(tokens, targets).batch(2))) {
      assertEquals(6, batch.features(TInt32.class).getInt(1, 2));
      assertEquals(Shape.of(2, 1), batch.labels().shape());
      assertEquals(1.5f, batch.labels(TFloat32.class).getFloat(1, 0));
    }
  }

  @Test
  void ndArraysAndTensorsAreCopiedWithTheirDtype() {
    try (TInt64 ids = TInt64.vectorOf(3, 4, 5)) {
      Dataset dataset = Dataset.fromTensorSlices(StdArrays.ndCopyOf(new float[][] {{1}, {2}, {3}}), ids);
      assertEquals(
          "<Dataset element_spec=(TensorSpec(shape=(1,), dtype=float32), TensorSpec(shape=(), dtype=int64))>",
          dataset.toString());
      ids.setLong(99, 0); // later changes do not reach the dataset
      try (Batch batch = first(dataset.batch(3))) {
        assertEquals(3L, batch.labels(TInt64.class).getLong(0));
      }
    }
  }

  @Test
  void severalInputsTargetsAndSampleWeightsKeepTheirOrder() {
    float[][] images = {{1, 1}, {2, 2}, {3, 3}};
    int[] scalars = {10, 20, 30};
    int[] classes = {0, 1, 2};
    float[][] values = {{0.1f}, {0.2f}, {0.3f}};
    float[] weights = {1f, 0.5f, 2f};
    Dataset dataset =
        Dataset.fromTensorSlices(List.of(images, scalars), List.of(classes, values), weights).batch(3);
    assertEquals(2, dataset.featureCount());
    assertEquals(2, dataset.labelCount());
    assertTrue(dataset.hasSampleWeights());
    try (Batch batch = first(dataset)) {
      assertEquals(2, batch.featureCount());
      assertEquals(3f, ((TFloat32) batch.features(0)).getFloat(2, 0));
      assertEquals(20, ((TInt32) batch.features(1)).getInt(1));
      assertEquals(2, ((TInt32) batch.labels(0)).getInt(2));
      assertEquals(0.2f, ((TFloat32) batch.labels(1)).getFloat(1, 0));
      assertEquals(0.5f, ((TFloat32) batch.sampleWeights()).getFloat(1));
      assertEquals(5, batch.tensors().length);
      var e = assertThrows(IllegalStateException.class, batch::features);
      assertEquals("This batch has 2 inputs; use features(i) for input i.", e.getMessage());
    }
  }

  @Test
  void inferenceDataHasNoTargets() {
    try (Batch batch = first(Dataset.fromTensorSlices(new float[][] {{1}, {2}}).batch(2))) {
      assertEquals(0, batch.labelCount());
      assertNull(batch.sampleWeights());
      var e = assertThrows(IllegalStateException.class, batch::labels);
      assertEquals("This batch has 0 targets; it was made without y.", e.getMessage());
    }
  }

  @Test
  void typedAccessorNamesTheRealDtype() {
    try (Batch batch = first(Dataset.fromTensorSlices(new byte[][] {{1}}, new int[] {0}).batch(1))) {
      var e = assertThrows(IllegalStateException.class, () -> batch.features(TFloat32.class));
      assertEquals("The batch's features are TUint8 of shape [1, 1], not TFloat32.", e.getMessage());
    }
  }

  @Test
  void aClosedBatchRefusesAccessToItsTensors() {
    Batch batch = first(Dataset.fromTensorSlices(List.of(new float[] {1}, new int[] {2}), new long[] {3}, new float[] {1}).batch(1));
    batch.close();
    assertThrows(IllegalStateException.class, batch::tensors);
    assertThrows(IllegalStateException.class, () -> batch.features(1));
    assertThrows(IllegalStateException.class, batch::sampleWeights);
    batch.close(); // idempotent
  }

  @Test
  void zeroSizedArraysAreRejected() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Dataset.fromTensorSlices(NdArrays.ofFloats(Shape.of(0, 3)), new int[0]));
    assertEquals("The data must hold at least one example, received x of shape (0, 3).", e.getMessage());
  }

  @Test
  void batchesOfBooleanAndWeightedDataGatherTheRightRows() {
    boolean[][] x = {{true, false}, {false, true}, {true, true}};
    int[] y = {0, 1, 2};
    double[] w = {0.25, 0.5, 0.75};
    try (DatasetIterator it = Dataset.fromTensorSlices(x, y, w).skip(1).batch(2).iterator();
        Batch batch = it.next()) {
      assertArrayEquals(new long[] {2, 2}, batch.features().shape().asArray());
      assertTrue(((TBool) batch.features()).getBoolean(1, 0));
      assertEquals(0.75, ((TFloat64) batch.sampleWeights()).getDouble(1));
    }
  }
}
