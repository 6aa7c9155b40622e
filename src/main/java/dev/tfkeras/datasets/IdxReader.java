package dev.tfkeras.datasets;

import dev.tfkeras.io.FileErrors;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads unsigned-byte IDX files, the format of the original MNIST distribution: a magic number
 * {@code 0x000008NN} (0x08 = unsigned byte, NN = number of dimensions), NN big-endian 32-bit
 * dimension sizes, then the values. Gzip-compressed files are recognised by content.
 */
public final class IdxReader {

  private static final int UNSIGNED_BYTE = 0x08;

  private IdxReader() {}

  /** Reads an unsigned-byte IDX file of any rank. */
  public static UInt8Array read(Path file) throws IOException {
    return read(file, -1);
  }

  /**
   * Reads an unsigned-byte IDX file that must have {@code expectedRank} dimensions (3 for images,
   * magic 0x00000803; 1 for labels, magic 0x00000801).
   *
   * @throws InvalidDataFileException naming the file if it is not such an IDX file
   */
  public static UInt8Array read(Path file, int expectedRank) throws IOException {
    boolean[] gzipped = new boolean[1];
    try (DataInputStream in = new DataInputStream(open(file, gzipped))) {
      int magic = readHeaderInt(in, file, "the magic number");
      int type = (magic >>> 8) & 0xFF;
      int rank = magic & 0xFF;
      if ((magic >>> 16) != 0) {
        throw new InvalidDataFileException(
            "file "
                + file
                + " is not an IDX file: expected a magic number 0x000008NN, received: "
                + hex(magic));
      }
      if (type != UNSIGNED_BYTE) {
        throw new InvalidDataFileException(
            "file "
                + file
                + " holds IDX data type 0x"
                + String.format("%02X", type)
                + ", only unsigned bytes (0x08) are supported; received magic number "
                + hex(magic));
      }
      if (expectedRank >= 0 && rank != expectedRank) {
        throw new InvalidDataFileException(
            "file "
                + file
                + " has "
                + rank
                + " dimensions, expected "
                + expectedRank
                + " (magic number "
                + hex(0x0800 | expectedRank)
                + "), received magic number "
                + hex(magic));
      }
      long[] shape = new long[rank];
      long size = 1;
      for (int i = 0; i < rank; i++) {
        shape[i] = Integer.toUnsignedLong(readHeaderInt(in, file, "dimension " + i));
        size *= shape[i];
        if (size > Integer.MAX_VALUE - 8) {
          throw new InvalidDataFileException(
              "file " + file + " declares too large a shape " + Arrays.toString(shape));
        }
      }
      // Checked before allocating: a damaged header must not claim gigabytes. A raw file's size is
      // known; a gzip stream is read in chunks, so memory grows only with the bytes it holds.
      long headerBytes = 4L + 4L * rank;
      if (!gzipped[0] && Files.size(file) - headerBytes < size) {
        throw truncated(file, shape, size, Math.max(0, Files.size(file) - headerBytes));
      }
      byte[] data = readData(in, (int) size, file);
      if (data.length < size) {
        throw truncated(file, shape, size, data.length);
      }
      long extra = countRemaining(in, file);
      if (extra > 0) {
        throw new InvalidDataFileException(
            "file "
                + file
                + " has "
                + extra
                + " unexpected bytes after the "
                + data.length
                + " data bytes of shape "
                + Arrays.toString(shape));
      }
      return new UInt8Array(shape, data);
    }
  }

  private static InvalidDataFileException truncated(Path file, long[] shape, long needed, long received) {
    return new InvalidDataFileException(
        "file " + file + " is truncated: shape " + Arrays.toString(shape) + " needs " + needed
            + " data bytes, received: " + received + "; delete it and fetch it again");
  }

  /** Up to {@code length} bytes, fewer if the stream ends, reporting a broken gzip stream. */
  private static byte[] readData(InputStream in, int length, Path file) throws IOException {
    try {
      return in.readNBytes(length);
    } catch (EOFException | ZipException e) {
      throw corruptGzip(file, e);
    }
  }

  private static long countRemaining(InputStream in, Path file) throws IOException {
    try {
      return in.transferTo(OutputStream.nullOutputStream());
    } catch (EOFException | ZipException e) {
      throw corruptGzip(file, e);
    }
  }

  private static InvalidDataFileException corruptGzip(Path file, IOException e) {
    return new InvalidDataFileException(
        "file " + file + " is a truncated or corrupt gzip stream (" + e.getMessage()
            + "); delete it and fetch it again",
        e);
  }

  private static InputStream open(Path file, boolean[] gzipped) throws IOException {
    InputStream in;
    try {
      in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    } catch (IOException e) {
      throw FileErrors.explain(e, "read", file);
    }
    in.mark(2);
    int first = in.read();
    int second = in.read();
    in.reset();
    if (first == 0x1F && second == 0x8B) {
      gzipped[0] = true;
      return new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
    }
    return in;
  }

  private static int readHeaderInt(DataInputStream in, Path file, String what) throws IOException {
    try {
      return in.readInt();
    } catch (EOFException e) {
      throw new InvalidDataFileException(
          "file " + file + " is truncated: it ends before " + what + " of the IDX header", e);
    }
  }

  private static String hex(int value) {
    return String.format("0x%08X", value);
  }
}
