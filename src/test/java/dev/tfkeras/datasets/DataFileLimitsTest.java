package dev.tfkeras.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** Sizes declared by headers are checked before allocating; labels outside 0..9 are refused. */
class DataFileLimitsTest {

  @TempDir Path directory;

  /** Runs {@code body} expecting it to fail, and returns the message and the bytes it allocated. */
  private static String failsWithin(long maxBytes, Executable body) {
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    InvalidDataFileException e = assertThrows(InvalidDataFileException.class, body);
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertTrue(allocated < maxBytes, "allocated " + allocated + " bytes");
    return e.getMessage();
  }

  @Test
  void aSixteenByteIdxClaimingHugeImagesIsRefusedBeforeAllocating() throws IOException {
    // magic + three dimensions = 16 bytes, claiming 40000 images of 200x200: 1.6 GB
    byte[] header = TestFiles.idx(new int[] {40000, 200, 200}, new byte[0]);
    assertEquals(16, header.length);
    Path raw = Files.write(directory.resolve("train-images-idx3-ubyte"), header);
    assertEquals(
        "file " + raw + " is truncated: shape [40000, 200, 200] needs 1600000000 data bytes, received: 0;"
            + " delete it and fetch it again",
        failsWithin(16 << 20, () -> IdxReader.read(raw, 3)));
    Path gzipped = Files.write(directory.resolve("images.gz"), TestFiles.gzip(header));
    assertEquals(
        "file " + gzipped + " is truncated: shape [40000, 200, 200] needs 1600000000 data bytes, received: 0;"
            + " delete it and fetch it again",
        failsWithin(16 << 20, () -> IdxReader.read(gzipped, 3)));
  }

  @Test
  void anNpyHeaderClaimingMoreThanItsEntryHoldsIsRefusedBeforeAllocating() throws IOException {
    Path npz = directory.resolve("mnist.npz");
    Map<String, byte[]> arrays = new LinkedHashMap<>();
    arrays.put("x_train", TestFiles.npy("|u1", "(40000, 200, 200)", new byte[8]));
    TestFiles.writeNpz(npz, arrays, true);
    assertEquals(
        "x_train.npy in " + npz + " is truncated: shape [40000, 200, 200] of dtype '|u1' needs 1600000000"
            + " data bytes, received: 8",
        failsWithin(16 << 20, () -> NpzReader.read(npz, "x_train")));
  }

  @Test
  void idxLabelsOutsideZeroToNineAreRefusedNamingFileAndIndex() throws IOException {
    var data = new TestFiles.FakeMnist(5, 2, 4, 3);
    data.writeIdx(directory);
    Path labels = directory.resolve("t10k-labels-idx1-ubyte");
    Files.write(labels, TestFiles.idx(new int[] {2}, new byte[] {7, (byte) 200}));
    Map<MnistFile, Path> files = new java.util.EnumMap<>(MnistFile.class);
    for (MnistFile file : MnistFile.values()) {
      files.put(file, directory.resolve(file.fileName()));
    }
    var e = assertThrows(InvalidDataFileException.class, () -> RawMnist.readIdx(files, "test").toData());
    assertEquals(
        labels + " holds the label 200 at index 1, expected a digit in 0..9; the file is corrupt or not"
            + " MNIST labels",
        e.getMessage());
  }

  @Test
  void npzLabelsOutsideZeroToNineAreRefusedNamingFileAndIndex() throws IOException {
    Path npz = directory.resolve("mnist.npz");
    Map<String, byte[]> arrays = new LinkedHashMap<>();
    arrays.put("x_train", TestFiles.npy("|u1", "(3, 2, 2)", new byte[12]));
    arrays.put("y_train", TestFiles.npy("<i8", "(3,)", TestFiles.int64(1, 2, 10)));
    arrays.put("x_test", TestFiles.npy("|u1", "(1, 2, 2)", new byte[4]));
    arrays.put("y_test", TestFiles.npy("|u1", "(1,)", new byte[] {9}));
    TestFiles.writeNpz(npz, arrays, false);
    var e = assertThrows(InvalidDataFileException.class, () -> RawMnist.readNpz(npz, "test").toData());
    assertEquals(
        "y_train in " + npz + " holds the label 10 at index 2, expected a digit in 0..9; the file is corrupt"
            + " or not MNIST labels",
        e.getMessage());
  }

  @Test
  void aFlippedBitInAStoredNpzEntryFailsItsCrc() throws IOException {
    Path npz = directory.resolve("mnist.npz");
    byte[] pixels = TestFiles.npy("|u1", "(1, 2, 2)", new byte[] {1, 2, 3, 4});
    TestFiles.writeNpz(npz, Map.of("x_test", pixels), false);
    byte[] bytes = Files.readAllBytes(npz);
    int last = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("\n\u0001\u0002\u0003\u0004") + 4;
    bytes[last] ^= 0x01; // pixel 4 becomes 5
    Files.write(npz, bytes);
    var e = assertThrows(InvalidDataFileException.class, () -> NpzReader.read(npz, "x_test"));
    assertTrue(e.getMessage().startsWith("x_test.npy in " + npz + " is corrupt: it fails its CRC-32 check"), e.getMessage());
  }
}
