package dev.tfkeras.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.IntNdArray;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TString;

/** String elements (batched as TString), map on several threads, and class names. */
class StringsAndParallelMapTest {

  private static List<String> strings(TString tensor) {
    List<String> out = new ArrayList<>();
    tensor.scalars().forEach(s -> out.add(s.getObject()));
    return out;
  }

  @Test
  void stringsBatchAsTString() {
    Dataset dataset = Dataset.fromTensorSlices(new String[] {"a", "héllo", "", "z"}, new int[] {1, 2, 3, 4}).batch(3);
    assertEquals("(TensorSpec(shape=(None,), dtype=string), TensorSpec(shape=(None,), dtype=int32))", dataset.elementSpec());
    List<String> seen = new ArrayList<>();
    for (Batch batch : dataset) {
      try (batch) {
        seen.addAll(strings(batch.features(TString.class)));
      }
    }
    assertEquals(List.of("a", "héllo", "", "z"), seen);
  }

  @Test
  void mapSeesAndReturnsStrings() {
    Dataset upper =
        Dataset.fromTensorSlices(new String[] {"ab", "cd"})
            .map(e -> {
              @SuppressWarnings("unchecked")
              String s = ((NdArray<String>) e.features()).getObject();
              return Example.of(List.of(NdArrays.scalarOfObject(s.toUpperCase())), List.of(), null);
            });
    List<String> seen = new ArrayList<>();
    for (Batch batch : upper) {
      try (batch) {
        seen.add(((TString) batch.features()).getObject());
      }
    }
    assertEquals(List.of("AB", "CD"), seen);
  }

  @Test
  void parallelMapKeepsOrderAndUsesThreads() throws InterruptedException {
    int n = 200;
    int[] x = new int[n];
    for (int i = 0; i < n; i++) {
      x[i] = i;
    }
    Set<String> threads = ConcurrentHashMap.newKeySet();
    CountDownLatch bothStarted = new CountDownLatch(2);
    Dataset squared =
        Dataset.fromTensorSlices(x)
            .map(e -> {
              threads.add(Thread.currentThread().getName());
              bothStarted.countDown();
              try {
                bothStarted.await(5, TimeUnit.SECONDS); // two calls run at once
              } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
              }
              int v = ((IntNdArray) e.features()).getInt();
              return Example.of(List.of(NdArrays.scalarOf(v * v)), List.of(), null);
            }, 4)
            .batch(32)
            .prefetch(2);
    List<Integer> seen = new ArrayList<>();
    for (Batch batch : squared) {
      try (batch) {
        TInt32 t = (TInt32) batch.features();
        int[] values = new int[(int) t.shape().size()];
        t.copyTo(DataBuffers.of(values, false, false));
        for (int v : values) {
          seen.add(v);
        }
      }
    }
    for (int i = 0; i < n; i++) {
      assertEquals(i * i, seen.get(i));
    }
    assertTrue(threads.size() >= 2, "ran on " + threads);
    assertTrue(threads.stream().allMatch(t -> t.startsWith(ParallelMapStage.THREAD_NAME_PREFIX)), threads.toString());
  }

  @Test
  void parallelMapFailureReachesTheConsumer() {
    Dataset failing =
        Dataset.fromTensorSlices(new int[] {0, 1, 2, 3, 4, 5})
            .map(e -> {
              if (((IntNdArray) e.features()).getInt() == 4) {
                throw new IllegalArgumentException("element four is bad");
              }
              return Example.of(List.of(NdArrays.scalarOf(1f)), List.of(), null);
            }, 3);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> {
          for (Batch batch : failing) {
            batch.close();
          }
        });
    assertEquals("element four is bad", e.getMessage());
  }

  @Test
  void parallelMapArguments() {
    Dataset d = Dataset.fromTensorSlices(new int[] {1, 2});
    assertThrows(IllegalArgumentException.class, () -> d.map(e -> e, 0));
    assertThrows(IllegalStateException.class, () -> d.batch(2).map(e -> e, 2));
  }

  @Test
  void classNamesAreKeptByTransformations() {
    Dataset d = Dataset.fromTensorSlices(new float[] {1, 2, 3}, new int[] {0, 1, 0});
    assertNull(d.classNames());
    Dataset named = d.withClassNames(List.of("cat", "dog"));
    assertEquals(List.of("cat", "dog"), named.shuffle(3, 1).batch(2).prefetch(1).classNames());
    assertNull(named.withClassNames(null).classNames());
    assertArrayEquals(new long[] {-1}, named.batch(2).featureShape().asArray());
    assertEquals(Shape.scalar(), named.featureShape());
  }
}
