package dev.tfkeras.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TString;

/** String columns, {@code Dataset.fromGenerator} and named features. */
class NamedAndGeneratedDatasetTest {

  @Test
  void stringArraysBatchIntoStringTensors() {
    Dataset data = Dataset.fromTensorSlices(new String[][] {{"a"}, {"bé"}, {"c"}}, new int[] {0, 1, 2}).batch(2);
    assertEquals("(TensorSpec(shape=(None, 1), dtype=string), TensorSpec(shape=(None,), dtype=int32))", data.elementSpec());
    List<String> seen = new ArrayList<>();
    for (Batch batch : data) {
      try (batch) {
        TString text = batch.features(TString.class);
        for (long r = 0; r < batch.size(); r++) seen.add(text.getObject(r, 0));
      }
    }
    assertEquals(List.of("a", "bé", "c"), seen);
  }

  /** An iterator that counts its closes, as a file reader would hold a file. */
  private static final class Counting implements Iterator<Example>, AutoCloseable {
    private final int count;
    private final AtomicInteger closes;
    private int next;

    Counting(int count, AtomicInteger closes) {
      this.count = count;
      this.closes = closes;
    }

    @Override
    public boolean hasNext() {
      return next < count;
    }

    @Override
    public Example next() {
      int i = next++;
      return Example.of(List.of(NdArrays.vectorOf(i), NdArrays.vectorOfObjects("row" + i)), List.of(NdArrays.scalarOf((float) i)), null);
    }

    @Override
    public void close() {
      closes.incrementAndGet();
    }
  }

  @Test
  void aGeneratorIsReadOncePerPassAndClosed() {
    AtomicInteger closes = new AtomicInteger();
    Dataset data = Dataset.fromGenerator(() -> new Counting(5, closes), 5).batch(2);
    assertEquals(3, data.cardinality());
    int spec = closes.get(); // the element spec reads the first example of a pass
    for (int pass = 0; pass < 2; pass++) {
      List<Integer> values = new ArrayList<>();
      for (Batch batch : data) {
        try (batch) {
          TInt32 ints = batch.features(0) instanceof TInt32 t ? t : null;
          for (long r = 0; r < batch.size(); r++) values.add(ints.getInt(r, 0));
        }
      }
      assertEquals(List.of(0, 1, 2, 3, 4), values);
    }
    assertEquals(spec + 2, closes.get());
    try (DatasetIterator early = data.iterator()) {
      early.next().close();
    }
    assertEquals(spec + 3, closes.get(), "a pass closed early closes its iterator");
  }

  @Test
  void aGeneratorThatBreaksItsCardinalityFails() {
    AtomicInteger closes = new AtomicInteger();
    var fewer = assertThrows(IllegalStateException.class, () -> {
      for (Batch b : Dataset.fromGenerator(() -> new Counting(3, closes), 4)) b.close();
    });
    assertEquals("The generator ended after 3 examples, but the dataset was made with cardinality 4;"
        + " every pass must yield the same examples.", fewer.getMessage());
    var more = assertThrows(IllegalStateException.class, () -> {
      for (Batch b : Dataset.fromGenerator(() -> new Counting(5, closes), 4)) b.close();
    });
    assertTrue(more.getMessage().startsWith("The generator yields more than the 4 examples"), more.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Dataset.fromGenerator(() -> new Counting(1, closes), 0));
  }

  @Test
  void namesAreKeptBySelectedAndCheckedWhenGiven() {
    Dataset data = Dataset.fromTensorSlices(List.of(new float[] {1, 2}, new int[] {3, 4}, new float[] {5, 6}), new float[] {0, 1})
        .withFeatureNames(List.of("a", "b", "c"));
    Dataset picked = data.shuffle(2, 1).batch(2).prefetch(1).selectFeatures(List.of("c", "a"));
    assertEquals(List.of("c", "a"), picked.featureNames());
    assertEquals("((TensorSpec(shape=(None,), dtype=float32), TensorSpec(shape=(None,), dtype=float32)),"
        + " TensorSpec(shape=(None,), dtype=float32))", picked.elementSpec());
    float sum = 0;
    for (Batch batch : picked) {
      try (batch) {
        var c = (org.tensorflow.types.TFloat32) batch.features(0);
        var a = (org.tensorflow.types.TFloat32) batch.features(1);
        for (long r = 0; r < batch.size(); r++) {
          assertEquals(c.getFloat(r) - 4, a.getFloat(r));
          sum += a.getFloat(r);
        }
      }
    }
    assertEquals(3f, sum);
    assertThrows(IllegalArgumentException.class, () -> data.withFeatureNames(List.of("a", "b")));
    assertThrows(IllegalArgumentException.class, () -> data.withFeatureNames(List.of("a", "a", "b")));
    var unnamed = assertThrows(IllegalStateException.class,
        () -> Dataset.fromTensorSlices(new float[] {1}).selectFeatures(List.of("a")));
    assertTrue(unnamed.getMessage().contains("have no names"), unnamed.getMessage());
    assertThrows(IllegalArgumentException.class, () -> data.concatenate(data.withFeatureNames(List.of("x", "y", "z"))));
  }
}
