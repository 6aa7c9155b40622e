package dev.tfkeras.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The header of a NumPy {@code .npy} array (format versions 1 to 3): its dtype descriptor, memory
 * order, shape and where its data starts. Readers of {@code .npy} data share it so that every one
 * rejects a malformed header with the same message; what dtypes they accept is theirs to decide.
 */
public final class NpyHeader {

  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");
  private static final int MAX_HEADER = 1 << 20;

  private final String source;
  private final Function<String, ? extends IOException> invalid;
  private final String descr;
  private final boolean fortranOrder;
  private final long[] shape;
  private final long dataOffset;

  private NpyHeader(
      String source,
      Function<String, ? extends IOException> invalid,
      String descr,
      boolean fortranOrder,
      long[] shape,
      long dataOffset) {
    this.source = source;
    this.invalid = invalid;
    this.descr = descr;
    this.fortranOrder = fortranOrder;
    this.shape = shape;
    this.dataOffset = dataOffset;
  }

  /**
   * Reads the header from the start of {@code in}, leaving it at the first data byte.
   *
   * @param source names the array in messages, e.g. "/data/x.npy" or "x_train.npy in mnist.npz"
   * @param invalid makes the exception thrown for malformed content from its message, e.g. {@code
   *     IOException::new}
   * @throws IOException from {@code invalid} for a bad magic string, version, header or shape
   */
  public static NpyHeader read(
      InputStream in, String source, Function<String, ? extends IOException> invalid)
      throws IOException {
    byte[] magic = readExactly(in, 8, source, "the .npy magic string and version", invalid);
    if (!Arrays.equals(Arrays.copyOf(magic, 6), MAGIC)) {
      throw invalid.apply(
          source + " is not a .npy array: expected it to start with \\x93NUMPY, received: "
              + printable(Arrays.copyOf(magic, 6)));
    }
    int major = magic[6];
    if (major < 1 || major > 3) {
      throw invalid.apply(
          source + " uses .npy format version " + major + "." + magic[7] + ", expected 1.x, 2.x or 3.x");
    }
    int lengthBytes = major == 1 ? 2 : 4;
    ByteBuffer length =
        ByteBuffer.wrap(readExactly(in, lengthBytes, source, "the header length", invalid))
            .order(ByteOrder.LITTLE_ENDIAN);
    long headerLength =
        major == 1 ? Short.toUnsignedInt(length.getShort()) : Integer.toUnsignedLong(length.getInt());
    if (headerLength > MAX_HEADER) {
      throw invalid.apply(
          source + " declares a .npy header of " + headerLength + " bytes, expected at most 1 MiB");
    }
    String header =
        new String(
            readExactly(in, (int) headerLength, source, "the end of the header", invalid),
            major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    String descr = find(DESCR, header, source, "'descr'", invalid);
    boolean fortranOrder = find(FORTRAN, header, source, "'fortran_order'", invalid).equals("True");
    long[] shape = parseShape(find(SHAPE, header, source, "'shape'", invalid), source, invalid);
    return new NpyHeader(source, invalid, descr, fortranOrder, shape, 8 + lengthBytes + headerLength);
  }

  /**
   * Writes a version 1.0 header for a C-order array, padded as numpy pads it so that the data
   * starts 64-byte aligned; the caller then writes the data, e.g. in chunks.
   *
   * @param descr numpy's dtype descriptor, e.g. {@code "|u1"} or {@code "<f4"}
   */
  public static void write(OutputStream out, String descr, long... shape) throws IOException {
    String dims = Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(", "));
    if (shape.length == 1) {
      dims += ",";
    }
    StringBuilder header =
        new StringBuilder("{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + dims + "), }");
    int unpadded = MAGIC.length + 4 + header.length() + 1;
    header.append(" ".repeat((64 - unpadded % 64) % 64)).append('\n');
    byte[] text = header.toString().getBytes(StandardCharsets.ISO_8859_1);
    if (text.length > 0xFFFF) {
      throw new IllegalArgumentException(
          "a .npy 1.0 header holds at most 65535 bytes, received a shape of " + shape.length + " dimensions");
    }
    out.write(MAGIC);
    out.write(new byte[] {1, 0, (byte) (text.length & 0xFF), (byte) (text.length >> 8)});
    out.write(text);
  }

  /** numpy's dtype descriptor, e.g. {@code "|u1"}, {@code "<f4"} or {@code ">i8"}. */
  public String descr() {
    return descr;
  }

  /** Whether the data is stored in Fortran (column-major) order. */
  public boolean fortranOrder() {
    return fortranOrder;
  }

  /** The dimensions, outermost first; empty for a scalar. */
  public long[] shape() {
    return shape.clone();
  }

  /** Bytes before the data: magic string, version, header length and header. */
  public long dataOffset() {
    return dataOffset;
  }

  /** Number of values the shape describes ({@link Long#MAX_VALUE} if it overflows). */
  public long valueCount() {
    long count = 1;
    for (long dimension : shape) {
      count = dimension == 0 ? 0 : count <= Long.MAX_VALUE / dimension ? count * dimension : Long.MAX_VALUE;
    }
    return count;
  }

  /** Bytes of data the shape needs with values of {@code itemSize} bytes (saturating). */
  public long dataBytes(int itemSize) {
    long count = valueCount();
    return count > Long.MAX_VALUE / itemSize ? Long.MAX_VALUE : count * itemSize;
  }

  /**
   * Refuses Fortran order for arrays of two or more dimensions (one-dimensional arrays are laid
   * out alike in both orders).
   */
  public void requireCOrder() throws IOException {
    if (fortranOrder && shape.length > 1) {
      throw invalid.apply(
          source + " is stored in Fortran order, expected C order (fortran_order: False)");
    }
  }

  /**
   * Refuses data shorter than the shape needs.
   *
   * @param available data bytes present after the header (negative counts as none)
   */
  public void requireData(int itemSize, long available) throws IOException {
    long needed = dataBytes(itemSize);
    if (available < needed) {
      throw invalid.apply(
          source + " is truncated: " + describe() + " needs " + needed + " data bytes, received: "
              + Math.max(0, available));
    }
  }

  /** Whether {@code other} declares the same array: dtype, order, shape and data offset. */
  public boolean sameArray(NpyHeader other) {
    return descr.equals(other.descr) && fortranOrder == other.fortranOrder
        && Arrays.equals(shape, other.shape) && dataOffset == other.dataOffset;
  }

  /** E.g. {@code shape [60000, 28, 28] of dtype '|u1'}. */
  public String describe() {
    return "shape " + Arrays.toString(shape) + " of dtype '" + descr + "'";
  }

  @Override
  public String toString() {
    return "NpyHeader(" + source + ": " + describe() + (fortranOrder ? ", Fortran order" : "") + ")";
  }

  private static long[] parseShape(
      String tuple, String source, Function<String, ? extends IOException> invalid) throws IOException {
    String[] parts = tuple.split(",");
    long[] shape = new long[parts.length];
    int rank = 0;
    for (String part : parts) {
      String dimension = part.trim();
      if (dimension.endsWith("L")) {
        dimension = dimension.substring(0, dimension.length() - 1);
      }
      if (dimension.isEmpty()) {
        continue;
      }
      try {
        shape[rank] = Long.parseLong(dimension);
      } catch (NumberFormatException e) {
        throw invalid.apply(
            source + " has an unreadable shape (" + tuple + "), expected a tuple of integers");
      }
      if (shape[rank] < 0) {
        throw invalid.apply(source + " has a negative dimension in its shape (" + tuple + ")");
      }
      rank++;
    }
    return Arrays.copyOf(shape, rank);
  }

  private static String find(
      Pattern pattern,
      String header,
      String source,
      String key,
      Function<String, ? extends IOException> invalid)
      throws IOException {
    Matcher matcher = pattern.matcher(header);
    if (!matcher.find()) {
      throw invalid.apply(
          source + " has no readable " + key + " entry in its .npy header, received: " + header.strip());
    }
    return matcher.group(1);
  }

  private static byte[] readExactly(
      InputStream in,
      int length,
      String source,
      String what,
      Function<String, ? extends IOException> invalid)
      throws IOException {
    byte[] bytes = in.readNBytes(length);
    if (bytes.length < length) {
      throw invalid.apply(
          source + " is truncated: it ends before " + what + " (" + bytes.length + " of " + length + " bytes)");
    }
    return bytes;
  }

  private static String printable(byte[] bytes) {
    StringBuilder text = new StringBuilder();
    for (byte b : bytes) {
      text.append(b >= 0x20 && b < 0x7F ? String.valueOf((char) b) : String.format("\\x%02x", b & 0xFF));
    }
    return text.toString();
  }
}
