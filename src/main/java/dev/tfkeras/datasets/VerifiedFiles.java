package dev.tfkeras.datasets;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;
import java.util.function.LongConsumer;

/**
 * Saves fetched files so that only complete, checksum-verified files ever appear under their
 * final name: bytes go to a temporary file in the target directory, which is moved into place
 * atomically once its SHA-256 matches, and deleted on any failure.
 */
final class VerifiedFiles {

  private VerifiedFiles() {}

  /**
   * Copies {@code in} to {@code target} if its SHA-256 is {@code expectedSha256}.
   *
   * @param origin where the bytes come from, for error messages
   * @param progress told the running byte count after each chunk
   * @throws IOException if reading fails or the checksum differs; {@code target} is then untouched
   */
  static void save(
      InputStream in, Path target, String expectedSha256, String origin, LongConsumer progress)
      throws IOException {
    Path directory = target.toAbsolutePath().getParent();
    Files.createDirectories(directory);
    // Not Files.createTempFile: its owner-only permissions would stick to the final file.
    Path temporary =
        directory.resolve(target.getFileName() + "." + UUID.randomUUID() + ".part");
    try {
      MessageDigest digest = sha256();
      try (OutputStream out =
          Files.newOutputStream(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        byte[] buffer = new byte[1 << 16];
        long total = 0;
        for (int count; (count = in.read(buffer)) >= 0; ) {
          out.write(buffer, 0, count);
          digest.update(buffer, 0, count);
          total += count;
          progress.accept(total);
        }
      }
      String actual = HexFormat.of().formatHex(digest.digest());
      if (!actual.equalsIgnoreCase(expectedSha256)) {
        throw new IOException(
            "SHA-256 of "
                + target.getFileName()
                + " from "
                + origin
                + " is "
                + actual
                + ", expected "
                + expectedSha256
                + "; the file was discarded");
      }
      moveIntoPlace(temporary, target);
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  /** The SHA-256 of a file's content, in lowercase hex. */
  static String sha256(Path file) throws IOException {
    MessageDigest digest = sha256();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 16];
      for (int count; (count = in.read(buffer)) >= 0; ) {
        digest.update(buffer, 0, count);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static void moveIntoPlace(Path temporary, Path target) throws IOException {
    try {
      Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM lacks SHA-256, which every Java platform must provide", e);
    }
  }
}
