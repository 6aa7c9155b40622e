package dev.tfkeras.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {

  @TempDir Path directory;

  private Path write(String name, byte[] content) throws IOException {
    return Files.write(directory.resolve(name), content);
  }

  private String rejected(Path file, int rank) {
    return assertThrows(InvalidDataFileException.class, () -> IdxReader.read(file, rank))
        .getMessage();
  }

  @Test
  void readsRawImages() throws IOException {
    byte[] pixels = {0, 1, 2, 3, 4, 5, (byte) 200, (byte) 255, 8, 9, 10, 11};
    Path file = write("images", TestFiles.idx(new int[] {2, 2, 3}, pixels));
    UInt8Array images = IdxReader.read(file, 3);
    assertArrayEquals(new long[] {2, 2, 3}, images.shape());
    assertArrayEquals(pixels, images.data());
    assertEquals(255, images.get(7));
    assertEquals(200, images.get(6));
  }

  @Test
  void readsGzippedLabelsRecognisedByContent() throws IOException {
    byte[] labels = {5, 0, 4, 1, 9};
    Path file = write("labels-without-gz-suffix", TestFiles.gzip(TestFiles.idx(new int[] {5}, labels)));
    UInt8Array read = IdxReader.read(file);
    assertArrayEquals(new long[] {5}, read.shape());
    assertArrayEquals(labels, read.data());
  }

  @Test
  void rejectsABadMagicNumber() throws IOException {
    Path file = write("bad-magic", TestFiles.idx(0x12340803, new int[] {1, 1, 1}, new byte[1]));
    assertEquals(
        "file " + file + " is not an IDX file: expected a magic number 0x000008NN, received: 0x12340803",
        rejected(file, 3));
  }

  @Test
  void rejectsNonByteData() throws IOException {
    Path file = write("floats", TestFiles.idx(0x0D01, new int[] {1}, new byte[4]));
    assertEquals(
        "file " + file + " holds IDX data type 0x0D, only unsigned bytes (0x08) are supported;"
            + " received magic number 0x00000D01",
        rejected(file, 1));
  }

  @Test
  void rejectsTheWrongNumberOfDimensions() throws IOException {
    Path file = write("labels", TestFiles.idx(new int[] {3}, new byte[3]));
    assertEquals(
        "file " + file + " has 1 dimensions, expected 3 (magic number 0x00000803),"
            + " received magic number 0x00000801",
        rejected(file, 3));
  }

  @Test
  void rejectsATruncatedHeader() throws IOException {
    byte[] complete = TestFiles.idx(new int[] {2, 28, 28}, new byte[2 * 28 * 28]);
    Path file = write("short-header", Arrays.copyOf(complete, 9));
    assertEquals(
        "file " + file + " is truncated: it ends before dimension 1 of the IDX header",
        rejected(file, 3));
  }

  @Test
  void rejectsTruncatedData() throws IOException {
    byte[] complete = TestFiles.idx(new int[] {2, 28, 28}, new byte[2 * 28 * 28]);
    Path file = write("short-data", Arrays.copyOf(complete, complete.length - 10));
    assertEquals(
        "file " + file + " is truncated: shape [2, 28, 28] needs 1568 data bytes, received: 1558;"
            + " delete it and fetch it again",
        rejected(file, 3));
  }

  @Test
  void rejectsATruncatedGzipStream() throws IOException {
    byte[] pixels = new byte[100 * 28 * 28];
    new java.util.Random(1).nextBytes(pixels);
    byte[] gzipped = TestFiles.gzip(TestFiles.idx(new int[] {100, 28, 28}, pixels));
    Path file = write("images.gz", Arrays.copyOf(gzipped, gzipped.length / 2));
    assertEquals(
        "file " + file + " is a truncated or corrupt gzip stream (Unexpected end of ZLIB input stream);"
            + " delete it and fetch it again",
        rejected(file, 3));
  }

  @Test
  void rejectsTrailingBytes() throws IOException {
    byte[] complete = TestFiles.idx(new int[] {4}, new byte[4]);
    Path file = write("long", Arrays.copyOf(complete, complete.length + 3));
    assertEquals(
        "file " + file + " has 3 unexpected bytes after the 4 data bytes of shape [4]",
        rejected(file, 1));
  }

  @Test
  void rejectsAnEmptyFile() throws IOException {
    Path file = write("empty", new byte[0]);
    assertEquals(
        "file " + file + " is truncated: it ends before the magic number of the IDX header",
        rejected(file, 1));
  }
}
