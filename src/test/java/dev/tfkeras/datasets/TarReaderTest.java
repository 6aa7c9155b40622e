package dev.tfkeras.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarReaderTest {

  private static Map<String, byte[]> readAll(InputStream in) throws IOException {
    TarReader tar = new TarReader(in, "test.tar");
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (TarReader.Entry entry = tar.next(); entry != null; entry = tar.next()) {
      byte[] content = tar.content().readAllBytes();
      assertEquals(entry.size(), content.length, entry.name());
      files.put(entry.name(), content);
    }
    return files;
  }

  private static byte[] bytes(int count, int seed) {
    byte[] data = new byte[count];
    for (int i = 0; i < count; i++) {
      data[i] = (byte) (i * 31 + seed);
    }
    return data;
  }

  @Test
  void readsRegularFilesAndSkipsDirectories() throws IOException {
    ByteArrayOutputStream archive = new ByteArrayOutputStream();
    TestFiles.TarWriter tar = new TestFiles.TarWriter(archive);
    tar.directory("package/");
    tar.file("package/package.json", "{}".getBytes(StandardCharsets.UTF_8));
    tar.file("package/data/train-labels-idx1-ubyte", bytes(1500, 1));
    tar.file("package/data/empty", new byte[0]);
    tar.file("package/data/exact", bytes(512, 2));
    tar.finish();
    Map<String, byte[]> files = readAll(new ByteArrayInputStream(archive.toByteArray()));
    assertEquals(
        java.util.List.of(
            "package/package.json",
            "package/data/train-labels-idx1-ubyte",
            "package/data/empty",
            "package/data/exact"),
        java.util.List.copyOf(files.keySet()));
    assertArrayEquals(bytes(1500, 1), files.get("package/data/train-labels-idx1-ubyte"));
    assertArrayEquals(new byte[0], files.get("package/data/empty"));
    assertArrayEquals(bytes(512, 2), files.get("package/data/exact"));
  }

  @Test
  void entriesCanBeSkippedUnread() throws IOException {
    ByteArrayOutputStream archive = new ByteArrayOutputStream();
    TestFiles.TarWriter writer = new TestFiles.TarWriter(archive);
    writer.file("a", bytes(700, 3));
    writer.file("b", bytes(10, 4));
    writer.finish();
    TarReader tar = new TarReader(new ByteArrayInputStream(archive.toByteArray()), "test.tar");
    assertEquals(new TarReader.Entry("a", 700), tar.next());
    assertEquals(5, tar.content().read(new byte[5]));
    assertEquals(new TarReader.Entry("b", 10), tar.next());
    assertArrayEquals(bytes(10, 4), tar.content().readAllBytes());
    assertNull(tar.next());
  }

  @Test
  void honoursPaxAndGnuLongNames() throws IOException {
    String longName = "package/" + "d".repeat(120) + "/t10k-images-idx3-ubyte";
    ByteArrayOutputStream archive = new ByteArrayOutputStream();
    TestFiles.TarWriter tar = new TestFiles.TarWriter(archive);
    tar.paxPath(longName);
    tar.file("truncated-name", bytes(3, 5));
    tar.gnuLongName(longName + "2");
    tar.file("other-truncated-name", bytes(4, 6));
    tar.finish();
    Map<String, byte[]> files = readAll(new ByteArrayInputStream(archive.toByteArray()));
    assertEquals(java.util.List.of(longName, longName + "2"), java.util.List.copyOf(files.keySet()));
    assertArrayEquals(bytes(4, 6), files.get(longName + "2"));
  }

  @Test
  void rejectsACorruptHeader() throws IOException {
    ByteArrayOutputStream archive = new ByteArrayOutputStream();
    new TestFiles.TarWriter(archive).file("a", bytes(10, 1));
    byte[] corrupt = archive.toByteArray();
    corrupt[3] ^= 0x40;
    TarReader tar = new TarReader(new ByteArrayInputStream(corrupt), "test.tar");
    InvalidDataFileException error = assertThrows(InvalidDataFileException.class, tar::next);
    assertEquals(
        "test.tar has a corrupt tar header: checksum field is 3137 but the header sums to 3201",
        error.getMessage());
  }

  @Test
  void rejectsATruncatedEntry() throws IOException {
    ByteArrayOutputStream archive = new ByteArrayOutputStream();
    new TestFiles.TarWriter(archive).file("a", bytes(1000, 1));
    byte[] truncated = Arrays.copyOf(archive.toByteArray(), 512 + 600);
    TarReader tar = new TarReader(new ByteArrayInputStream(truncated), "test.tar");
    tar.next();
    InvalidDataFileException error =
        assertThrows(InvalidDataFileException.class, () -> tar.content().readAllBytes());
    assertEquals(
        "test.tar is truncated: it ends 400 bytes before the end of an entry", error.getMessage());
  }

  @Test
  void readsAnArchiveMadeByTheSystemTar(@TempDir Path directory) throws Exception {
    Path source = Files.createDirectories(directory.resolve("package").resolve("data"));
    Files.write(source.resolve("t10k-labels-idx1-ubyte"), bytes(10008, 7));
    Files.write(source.resolve("small"), bytes(3, 8));
    Process tar;
    try {
      tar =
          new ProcessBuilder("tar", "cf", "archive.tar", "package")
              .directory(directory.toFile())
              .redirectErrorStream(true)
              .start();
    } catch (IOException e) {
      assumeTrue(false, "no tar command: " + e.getMessage());
      return;
    }
    assumeTrue(tar.waitFor(30, TimeUnit.SECONDS) && tar.exitValue() == 0, "tar failed");
    try (InputStream in = Files.newInputStream(directory.resolve("archive.tar"))) {
      Map<String, byte[]> files = readAll(in);
      assertArrayEquals(bytes(10008, 7), files.get("package/data/t10k-labels-idx1-ubyte"));
      assertArrayEquals(bytes(3, 8), files.get("package/data/small"));
      assertEquals(2, files.size());
    }
  }
}
