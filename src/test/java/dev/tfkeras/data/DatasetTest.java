package dev.tfkeras.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.IntNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

class DatasetTest {

  /**
   * N elements of shape (2, 3); element i holds the values i*100 + j (j = 0..5) and its label is
   * i, so the label of every row can be checked against the features it travels with.
   */
  static Dataset indexed(int n) {
    float[] features = new float[n * 6];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < 6; j++) {
        features[i * 6 + j] = i * 100 + j;
      }
      labels[i] = i;
    }
    return Dataset.fromTensorSlices(
        NdArrays.wrap(Shape.of(n, 2, 3), DataBuffers.of(features, true, false)),
        NdArrays.wrap(Shape.of(n), DataBuffers.of(labels, true, false)));
  }

  /** Iterates one pass and returns the labels of every row, checking rows against labels. */
  static List<Integer> labelsOf(Iterable<Batch> dataset) {
    List<Integer> labels = new ArrayList<>();
    for (Batch batch : dataset) {
      try (batch) {
        float[] features = new float[(int) batch.features().shape().size()];
        batch.features(TFloat32.class).copyTo(DataBuffers.of(features, false, false));
        int[] rowLabels = new int[batch.size()];
        batch.labels(TInt32.class).copyTo(DataBuffers.of(rowLabels, false, false));
        for (int row = 0; row < batch.size(); row++) {
          for (int j = 0; j < 6; j++) {
            assertEquals(rowLabels[row] * 100 + j, features[row * 6 + j], "row " + row + " value " + j);
          }
          labels.add(rowLabels[row]);
        }
      }
    }
    return labels;
  }

  static List<Integer> range(int n) {
    List<Integer> values = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      values.add(i);
    }
    return values;
  }

  @Test
  void unshuffledBatchesKeepOrderAndPartialLastBatch() {
    Dataset dataset = indexed(10).batch(4);
    List<Integer> sizes = new ArrayList<>();
    List<Shape> shapes = new ArrayList<>();
    for (Batch batch : dataset) {
      try (batch) {
        sizes.add(batch.size());
        shapes.add(batch.features().shape());
        assertEquals(Shape.of(batch.size()), batch.labels().shape());
      }
    }
    assertEquals(List.of(4, 4, 2), sizes);
    assertEquals(List.of(Shape.of(4, 2, 3), Shape.of(4, 2, 3), Shape.of(2, 2, 3)), shapes);
    assertEquals(range(10), labelsOf(dataset));
    assertEquals(3, dataset.cardinality());
  }

  @Test
  void dropRemainderDropsTheSmallLastBatch() {
    Dataset dataset = indexed(10).batch(4, true);
    assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7), labelsOf(dataset));
    assertEquals(2, dataset.cardinality());
    assertEquals(Shape.of(4, 2, 3), dataset.featureShape());
    assertEquals(0, indexed(3).batch(4, true).cardinality());
    assertFalse(indexed(3).batch(4, true).iterator().hasNext());
  }

  @Test
  void batchTensorsHoldTheGatheredRows() {
    try (DatasetIterator iterator = indexed(5).batch(2).iterator();
        Batch batch = iterator.next()) {
      assertEquals(2, batch.size());
      assertEquals(Shape.of(2, 2, 3), batch.features().shape());
      assertEquals(105f, batch.features(TFloat32.class).getFloat(1, 1, 2));
      assertEquals(102f, batch.features(TFloat32.class).getFloat(1, 0, 2));
      assertEquals(2f, batch.features(TFloat32.class).getFloat(0, 0, 2));
      assertEquals(1, batch.labels(TInt32.class).getInt(1));
    }
  }

  @Test
  void unbatchedDatasetIteratesElementWise() {
    Dataset dataset = indexed(3);
    assertFalse(dataset.isBatched());
    try (DatasetIterator iterator = dataset.iterator()) {
      Batch first = iterator.next();
      try (first) {
        assertEquals(1, first.size());
        assertEquals(Shape.of(2, 3), first.features().shape());
        assertEquals(Shape.scalar(), first.labels().shape());
        assertEquals(0, first.labels(TInt32.class).getInt());
        assertEquals(5f, first.features(TFloat32.class).getFloat(1, 2));
      }
    }
    assertEquals(List.of(0, 1, 2), labelsOf(dataset));
  }

  @Test
  void shuffleIsAPermutationThatKeepsPairs() {
    List<Integer> labels = labelsOf(indexed(100).shuffle(100, 7).batch(8));
    assertEquals(100, labels.size());
    assertEquals(new HashSet<>(range(100)), new HashSet<>(labels));
    assertNotEquals(range(100), labels);
  }

  @Test
  void seededShuffleReplaysTheSameEpochsInEveryRun() {
    Dataset first = indexed(50).shuffle(20, 42).batch(5);
    Dataset second = indexed(50).shuffle(20, 42).batch(5);
    List<Integer> firstEpoch = labelsOf(first);
    List<Integer> secondEpoch = labelsOf(first);
    assertEquals(firstEpoch, labelsOf(second));
    assertEquals(secondEpoch, labelsOf(second));
    assertNotEquals(firstEpoch, secondEpoch, "each epoch must be reshuffled");
    assertNotEquals(firstEpoch, labelsOf(indexed(50).shuffle(20, 43).batch(5)));
  }

  @Test
  void unseededShuffleDiffersBetweenEpochs() {
    Dataset dataset = indexed(50).shuffle(50).batch(10);
    List<Integer> first = labelsOf(dataset);
    List<Integer> second = labelsOf(dataset);
    assertEquals(new HashSet<>(first), new HashSet<>(second));
    assertNotEquals(first, second);
  }

  @Test
  void bufferOfOneKeepsTheInputOrder() {
    assertEquals(range(30), labelsOf(indexed(30).shuffle(1, 3)));
  }

  @Test
  void reservoirOfTwoDrawsEachOutputFromTheBufferedElements() {
    Set<Integer> firstOutputs = new HashSet<>();
    for (long seed = 0; seed < 200; seed++) {
      List<Integer> labels = labelsOf(indexed(10).shuffle(2, seed));
      firstOutputs.add(labels.get(0));
      // with a 2-slot reservoir, the k-th output is one of the first k+2 elements, and no element
      // can be delayed by more than the buffer allows to stay behind a later one indefinitely.
      for (int k = 0; k < labels.size(); k++) {
        assertTrue(labels.get(k) <= k + 1, "output " + k + " was " + labels.get(k) + " in " + labels);
      }
    }
    assertEquals(Set.of(0, 1), firstOutputs);
  }

  @Test
  void fullShuffleStartsWithAnyElement() {
    int[] firstCounts = new int[5];
    for (long seed = 0; seed < 1000; seed++) {
      firstCounts[labelsOf(indexed(5).shuffle(5, seed)).get(0)]++;
    }
    for (int i = 0; i < 5; i++) {
      // expected 200 each; a uniform shuffle lands in [130, 270] with overwhelming probability
      assertTrue(
          firstCounts[i] > 130 && firstCounts[i] < 270,
          "element " + i + " came first " + firstCounts[i] + " times: " + Arrays.toString(firstCounts));
    }
  }

  @Test
  void shuffleAfterBatchShufflesWholeBatches() {
    List<Integer> labels = labelsOf(indexed(12).batch(3).shuffle(4, 5));
    for (int start = 0; start < 12; start += 3) {
      int first = labels.get(start);
      assertEquals(0, first % 3, "batch must start on a batch boundary: " + labels);
      assertEquals(List.of(first, first + 1, first + 2), labels.subList(start, start + 3));
    }
  }

  @Test
  void takeCountsElementsOfTheDatasetItIsAppliedTo() {
    assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7), labelsOf(indexed(20).batch(4).take(2)));
    assertEquals(List.of(0, 1, 2), labelsOf(indexed(20).take(3).batch(2)));
    assertEquals(2, indexed(20).take(3).batch(2).cardinality());
    assertEquals(5, indexed(5).take(100).cardinality());
    assertEquals(List.of(), labelsOf(indexed(5).take(0)));
  }

  @Test
  void prefetchYieldsTheSameSequenceAsNoPrefetch() {
    List<Integer> plain = labelsOf(indexed(200).shuffle(64, 11).batch(7));
    List<Integer> prefetched = labelsOf(indexed(200).shuffle(64, 11).batch(7).prefetch(3));
    assertEquals(plain, prefetched);
    Dataset autotuned = indexed(200).prefetch(Dataset.AUTOTUNE).shuffle(64, 11).batch(7);
    assertEquals(plain, labelsOf(autotuned));
  }

  @Test
  void datasetsAreImmutable() {
    Dataset base = indexed(10);
    Dataset batched = base.batch(3);
    assertFalse(base.isBatched());
    assertTrue(batched.isBatched());
    assertEquals(10, base.cardinality());
    assertEquals(4, batched.cardinality());
  }

  @Test
  void sourceArraysAreCopied() {
    float[] features = {1, 2, 3};
    int[] labels = {0, 1, 2};
    FloatNdArray x = NdArrays.wrap(Shape.of(3), DataBuffers.of(features, false, false));
    IntNdArray y = NdArrays.wrap(Shape.of(3), DataBuffers.of(labels, false, false));
    Dataset dataset = Dataset.fromTensorSlices(x, y).batch(3);
    x.setFloat(99f, 0);
    y.setInt(7, 0);
    try (DatasetIterator iterator = dataset.iterator();
        Batch batch = iterator.next()) {
      assertEquals(1f, batch.features(TFloat32.class).getFloat(0));
      assertEquals(0, batch.labels(TInt32.class).getInt(0));
    }
  }

  @Test
  void toStringShowsTheElementSpec() {
    FloatNdArray images = NdArrays.ofFloats(Shape.of(4, 28, 28, 1));
    IntNdArray labels = NdArrays.ofInts(Shape.of(4));
    Dataset dataset = Dataset.fromTensorSlices(images, labels);
    assertEquals("<Dataset element_spec=(TensorSpec(shape=(28, 28, 1), dtype=float32), TensorSpec(shape=(), dtype=int32))>", dataset.toString());
    assertEquals(
        "<Dataset element_spec=(TensorSpec(shape=(None, 28, 28, 1), dtype=float32), TensorSpec(shape=(None,), dtype=int32))>",
        dataset.shuffle(10000).batch(32).toString());
    assertEquals(
        "<Dataset element_spec=(TensorSpec(shape=(32, 28, 28, 1), dtype=float32), TensorSpec(shape=(32,), dtype=int32))>",
        dataset.batch(32, true).prefetch(2).toString());
  }

  @Test
  void closedBatchRefusesAccessAndClosedIteratorRefusesNext() {
    DatasetIterator iterator = indexed(4).batch(2).iterator();
    Batch batch = iterator.next();
    batch.close();
    batch.close();
    IllegalStateException closedBatch = assertThrows(IllegalStateException.class, batch::features);
    assertEquals(
        "this batch was closed, so its tensors were released; call features() before close()",
        closedBatch.getMessage());
    iterator.close();
    assertFalse(iterator.hasNext());
    IllegalStateException closedIterator = assertThrows(IllegalStateException.class, iterator::next);
    assertEquals(
        "this dataset iterator was closed; call dataset.iterator() for a new pass",
        closedIterator.getMessage());
  }

  @Test
  void exhaustedIteratorThrowsNoSuchElement() {
    DatasetIterator iterator = indexed(2).batch(2).iterator();
    iterator.next().close();
    assertFalse(iterator.hasNext());
    assertThrows(NoSuchElementException.class, iterator::next);
  }
}
