package dev.tfkeras.datasets;

import dev.tfkeras.io.FileErrors;
import dev.tfkeras.io.PartFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.LongConsumer;

/**
 * Saves fetched files so that only complete, checksum-verified files ever appear under their
 * final name: bytes go to a {@link PartFile} in the target directory, which is moved into place
 * atomically once its SHA-256 matches, and deleted on any failure (or, after a kill, by the next
 * save of that file).
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
    try (PartFile part = PartFile.create(target)) {
      MessageDigest digest = sha256();
      OutputStream out = part.output();
      byte[] buffer = new byte[1 << 16];
      long total = 0;
      for (int count; (count = in.read(buffer)) >= 0; ) {
        try {
          out.write(buffer, 0, count);
        } catch (IOException e) {
          throw FileErrors.explain(e, "write", target);
        }
        digest.update(buffer, 0, count);
        total += count;
        progress.accept(total);
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
      part.commit();
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

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM lacks SHA-256, which every Java platform must provide", e);
    }
  }
}
