package dev.tfkeras.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TString;

/**
 * {@code Dataset.fromChunkGenerator}: the rows of generated chunks, as tf.data's {@code
 * from_generator(chunks).unbatch()}, in order, batched across chunk boundaries, shuffled as the
 * same rows of {@code fromTensorSlices} are, and its checks of chunks and of the row count.
 */
class ChunkGeneratorDatasetTest {

  /** Rows 0..n-1 in chunks of the given sizes: an int (2,) row {i, 10 i}, a string, a float label i / 2. */
  private static final class Chunks implements Iterator<Example>, AutoCloseable {
    private final int[] sizes;
    private final AtomicInteger closes;
    private int chunk;
    private int row;

    Chunks(AtomicInteger closes, int... sizes) {
      this.sizes = sizes;
      this.closes = closes;
    }

    @Override
    public boolean hasNext() {
      return chunk < sizes.length;
    }

    @Override
    public Example next() {
      int n = sizes[chunk++];
      int[] ints = new int[2 * n];
      String[] strings = new String[n];
      float[] labels = new float[n];
      for (int i = 0; i < n; i++, row++) {
        ints[2 * i] = row;
        ints[2 * i + 1] = 10 * row;
        strings[i] = "Zürich " + row;
        labels[i] = row / 2f;
      }
      List<NdArray<?>> features = List.of(
          NdArrays.wrap(Shape.of(n, 2), DataBuffers.of(ints, true, false)),
          NdArrays.wrap(Shape.of(n), DataBuffers.of(strings, true, false)));
      return Example.of(features, List.of(NdArrays.wrap(Shape.of(n), DataBuffers.of(labels, true, false))), null);
    }

    @Override
    public void close() {
      closes.incrementAndGet();
    }
  }

  /** Every row of one pass: {first int, second int, string, label}. */
  private static List<List<Object>> rows(Dataset data) {
    List<List<Object>> rows = new ArrayList<>();
    for (Batch batch : data) {
      try (batch) {
        TInt32 ints = (TInt32) batch.features(0);
        TString strings = (TString) batch.features(1);
        TFloat32 labels = (TFloat32) batch.labels();
        for (long r = 0; r < batch.size(); r++) {
          rows.add(List.of(ints.getInt(r, 0), ints.getInt(r, 1), strings.getObject(r), labels.getFloat(r)));
        }
      }
    }
    return rows;
  }

  private static List<Object> row(int i) {
    return List.of(i, 10 * i, "Zürich " + i, i / 2f);
  }

  @Test
  void theRowsOfTheChunksAreTheExamplesInOrderAndBatchAcrossChunks() {
    AtomicInteger closes = new AtomicInteger();
    Dataset data = Dataset.fromChunkGenerator(() -> new Chunks(closes, 3, 0, 1, 4, 0), 8).batch(3);
    assertEquals(3, data.cardinality());
    assertEquals("((TensorSpec(shape=(None, 2), dtype=int32), TensorSpec(shape=(None,), dtype=string)),"
        + " TensorSpec(shape=(None,), dtype=float32))", data.elementSpec());
    List<List<Object>> expected = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      expected.add(row(i));
    }
    int spec = closes.get();
    assertEquals(expected, rows(data));
    assertEquals(expected, rows(data.prefetch(2)));
    assertEquals(spec + 2, closes.get(), "each pass closes its generator");
    List<Integer> sizes = new ArrayList<>();
    for (Batch batch : data) {
      try (batch) {
        sizes.add(batch.size());
      }
    }
    assertEquals(List.of(3, 3, 2), sizes);
  }

  @Test
  void shuffledRowsAreThoseOfTheSameArraysShuffledWithTheSameSeed() {
    int rows = 200;
    Dataset chunked = Dataset.fromChunkGenerator(() -> new Chunks(new AtomicInteger(), 64, 64, 64, 8), rows);
    int[][] ints = new int[rows][];
    String[] strings = new String[rows];
    float[] labels = new float[rows];
    for (int i = 0; i < rows; i++) {
      ints[i] = new int[] {i, 10 * i};
      strings[i] = "Zürich " + i;
      labels[i] = i / 2f;
    }
    Dataset sliced = Dataset.fromTensorSlices(List.of(ints, strings), labels);
    List<List<Object>> expected = rows(sliced.shuffle(50, 7).batch(16));
    assertEquals(expected, rows(chunked.shuffle(50, 7).batch(16)));
    assertEquals(expected, rows(chunked.shuffle(50, 7).batch(16).prefetch(Dataset.AUTOTUNE)));
    assertEquals(rows, expected.stream().distinct().count(), "a permutation of the rows");
    // a buffer holding copied chunk rows and views of arrays side by side, drained at the end
    assertEquals(rows(sliced.concatenate(sliced).shuffle(300, 3).batch(32)),
        rows(chunked.concatenate(sliced).shuffle(300, 3).batch(32)));
    assertEquals(rows(sliced.concatenate(sliced).shuffle(300, 3).batch(32)),
        rows(sliced.concatenate(chunked).shuffle(300, 3).batch(32)));
  }

  @Test
  void aGeneratorThatBreaksItsRowCountFailsSayingBoth() {
    AtomicInteger closes = new AtomicInteger();
    var fewer = assertThrows(IllegalStateException.class, () -> readPass(Dataset.fromChunkGenerator(() -> new Chunks(closes, 2, 2), 5)));
    assertEquals("The generator ended after 4 examples, but the dataset was made with cardinality 5;"
        + " every pass must yield the same examples.", fewer.getMessage());
    var more = assertThrows(IllegalStateException.class, () -> readPass(Dataset.fromChunkGenerator(() -> new Chunks(closes, 2, 3), 4)));
    assertEquals("The generator yields more than the 4 examples the dataset was made with"
        + " (Dataset.fromChunkGenerator(generator, 4)); pass the exact count.", more.getMessage());
    var zero = assertThrows(IllegalArgumentException.class, () -> Dataset.fromChunkGenerator(() -> new Chunks(closes, 1), 0));
    assertEquals("cardinality must be the positive number of rows of every pass, received: cardinality=0", zero.getMessage());
  }

  @Test
  void chunksOfAnotherStructureOrRaggedChunksAreRefused() {
    Example ints = Example.of(NdArrays.wrap(Shape.of(2, 1), DataBuffers.of(new int[] {1, 2}, true, false)),
        NdArrays.vectorOf(0f, 1f));
    Example floats = Example.of(NdArrays.wrap(Shape.of(2, 1), DataBuffers.of(new float[] {1, 2}, true, false)),
        NdArrays.vectorOf(0f, 1f));
    var other = assertThrows(IllegalStateException.class,
        () -> readPass(Dataset.fromChunkGenerator(() -> List.of(ints, floats).iterator(), 4)));
    assertEquals("The generator returned (TensorSpec(shape=(None, 1), dtype=float32), TensorSpec(shape=(None,),"
        + " dtype=float32)) for chunk 1 but (TensorSpec(shape=(None, 1), dtype=int32), TensorSpec(shape=(None,),"
        + " dtype=float32)) for the first one; every chunk must have the same structure, dtypes and shapes so"
        + " that their rows can be batched.", other.getMessage());
    Example ragged = Example.of(NdArrays.wrap(Shape.of(2, 1), DataBuffers.of(new int[] {1, 2}, true, false)),
        NdArrays.vectorOf(0f, 1f, 2f));
    var e = assertThrows(IllegalArgumentException.class,
        () -> readPass(Dataset.fromChunkGenerator(() -> List.of(ragged).iterator(), 2)));
    assertEquals("The arrays of chunk 0 have different first dimensions ([2, 3]); each array of a chunk must"
        + " hold one slice per row of the chunk.", e.getMessage());
    Example scalar = Example.of(NdArrays.scalarOf(1), NdArrays.scalarOf(0f));
    var s = assertThrows(IllegalArgumentException.class,
        () -> readPass(Dataset.fromChunkGenerator(() -> List.of(scalar).iterator(), 1)));
    assertTrue(s.getMessage().startsWith("chunk 0 features(0) must have a first axis with one slice per"), s.getMessage());
  }

  /** Reads a pass of any dataset, for the failures it raises. */
  private static void readPass(Dataset data) {
    for (Batch batch : data) {
      batch.close();
    }
  }
}
