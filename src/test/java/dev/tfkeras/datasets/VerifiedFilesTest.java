package dev.tfkeras.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifiedFilesTest {

  /** SHA-256 of the bytes "hello". */
  private static final String HELLO_SHA256 =
      "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";

  @TempDir Path directory;

  private List<String> fileNames() throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.map(path -> path.getFileName().toString()).sorted().toList();
    }
  }

  private static InputStream hello() {
    return new ByteArrayInputStream("hello".getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void savesAMatchingFileAndReportsProgress() throws IOException {
    Path target = directory.resolve("sub").resolve("hello.bin");
    List<Long> progress = new ArrayList<>();
    VerifiedFiles.save(hello(), target, HELLO_SHA256, "test", progress::add);
    assertArrayEquals("hello".getBytes(StandardCharsets.US_ASCII), Files.readAllBytes(target));
    assertEquals(List.of(5L), progress);
    assertEquals(List.of("hello.bin"), Files.list(target.getParent()).map(p -> p.getFileName().toString()).toList());
    assertEquals(HELLO_SHA256, VerifiedFiles.sha256(target));
  }

  @Test
  void aChecksumMismatchLeavesNothingBehind() throws IOException {
    Path target = directory.resolve("hello.bin");
    String wrong = "0".repeat(64);
    IOException error =
        assertThrows(IOException.class, () -> VerifiedFiles.save(hello(), target, wrong, "the test", n -> {}));
    assertEquals(
        "SHA-256 of hello.bin from the test is " + HELLO_SHA256 + ", expected " + wrong
            + "; the file was discarded",
        error.getMessage());
    assertEquals(List.of(), fileNames());
  }

  @Test
  void anInterruptedTransferLeavesTheOldFileAndNoTemporaryFile() throws IOException {
    Path target = Files.writeString(directory.resolve("data.bin"), "previous, verified content");
    InputStream failing =
        new InputStream() {
          private int served;

          @Override
          public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0];
          }

          @Override
          public int read(byte[] buffer, int offset, int length) throws IOException {
            if (served >= 100_000) {
              throw new IOException("connection reset");
            }
            int count = Math.min(length, 100_000 - served);
            java.util.Arrays.fill(buffer, offset, offset + count, (byte) 'x');
            served += count;
            return count;
          }
        };
    IOException error =
        assertThrows(IOException.class, () -> VerifiedFiles.save(failing, target, HELLO_SHA256, "test", n -> {}));
    assertEquals("connection reset", error.getMessage());
    assertEquals(List.of("data.bin"), fileNames());
    assertEquals("previous, verified content", Files.readString(target));
  }

  @Test
  void replacesAnExistingFileWhenTheNewOneVerifies() throws IOException {
    Path target = Files.writeString(directory.resolve("hello.bin"), "stale");
    VerifiedFiles.save(hello(), target, HELLO_SHA256.toUpperCase(), "test", n -> {});
    assertEquals("hello", Files.readString(target));
    assertEquals(List.of("hello.bin"), fileNames());
  }
}
