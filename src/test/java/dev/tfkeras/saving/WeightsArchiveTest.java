package dev.tfkeras.saving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tfkeras.io.Npy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeightsArchiveTest {

  @TempDir Path tmp;

  static Npy.Array floats(long[] shape, float... values) {
    ByteBuffer data = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      data.putFloat(v);
    }
    return new Npy.Array(Npy.DType.FLOAT32, shape, data.flip());
  }

  static Map<String, Npy.Array> arrays() {
    Map<String, Npy.Array> arrays = new LinkedHashMap<>();
    arrays.put("dense/kernel", floats(new long[] {3, 2}, 0.5f, -1.25f, 2f, 3.5f, -0.75f, 1f));
    arrays.put("dense/bias", floats(new long[] {2}, 0.1f, -0.2f));
    ByteBuffer step = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 7L);
    arrays.put("optimizer/adam/iterations", new Npy.Array(Npy.DType.INT64, new long[0], step));
    return arrays;
  }

  static void assertSame(Map<String, Npy.Array> expected, Map<String, Npy.Array> actual) {
    assertEquals(List.copyOf(expected.keySet()), List.copyOf(actual.keySet()));
    for (String key : expected.keySet()) {
      Npy.Array e = expected.get(key);
      Npy.Array a = actual.get(key);
      assertEquals(e.type(), a.type(), key);
      assertArrayEquals(e.shape(), a.shape(), key);
      assertEquals(e.data(), a.data(), key);
    }
  }

  @Test
  void everySingleBitFlipIsRejectedByNameOrChangesNothing() throws IOException {
    Path file = tmp.resolve("weights.npz");
    WeightsArchive.write(file, arrays());
    byte[] good = Files.readAllBytes(file);
    assertSame(arrays(), WeightsArchive.read(file));
    int rejected = 0;
    for (int i = 0; i < good.length; i++) {
      for (int bit = 0; bit < 8; bit += 3) { // bits 0, 3 and 6 of every byte
        byte[] bad = good.clone();
        bad[i] ^= (byte) (1 << bit);
        Files.write(file, bad);
        Map<String, Npy.Array> read;
        try {
          read = WeightsArchive.read(file);
        } catch (IOException e) {
          assertTrue(e.getMessage().contains(file.toString()), "byte " + i + " bit " + bit + ": " + e.getMessage());
          rejected++;
          continue;
        }
        // what is not rejected must read back exactly (e.g. a flip in a timestamp)
        assertSame(arrays(), read);
      }
    }
    assertTrue(rejected > good.length, rejected + " of " + 3 * good.length + " flips rejected");
  }

  /** An npz whose entries are stored uncompressed, as numpy's np.savez writes them. */
  static byte[] storedNpz(Map<String, byte[]> entries) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        ZipEntry entry = new ZipEntry(e.getKey());
        CRC32 crc = new CRC32();
        crc.update(e.getValue());
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(e.getValue().length);
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        zip.write(e.getValue());
        zip.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  static byte[] npy(Npy.Array array) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Npy.write(array, out);
    return out.toByteArray();
  }

  @Test
  void aFlippedBitInANumpyWrittenArchiveFailsTheCrcCheck() throws IOException {
    byte[] kernel = npy(floats(new long[] {2}, 1f, 2f));
    byte[] npz = storedNpz(Map.of("kernel.npy", kernel));
    Path file = Files.write(tmp.resolve("weights.npz"), npz);
    assertEquals(1f, WeightsArchive.read(file).get("kernel").data().getFloat(0));

    int last = indexOf(npz, kernel) + kernel.length - 1; // the last byte of the second float
    npz[last] ^= 0x01;
    Files.write(file, npz);
    CRC32 good = new CRC32();
    good.update(kernel);
    kernel[kernel.length - 1] ^= 0x01;
    CRC32 bad = new CRC32();
    bad.update(kernel);
    var e = assertThrows(IOException.class, () -> WeightsArchive.read(file));
    assertEquals(
        "Weights archive " + file + " is damaged: entry kernel.npy fails its CRC-32 check (stored "
            + String.format("0x%08x", good.getValue()) + ", computed " + String.format("0x%08x", bad.getValue())
            + "). Nothing was loaded; save the weights again, or restore the file from a copy.",
        e.getMessage());
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }

  @Test
  void aTruncatedArchiveIsNamed() throws IOException {
    Path file = tmp.resolve("weights.npz");
    WeightsArchive.write(file, arrays());
    byte[] good = Files.readAllBytes(file);
    for (int length : new int[] {0, 10, good.length / 2, good.length - 1}) {
      Files.write(file, java.util.Arrays.copyOf(good, length));
      var e = assertThrows(IOException.class, () -> WeightsArchive.read(file), "length " + length);
      assertTrue(e.getMessage().startsWith("Weights archive " + file + " is damaged: it is not a readable zip archive ("),
          e.getMessage());
      assertTrue(e.getMessage().endsWith("); it is truncated or corrupt. Nothing was loaded; save the weights"
          + " again, or restore the file from a copy."), e.getMessage());
    }
  }

  @Test
  void aHeaderDeclaringMoreThanTheEntryHoldsIsRejectedBeforeAllocating() throws IOException {
    byte[] full = npy(floats(new long[] {1}, 1f));
    // the same header claiming (40000, 40000): 6.4 GB of float32, in an entry of a few bytes
    String header = new String(full, 10, full.length - 14, StandardCharsets.ISO_8859_1);
    String claimed = header.replace("(1,)", "(40000, 40000)");
    byte[] lie = java.util.Arrays.copyOf(full, full.length);
    byte[] text = String.format("%-" + header.length() + "s", claimed.strip()).getBytes(StandardCharsets.ISO_8859_1);
    text[text.length - 1] = '\n';
    System.arraycopy(text, 0, lie, 10, text.length);
    Path file = Files.write(tmp.resolve("weights.npz"), storedNpz(Map.of("kernel.npy", lie)));
    var e = assertThrows(IOException.class, () -> WeightsArchive.read(file));
    assertEquals(
        "Weights archive " + file + " is damaged: entry kernel.npy is not a valid array (the npy header"
            + " declares float32 [40000, 40000] (6400000000 bytes of data), but only 4 bytes follow the"
            + " header: the file is truncated or damaged). Nothing was loaded; save the weights again, or"
            + " restore the file from a copy.",
        e.getMessage());
  }

  @Test
  void otherEntriesAndDuplicatesAreRejected() throws IOException {
    byte[] kernel = npy(floats(new long[] {1}, 1f));
    Path file = Files.write(tmp.resolve("a.npz"), storedNpz(Map.of("kernel.npx", kernel)));
    assertEquals(
        "Weights archive " + file + " is damaged: it holds an entry 'kernel.npx', expected only .npy arrays."
            + " Nothing was loaded; save the weights again, or restore the file from a copy.",
        assertThrows(IOException.class, () -> WeightsArchive.read(file)).getMessage());
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void leftoverPartFilesAreRemovedButNotOnesBeingWritten() throws IOException {
    Path file = tmp.resolve("weights.npz");
    Files.writeString(tmp.resolve("weights.npz.0b5f.part"), "left by a killed save");
    Files.writeString(tmp.resolve("weights.npz123456789.part"), "left by an older tfkeras");
    Path busy = Files.writeString(tmp.resolve("weights.npz.busy.part"), "being written");
    Files.writeString(tmp.resolve("other.npz.1.part"), "not ours");
    try (FileChannel channel = FileChannel.open(busy, StandardOpenOption.WRITE);
        FileLock lock = channel.lock()) {
      WeightsArchive.write(file, arrays());
      assertTrue(lock.isValid());
      assertEquals(List.of("other.npz.1.part", "weights.npz", "weights.npz.busy.part"), names(tmp));
    }
    WeightsArchive.write(file, arrays());
    assertEquals(List.of("other.npz.1.part", "weights.npz"), names(tmp));
  }

  @Test
  void aFullDiskIsAnIOExceptionNamingTheFileAndKeepsThePreviousArchive() throws Exception {
    Path file = tmp.resolve("weights.npz");
    WeightsArchive.write(file, arrays());
    byte[] previous = Files.readAllBytes(file);
    // the IOException a full disk gives a FileChannel write: it names no file
    try (var full = SavePoints.inject(SavePoints.WEIGHTS_FIRST_ENTRY, p -> {
      throw new IOException("No space left on device");
    })) {
      var e = assertThrows(IOException.class, () -> WeightsArchive.write(file, arrays()));
      assertEquals(
          "Cannot write " + file + ": no space left on device. Free some space, or choose another location.",
          e.getMessage());
    }
    assertArrayEquals(previous, Files.readAllBytes(file));
    assertEquals(List.of("weights.npz"), names(tmp));
  }

  @Test
  void theArchiveKeepsTheUsersUmask() throws IOException {
    assumeTrue(tmp.getFileSystem().supportedFileAttributeViews().contains("posix"), "POSIX permissions");
    Path file = tmp.resolve("weights.npz");
    WeightsArchive.write(file, arrays());
    Path plain = Files.createFile(tmp.resolve("plain"));
    assertEquals(
        PosixFilePermissions.toString(Files.getPosixFilePermissions(plain)),
        PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
  }
}
