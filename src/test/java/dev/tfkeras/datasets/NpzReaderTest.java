package dev.tfkeras.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpzReaderTest {

  @TempDir Path directory;

  private Path npz(boolean deflate, Map<String, byte[]> arrays) throws IOException {
    Path file = directory.resolve("arrays.npz");
    TestFiles.writeNpz(file, arrays, deflate);
    return file;
  }

  private Path single(String key, byte[] npy) throws IOException {
    return npz(true, Map.of(key, npy));
  }

  private String rejected(Path file, String... keys) {
    return assertThrows(InvalidDataFileException.class, () -> NpzReader.read(file, keys))
        .getMessage();
  }

  @Test
  void readsUint8ArraysFromStoredAndDeflatedArchives() throws IOException {
    byte[] pixels = {0, 7, (byte) 128, (byte) 255, 1, 2};
    for (boolean deflate : List.of(true, false)) {
      Map<String, byte[]> arrays = new LinkedHashMap<>();
      arrays.put("x", TestFiles.npy("|u1", "(2, 3)", pixels));
      arrays.put("y", TestFiles.npy("|u1", "(2,)", new byte[] {5, 0}));
      Map<String, UInt8Array> read = NpzReader.read(npz(deflate, arrays), "y", "x");
      assertEquals(List.of("y", "x"), List.copyOf(read.keySet()));
      assertArrayEquals(new long[] {2, 3}, read.get("x").shape());
      assertArrayEquals(pixels, read.get("x").data());
      assertEquals(255, read.get("x").get(3));
      assertArrayEquals(new long[] {2}, read.get("y").shape());
      assertArrayEquals(new byte[] {5, 0}, read.get("y").data());
    }
  }

  @Test
  void readsVersion2HeadersAndWideIntegerLabels() throws IOException {
    Path file = single("labels", TestFiles.npy(2, "<i8", "(4,)", false, TestFiles.int64(9, 0, 255, 3)));
    UInt8Array labels = NpzReader.read(file, "labels").get("labels");
    assertArrayEquals(new long[] {4}, labels.shape());
    assertEquals(List.of(9, 0, 255, 3), List.of(labels.get(0), labels.get(1), labels.get(2), labels.get(3)));
  }

  @Test
  void readsAScalarShape() throws IOException {
    UInt8Array scalar = NpzReader.read(single("s", TestFiles.npy("|u1", "()", new byte[] {42})), "s").get("s");
    assertEquals(0, scalar.rank());
    assertEquals(42, scalar.get(0));
  }

  @Test
  void rejectsValuesOutsideUint8() throws IOException {
    Path file = single("labels", TestFiles.npy("<i8", "(3,)", TestFiles.int64(1, 300, 2)));
    assertEquals(
        "labels.npy in " + file + " holds the value 300 at flat index 1 (dtype '<i8'),"
            + " expected values in 0..255",
        rejected(file, "labels"));
  }

  @Test
  void rejectsAnUnsupportedDtype() throws IOException {
    Path file = single("x", TestFiles.npy("<f4", "(2,)", new byte[8]));
    assertEquals(
        "x.npy in " + file + " has dtype '<f4', which is not supported: expected an integer dtype"
            + " such as '|u1' (uint8) or '<i8' (int64) holding values in 0..255",
        rejected(file, "x"));
  }

  @Test
  void rejectsAMissingKeyListingTheKeysPresent() throws IOException {
    Map<String, byte[]> arrays = new LinkedHashMap<>();
    arrays.put("x_train", TestFiles.npy("|u1", "(1,)", new byte[1]));
    arrays.put("y_train", TestFiles.npy("|u1", "(1,)", new byte[1]));
    Path file = npz(true, arrays);
    assertEquals(
        "file " + file + " has no array 'y_test' (expected an entry y_test.npy), it holds: [x_train, y_train]",
        rejected(file, "x_train", "y_test"));
  }

  @Test
  void rejectsTruncatedArrayData() throws IOException {
    byte[] complete = TestFiles.npy("|u1", "(2, 5)", new byte[10]);
    Path file = single("x", Arrays.copyOf(complete, complete.length - 4));
    assertEquals(
        "x.npy in " + file + " is truncated: shape [2, 5] of dtype '|u1' needs 10 data bytes, received: 6",
        rejected(file, "x"));
  }

  @Test
  void rejectsDataThatDoesNotMatchTheShape() throws IOException {
    Path file = single("x", TestFiles.npy("|u1", "(2,)", new byte[5]));
    assertEquals(
        "x.npy in " + file + " has 3 unexpected bytes after its 2 data bytes", rejected(file, "x"));
  }

  @Test
  void rejectsAnEntryThatIsNotNpy() throws IOException {
    Path file = single("x", "just some text".getBytes());
    assertEquals(
        "x.npy in " + file + " is not a .npy array: expected it to start with \\x93NUMPY,"
            + " received: just s",
        rejected(file, "x"));
  }

  @Test
  void rejectsFortranOrder() throws IOException {
    Path file = single("x", TestFiles.npy(1, "|u1", "(2, 2)", true, new byte[4]));
    assertEquals(
        "x.npy in " + file + " is stored in Fortran order, expected C order (fortran_order: False)",
        rejected(file, "x"));
  }

  @Test
  void rejectsAHeaderWithoutShape() throws IOException {
    byte[] npy = TestFiles.npy("|u1", "(2,)", new byte[2]);
    String text = new String(npy, java.nio.charset.StandardCharsets.ISO_8859_1).replace("'shape'", "'shapf'");
    Path file = single("x", text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    String message = rejected(file, "x");
    assertTrue(message.startsWith("x.npy in " + file + " has no readable 'shape' entry in its .npy header, received: {'descr'"), message);
  }

  @Test
  void rejectsAFileThatIsNotAZip() throws IOException {
    Path file = Files.writeString(directory.resolve("mnist.npz"), "<html>not found</html>");
    String message = rejected(file, "x_train");
    assertTrue(
        message.startsWith("file " + file + " is not a valid .npz (zip) archive: "), message);
  }
}
