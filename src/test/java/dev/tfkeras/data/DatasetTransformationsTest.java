package dev.tfkeras.data;

import static dev.tfkeras.data.DatasetTest.indexed;
import static dev.tfkeras.data.DatasetTest.labelsOf;
import static dev.tfkeras.data.DatasetTest.range;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.IntNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** skip, repeat, concatenate, map, cache and pass-numbered shuffles, as tf.data does them. */
class DatasetTransformationsTest {

  @Test
  void skipDropsTheFirstElements() {
    assertEquals(List.of(7, 8, 9), labelsOf(indexed(10).skip(7)));
    assertEquals(3, indexed(10).skip(7).cardinality());
    assertEquals(0, indexed(10).skip(12).cardinality());
    assertEquals(List.of(), labelsOf(indexed(10).skip(12)));
    assertEquals(List.of(4, 5, 6, 7, 8, 9), labelsOf(indexed(10).batch(2).skip(2)));
  }

  @Test
  void repeatRepeatsAndReshufflesEachRepetition() {
    assertEquals(List.of(0, 1, 2, 0, 1, 2), labelsOf(indexed(3).repeat(2)));
    assertEquals(6, indexed(3).repeat(2).cardinality());
    assertEquals(List.of(), labelsOf(indexed(3).repeat(0)));
    Dataset forever = indexed(3).repeat();
    assertEquals(Dataset.INFINITE_CARDINALITY, forever.cardinality());
    assertEquals(List.of(0, 1, 2, 0, 1, 2, 0), labelsOf(forever.take(7)));
    assertEquals(7, forever.take(7).cardinality());
    List<Integer> twice = labelsOf(indexed(20).shuffle(20, 5).repeat(2));
    assertEquals(new HashSet<>(twice.subList(0, 20)), new HashSet<>(twice.subList(20, 40)));
    assertNotEquals(twice.subList(0, 20), twice.subList(20, 40), "each repetition reshuffles");
    // batches span repetitions, as tf.data's repeat().batch()
    assertEquals(List.of(0, 1, 2, 0, 1, 2), labelsOf(indexed(3).repeat(2).batch(4)));
    assertEquals(2, indexed(3).repeat(2).batch(4).cardinality());
  }

  @Test
  void concatenateAppendsDatasetsOfTheSameSpec() {
    assertEquals(List.of(0, 1, 2, 0, 1), labelsOf(indexed(3).concatenate(indexed(2))));
    assertEquals(5, indexed(3).concatenate(indexed(2)).cardinality());
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> indexed(3).concatenate(Dataset.fromTensorSlices(new float[][] {{1}}, new int[] {0})));
    assertEquals(
        "Only datasets with the same element structure, dtypes and shapes can be concatenated,"
            + " received (TensorSpec(shape=(2, 3), dtype=float32), TensorSpec(shape=(), dtype=int32))"
            + " and (TensorSpec(shape=(1,), dtype=float32), TensorSpec(shape=(), dtype=int32)).",
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> indexed(3).batch(2).concatenate(indexed(2)));
  }

  @Test
  void mapTransformsExamplesAndMayChangeDtypesAndShapes() {
    // features (2,3) float -> their sum as a (1,) float, labels int -> label * 10 as int
    Dataset mapped =
        indexed(4)
            .map(
                e -> {
                  FloatNdArray f = (FloatNdArray) e.features();
                  float[] sum = {0};
                  f.scalars().forEach(s -> sum[0] += s.getFloat());
                  int label = ((IntNdArray) e.labels()).getInt();
                  return Example.of(NdArrays.vectorOf(sum[0]), NdArrays.scalarOf(label * 10));
                })
            .batch(4);
    assertEquals(
        "<Dataset element_spec=(TensorSpec(shape=(None, 1), dtype=float32), TensorSpec(shape=(None,), dtype=int32))>",
        mapped.toString());
    try (DatasetIterator it = mapped.iterator();
        Batch batch = it.next()) {
      // element i holds i*100 + j for j = 0..5: the sum is 600 i + 15
      assertEquals(615f, batch.features(TFloat32.class).getFloat(1, 0));
      assertEquals(1815f, batch.features(TFloat32.class).getFloat(3, 0));
      assertEquals(30, batch.labels(TInt32.class).getInt(3));
    }
  }

  @Test
  void mapRunsOnThePrefetchThreadAndSeesReadOnlyViews() {
    Set<String> threads = ConcurrentHashMap.newKeySet();
    Dataset mapped =
        indexed(6)
            .map(
                e -> {
                  threads.add(Thread.currentThread().getName());
                  FloatNdArray f = (FloatNdArray) e.features();
                  assertThrows(RuntimeException.class, () -> f.setFloat(1f, 0, 0), "views are read-only");
                  return e;
                })
            .batch(2)
            .prefetch(2);
    threads.clear();
    assertEquals(range(6), labelsOf(mapped));
    assertEquals(1, threads.size());
    assertTrue(threads.iterator().next().startsWith(PrefetchSource.THREAD_NAME_PREFIX), threads.toString());
  }

  @Test
  void mapResultsMustKeepOneSpecAndMapNeedsUnbatchedData() {
    Dataset ragged =
        indexed(3)
            .map(e -> Example.of(NdArrays.ofFloats(Shape.of(((IntNdArray) e.labels()).getInt() + 1)), e.labels()));
    var e = assertThrows(IllegalStateException.class, () -> labelsOfRaw(ragged.batch(3)));
    assertEquals(
        "The map function returned (TensorSpec(shape=(2,), dtype=float32), TensorSpec(shape=(), dtype=int32))"
            + " for element 1 but (TensorSpec(shape=(1,), dtype=float32), TensorSpec(shape=(), dtype=int32))"
            + " for the first element; every result must have the same structure, dtypes and shapes so"
            + " that they can be batched.",
        e.getMessage());
    var batched = assertThrows(IllegalStateException.class, () -> indexed(3).batch(2).map(x -> x));
    assertTrue(batched.getMessage().startsWith("map applies a Java function to single examples"));
  }

  private static void labelsOfRaw(Dataset dataset) {
    for (Batch batch : dataset) {
      batch.close();
    }
  }

  @Test
  void cacheRunsTheStagesBeforeItOnce() {
    AtomicInteger calls = new AtomicInteger();
    Dataset cached =
        indexed(5)
            .map(
                e -> {
                  calls.incrementAndGet();
                  return e;
                })
            .cache();
    assertEquals(range(5), labelsOf(cached));
    int afterFirstPass = calls.get();
    assertEquals(range(5), labelsOf(cached));
    assertEquals(range(5), labelsOf(cached.batch(2)));
    assertEquals(afterFirstPass, calls.get(), "later passes replay the cache");
    // a shuffle after the cache still reshuffles every pass
    Dataset shuffled = indexed(30).cache().shuffle(30, 1);
    assertNotEquals(labelsOf(shuffled), labelsOf(shuffled));
    assertThrows(IllegalStateException.class, () -> indexed(3).repeat().cache());
  }

  @Test
  void passKIsTheSameWhicheverPassesRanBefore() {
    Dataset shuffled = indexed(40).shuffle(40, 11).batch(8);
    List<List<Integer>> inOrder = new ArrayList<>();
    for (int pass = 0; pass < 3; pass++) {
      inOrder.add(labelsOf(shuffled)); // passes 0, 1, 2 of this dataset object
    }
    Dataset fresh = indexed(40).shuffle(40, 11).batch(8);
    assertEquals(inOrder.get(2), labelsOf(iterable(fresh, 2)), "pass 2 straight away");
    assertEquals(inOrder.get(0), labelsOf(iterable(fresh, 0)));
    assertNotEquals(inOrder.get(1), inOrder.get(2));
  }

  @Test
  void shuffleWithoutReshufflingKeepsOneOrder() {
    Dataset fixed = indexed(30).shuffle(30, 3, false);
    List<Integer> first = labelsOf(fixed);
    assertEquals(first, labelsOf(fixed));
    assertNotEquals(range(30), first);
  }

  private static Iterable<Batch> iterable(Dataset dataset, long pass) {
    return () -> dataset.iterator(pass);
  }

  @Test
  void transformationArgumentsAreChecked() {
    assertEquals(
        "skip count must be zero or a positive integer, received: count=-1",
        assertThrows(IllegalArgumentException.class, () -> indexed(3).skip(-1)).getMessage());
    assertEquals(
        "repeat count must be zero or a positive integer (repeat() repeats forever), received: count=-2",
        assertThrows(IllegalArgumentException.class, () -> indexed(3).repeat(-2)).getMessage());
  }
}
