package dev.tfkeras.data;

import static dev.tfkeras.data.NpyTestFiles.openDescriptors;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.family.TType;

/** {@link Dataset#fromNpyFiles}: rows, stages, errors, open files and memory of a streamed dataset. */
class NpyFilesDatasetTest {

  @TempDir Path directory;

  private static Dataset stream(Path x, Path y, int chunkBytes) throws IOException {
    return Dataset.fromNpyFiles(List.of(x), List.of(y), null, chunkBytes);
  }

  /** Every column of every batch of a pass, concatenated column by column into flat arrays. */
  private static List<Object> columns(Iterator<Batch> pass) {
    List<List<Object>> parts = new ArrayList<>();
    while (pass.hasNext()) {
      try (Batch batch = pass.next()) {
        TType[] tensors = batch.tensors();
        for (int c = 0; c < tensors.length; c++) {
          if (parts.size() <= c) {
            parts.add(new ArrayList<>());
          }
          parts.get(c).add(NpyTestFiles.flat(tensors[c]));
        }
      }
    }
    List<Object> columns = new ArrayList<>();
    for (List<Object> column : parts) {
      int total = column.stream().mapToInt(java.lang.reflect.Array::getLength).sum();
      Object all = java.lang.reflect.Array.newInstance(column.get(0).getClass().getComponentType(), total);
      int offset = 0;
      for (Object part : column) {
        int length = java.lang.reflect.Array.getLength(part);
        System.arraycopy(part, 0, all, offset, length);
        offset += length;
      }
      columns.add(all);
    }
    return columns;
  }

  private static void drain(Iterator<Batch> pass) {
    while (pass.hasNext()) {
      pass.next().close();
    }
  }

  private static void assertSameValues(Object expected, Object actual, String what) {
    assertTrue(
        Objects.deepEquals(expected, actual),
        what + ": expected " + text(expected) + " but read " + text(actual));
  }

  private static String text(Object array) {
    return Arrays.deepToString(new Object[] {array});
  }

  @Test
  void rowsReadAreTheRowsWrittenForEveryDtypeAcrossChunkBoundaries() throws IOException {
    int rows = 23;
    int[] labels = (int[]) NpyTestFiles.values(HostType.INT32, rows);
    Path y = NpyTestFiles.write(directory.resolve("y.npy"), HostType.INT32, labels, rows);
    for (HostType type : HostType.values()) {
      if (type == HostType.STRING) {
        continue; // .npy files hold numbers and booleans
      }
      for (ByteOrder order : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)) {
        Object values = NpyTestFiles.values(type, rows * 6);
        Path x = NpyTestFiles.write(directory.resolve("x.npy"), type, order, values, rows, 3, 2);
        Dataset inMemory =
            Dataset.fromTensorSlices(type.view(Shape.of(rows, 3, 2), values, 0, rows * 6), labels);
        int rowBytes = 6 * NpyTestFiles.width(type);
        // one row per chunk, 5 (23 is no multiple of it), exactly all rows, more than all rows
        for (int chunkRows : new int[] {1, 5, 23, 1000}) {
          String what = NpyTestFiles.descr(type, order) + " in chunks of " + chunkRows + " rows";
          Dataset streamed = stream(x, y, chunkRows * Math.max(rowBytes, 4));
          assertEquals(rows, streamed.cardinality(), what);
          assertEquals(inMemory.elementSpec(), streamed.elementSpec(), what);
          List<Object> batched = columns(streamed.batch(7).iterator());
          assertSameValues(values, batched.get(0), what);
          assertSameValues(labels, batched.get(1), what);
          List<Object> single = columns(streamed.iterator());
          assertSameValues(values, single.get(0), what + ", unbatched");
        }
      }
    }
  }

  @Test
  void severalInputsTargetsAndSampleWeightsKeepTheirOrder() throws IOException {
    int rows = 9;
    Object images = NpyTestFiles.values(HostType.UINT8, rows * 4);
    Object ids = NpyTestFiles.values(HostType.INT64, rows);
    Object classes = NpyTestFiles.values(HostType.INT32, rows);
    Object targets = NpyTestFiles.values(HostType.FLOAT64, rows * 2);
    Object weights = NpyTestFiles.values(HostType.FLOAT32, rows);
    Dataset streamed =
        Dataset.fromNpyFiles(
            List.of(
                NpyTestFiles.write(directory.resolve("images.npy"), HostType.UINT8, images, rows, 2, 2),
                NpyTestFiles.write(directory.resolve("ids.npy"), HostType.INT64, ids, rows)),
            List.of(
                NpyTestFiles.write(directory.resolve("classes.npy"), HostType.INT32, classes, rows),
                NpyTestFiles.write(directory.resolve("targets.npy"), HostType.FLOAT64, targets, rows, 2)),
            NpyTestFiles.write(directory.resolve("w.npy"), HostType.FLOAT32, weights, rows));
    assertEquals(2, streamed.featureCount());
    assertEquals(2, streamed.labelCount());
    assertTrue(streamed.hasSampleWeights());
    assertEquals(
        "((TensorSpec(shape=(None, 2, 2), dtype=uint8), TensorSpec(shape=(None,), dtype=int64)),"
            + " (TensorSpec(shape=(None,), dtype=int32), TensorSpec(shape=(None, 2), dtype=float64)),"
            + " TensorSpec(shape=(None,), dtype=float32))",
        streamed.batch(4).elementSpec());
    List<Object> read = columns(streamed.batch(4).iterator());
    List<Object> written = List.of(images, ids, classes, targets, weights);
    for (int c = 0; c < written.size(); c++) {
      assertSameValues(written.get(c), read.get(c), "column " + c);
    }
    Dataset inference = Dataset.fromNpyFiles(directory.resolve("images.npy"));
    assertEquals(0, inference.labelCount());
    assertSameValues(images, columns(inference.batch(5).iterator()).get(0), "inputs only");
  }

  @Test
  void everyStageOrdersTheStreamAsItOrdersTheSameArraysInMemory() throws IOException {
    int rows = 1000;
    int[] x = (int[]) NpyTestFiles.values(HostType.INT32, rows * 4);
    long[] y = new long[rows];
    Arrays.setAll(y, i -> i);
    Dataset streamed =
        stream(
            NpyTestFiles.write(directory.resolve("x.npy"), HostType.INT32, x, rows, 4),
            NpyTestFiles.write(directory.resolve("y.npy"), HostType.INT64, y, rows),
            13 * 16); // 13 rows per chunk: rows straddle chunks in every batch
    Dataset inMemory =
        Dataset.fromTensorSlices(HostType.INT32.view(Shape.of(rows, 4), x, 0, rows * 4), y);
    List<UnaryOperator<Dataset>> pipelines =
        List.of(
            d -> d.shuffle(100, 42).batch(32),
            d -> d.shuffle(100, 42).repeat(2).batch(50).prefetch(2),
            d -> d.skip(10).take(900).shuffle(64, 7, false).batch(16),
            d -> d.map(e -> e).shuffle(rows, 3).batch(100),
            d -> d.cache().shuffle(10, 1).batch(10),
            d -> d.concatenate(d).shuffle(300, 5).batch(64, true));
    for (int p = 0; p < pipelines.size(); p++) {
      Dataset a = pipelines.get(p).apply(streamed);
      Dataset b = pipelines.get(p).apply(inMemory);
      assertEquals(b.cardinality(), a.cardinality(), "pipeline " + p);
      assertEquals(b.elementSpec(), a.elementSpec(), "pipeline " + p);
      for (long pass : new long[] {0, 1, 5}) {
        List<Object> expected = columns(b.iterator(pass));
        List<Object> actual = columns(a.iterator(pass));
        for (int c = 0; c < 2; c++) {
          assertSameValues(expected.get(c), actual.get(c), "pipeline " + p + ", pass " + pass + ", column " + c);
        }
      }
      // successive iterator() calls number their passes alike
      for (int k = 0; k < 2; k++) {
        assertSameValues(columns(b.iterator()).get(1), columns(a.iterator()).get(1), "pipeline " + p + ", iterator() " + k);
      }
    }
  }

  @Test
  void badFilesAreRefusedNamingTheFileWhatWasExpectedAndWhatWasFound() throws IOException {
    Path x = NpyTestFiles.write(directory.resolve("x.npy"), HostType.FLOAT32, new float[20], 10, 2);
    Path y = NpyTestFiles.write(directory.resolve("y.npy"), HostType.INT32, new int[9], 9);
    assertEquals(
        "Data cardinality is ambiguous: x (" + x + ") has 10 examples but y (" + y + ") has 9. Make"
            + " sure all files contain the same number of samples (the first axis).",
        assertThrows(IllegalArgumentException.class, () -> Dataset.fromNpyFiles(x, y)).getMessage());

    Path fortran =
        Files.write(
            directory.resolve("fortran.npy"),
            NpyTestFiles.raw("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", new byte[24]));
    assertEquals(
        fortran + " is stored in Fortran order, expected C order (fortran_order: False)",
        refused(fortran));

    Path truncated =
        Files.write(
            directory.resolve("truncated.npy"),
            NpyTestFiles.raw("{'descr': '<f4', 'fortran_order': False, 'shape': (4, 3), }", new byte[40]));
    assertEquals(
        truncated + " is truncated: shape [4, 3] of dtype '<f4' needs 48 data bytes, received: 40",
        refused(truncated));

    Path longer =
        Files.write(
            directory.resolve("longer.npy"),
            NpyTestFiles.raw("{'descr': '|u1', 'fortran_order': False, 'shape': (2,), }", new byte[5]));
    assertEquals(longer + " has 3 unexpected bytes after its 2 data bytes", refused(longer));

    Path missing = directory.resolve("missing.npy");
    assertEquals("Cannot read " + missing + ": " + missing + " does not exist.", refused(missing));

    Path html = Files.writeString(directory.resolve("page.npy"), "<html>not found</html>");
    assertEquals(
        html + " is not a .npy array: expected it to start with \\x93NUMPY, received: <html>",
        refused(html));

    Path int16 =
        Files.write(
            directory.resolve("int16.npy"),
            NpyTestFiles.raw("{'descr': '<i2', 'fortran_order': False, 'shape': (2,), }", new byte[4]));
    assertEquals(
        int16 + " has dtype '<i2', which is not supported: expected '|u1' (uint8), '|b1' (bool),"
            + " '<i4' (int32), '<i8' (int64), '<f4' (float32) or '<f8' (float64) (either byte"
            + " order); convert it with numpy, e.g. np.save(path, a.astype(np.float32))",
        refused(int16));

    Path scalar = NpyTestFiles.write(directory.resolve("scalar.npy"), HostType.FLOAT32, new float[1]);
    assertEquals(
        scalar + " holds a scalar (shape []), expected an array whose first axis has one row per example",
        refused(scalar));

    Path empty = NpyTestFiles.write(directory.resolve("empty.npy"), HostType.FLOAT32, new float[0], 0, 3);
    assertEquals(
        "The data must hold at least one example, received x (" + empty + ") of shape (0, 3).",
        assertThrows(IllegalArgumentException.class, () -> Dataset.fromNpyFiles(empty)).getMessage());

    assertEquals(
        "y must not be null; for inputs without targets use fromNpyFiles(x).",
        assertThrows(IllegalArgumentException.class, () -> Dataset.fromNpyFiles(x, null)).getMessage());
    assertEquals(
        "sampleWeight was given without targets y; weights apply to the loss, which needs y.",
        assertThrows(IllegalArgumentException.class, () -> Dataset.fromNpyFiles(List.of(x), List.of(), y))
            .getMessage());
  }

  private static String refused(Path file) {
    return assertThrows(IOException.class, () -> Dataset.fromNpyFiles(file)).getMessage();
  }

  /** x: 50 rows of 4 float32 (16 bytes a row), y: 50 int32. */
  private Dataset fiftyRows(int chunkRows) throws IOException {
    Path x = NpyTestFiles.write(directory.resolve("x.npy"), HostType.FLOAT32, NpyTestFiles.values(HostType.FLOAT32, 200), 50, 4);
    Path y = NpyTestFiles.write(directory.resolve("y.npy"), HostType.INT32, NpyTestFiles.values(HostType.INT32, 50), 50);
    return stream(x, y, chunkRows * 16);
  }

  @Test
  void aFileTruncatedOrRewrittenBetweenPassesFailsTheNextPassNamingIt() throws IOException {
    Dataset data = fiftyRows(8).batch(8);
    Path x = directory.resolve("x.npy");
    drain(data.iterator());
    byte[] whole = Files.readAllBytes(x);
    Files.write(x, Arrays.copyOf(whole, whole.length - 80));
    UncheckedIOException failure = assertThrows(UncheckedIOException.class, () -> drain(data.iterator()));
    assertEquals(
        x + " is truncated: shape [50, 4] of dtype '<f4' needs 800 data bytes, received: 720",
        failure.getMessage());
    assertInstanceOf(IOException.class, failure.getCause());

    // through a prefetch thread, the same failure is the cause
    IllegalStateException prefetched =
        assertThrows(IllegalStateException.class, () -> drain(data.prefetch(2).iterator()));
    assertInstanceOf(UncheckedIOException.class, prefetched.getCause());
    assertEquals(failure.getMessage(), prefetched.getCause().getMessage());

    NpyTestFiles.write(x, HostType.FLOAT32, new float[100], 50, 2);
    assertEquals(
        x + " changed since the dataset was created: it now holds shape [50, 2] of dtype '<f4' (data"
            + " at byte 128), the dataset was made for shape [50, 4] of dtype '<f4' (data at byte"
            + " 128); create the dataset again.",
        assertThrows(UncheckedIOException.class, () -> drain(data.iterator())).getMessage());

    Files.delete(x);
    assertEquals(
        "Cannot read " + x + ": " + x + " does not exist.",
        assertThrows(UncheckedIOException.class, () -> drain(data.iterator())).getMessage());
  }

  @Test
  void aFileChangedWhileAPassReadsItFailsThatPassInsteadOfMixingVersions() throws IOException {
    Dataset data = fiftyRows(5).batch(5);
    Path x = directory.resolve("x.npy");
    try (DatasetIterator pass = data.iterator()) {
      pass.next().close(); // the first chunk
      try (FileChannel channel = FileChannel.open(x, StandardOpenOption.WRITE)) {
        channel.truncate(channel.size() - 100);
      }
      String message = assertThrows(UncheckedIOException.class, () -> drain(pass)).getMessage();
      assertTrue(message.startsWith(x + " changed while a pass was reading it (size 928 -> 828 bytes"), message);
      assertTrue(message.endsWith("Keep a dataset's files unchanged while it is iterated."), message);
    }
    Dataset same = fiftyRows(5).batch(5);
    try (DatasetIterator pass = same.iterator()) {
      pass.next().close();
      // same size, new content: only the modification time tells
      byte[] whole = Files.readAllBytes(x);
      whole[whole.length - 1] ^= 1;
      FileTime before = Files.getLastModifiedTime(x);
      Files.write(x, whole);
      Files.setLastModifiedTime(x, FileTime.fromMillis(before.toMillis() + 2000));
      String message = assertThrows(UncheckedIOException.class, () -> drain(pass)).getMessage();
      assertTrue(message.startsWith(x + " changed while a pass was reading it (size 928 -> 928 bytes"), message);
    }
  }

  @Test
  void aFileDeletedWhileAPassReadsItSaysSoAndWhatToDo() throws IOException {
    Dataset data = fiftyRows(5).batch(5);
    Path x = directory.resolve("x.npy");
    try (DatasetIterator pass = data.iterator()) {
      pass.next().close(); // the first chunk
      Files.delete(x);
      String message = assertThrows(UncheckedIOException.class, () -> drain(pass)).getMessage();
      assertEquals(
          x + " was deleted or truncated during the pass; a dataset reads its files on every pass,"
              + " so don't modify, move or delete the files a dataset streams while it is in use"
              + " (copy them first if they must change), then create the dataset again.",
          message);
    }
  }

  @Test
  void aPassOpensItsFilesAndClosesThemWhenItEndsFailsOrIsClosed() throws Exception {
    Dataset data = fiftyRows(4);
    Path x = directory.resolve("x.npy");
    Path y = directory.resolve("y.npy");
    assumeTrue(openDescriptors(x) >= 0, "needs /proc/self/fd");
    assertEquals(0, openDescriptors(x), "making the dataset reads the headers and closes the files");

    try (DatasetIterator pass = data.batch(4).iterator()) {
      pass.next().close();
      assertEquals(1, openDescriptors(x));
      assertEquals(1, openDescriptors(y));
    }
    assertEquals(0, openDescriptors(x) + openDescriptors(y), "closed with the iterator");

    DatasetIterator prefetched = data.batch(4).prefetch(2).iterator();
    prefetched.next().close();
    assertEquals(1, openDescriptors(x));
    prefetched.close();
    assertEquals(0, openDescriptors(x) + openDescriptors(y), "closed once close() returns, with prefetch");

    drain(data.batch(7).iterator());
    assertEquals(0, openDescriptors(x) + openDescriptors(y), "closed at the end of the pass");
    drain(data.take(3).iterator());
    assertEquals(0, openDescriptors(x) + openDescriptors(y), "closed when take() ends the pass early");

    DatasetIterator repeated = data.repeat(3).batch(6).iterator();
    int batches = 0;
    while (repeated.hasNext()) {
      repeated.next().close();
      batches++;
      assertTrue(openDescriptors(x) <= 1, "one repetition's files open at a time");
    }
    assertEquals(25, batches);
    assertEquals(0, openDescriptors(x) + openDescriptors(y));

    assertEquals(data.elementSpec(), data.map(e -> e).elementSpec());
    assertEquals(0, openDescriptors(x) + openDescriptors(y), "map's element-spec probe closes its pass");

    byte[] whole = Files.readAllBytes(x);
    Files.write(x, Arrays.copyOf(whole, whole.length - 16));
    assertThrows(IllegalStateException.class, () -> drain(data.batch(4).prefetch(2).iterator()));
    assertEquals(0, openDescriptors(x) + openDescriptors(y), "closed when the pass fails");
    Files.write(x, whole);

    abandonAfterOneBatch(data.batch(4));
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (openDescriptors(x) > 0 && System.nanoTime() < deadline) {
      System.gc();
      Thread.sleep(20);
    }
    assertEquals(0, openDescriptors(x), "an abandoned pass's files close once it is collected");
  }

  private static void abandonAfterOneBatch(Dataset data) {
    data.iterator().next().close();
  }

  /**
   * Each row is copied out of its chunk, so a shuffle buffer holds its rows and not the chunks: with
   * a 20 MB file the heap held mid-pass is the buffer (1,000 rows of 512 bytes) plus a chunk per
   * file. (If rows were views into the reused chunk, the shuffled order test above would also read
   * overwritten rows.)
   */
  @Test
  void aShuffleOverTheStreamHoldsItsBufferNotTheFile() throws IOException, InterruptedException {
    int rows = 40_000;
    int width = 512;
    Path x = directory.resolve("big-x.npy");
    Path y = directory.resolve("big-y.npy");
    writeBig(x, y, rows, width);
    Dataset data = Dataset.fromNpyFiles(x, y).shuffle(1000, 1).batch(100);
    long before = usedHeapAfterGc();
    try (DatasetIterator pass = data.iterator()) {
      for (int i = 0; i < rows / 200; i++) {
        pass.next().close();
      }
      long held = usedHeapAfterGc() - before;
      assertTrue(
          held < 4 << 20,
          "heap held in the middle of a pass: " + held + " bytes for a " + Files.size(x) + "-byte file");
    }
  }

  private static void writeBig(Path x, Path y, int rows, int width) throws IOException {
    NpyTestFiles.write(x, HostType.UINT8, NpyTestFiles.values(HostType.UINT8, rows * width), rows, width);
    NpyTestFiles.write(y, HostType.INT32, NpyTestFiles.values(HostType.INT32, rows), rows);
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(30);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
