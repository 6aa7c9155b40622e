package dev.tfkeras.io;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * NumPy's {@code .npy} format (version 1.0 written, 1.0-3.0 read) for little-endian float32, int32,
 * int64 and uint8 arrays in C order: what numpy's {@code np.save}/{@code np.load} exchange.
 */
public final class Npy {

  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  private Npy() {}

  /** Element types this codec reads and writes, with their numpy descriptors. */
  public enum DType {
    FLOAT32("<f4", 4),
    INT32("<i4", 4),
    INT64("<i8", 8),
    UINT8("|u1", 1);

    final String descr;
    final int bytes;

    DType(String descr, int bytes) {
      this.descr = descr;
      this.bytes = bytes;
    }

    static DType of(String descr, String source) throws IOException {
      String normalized = descr.replace('=', '<');
      if (normalized.equals("<u1") || normalized.equals("u1")) {
        normalized = "|u1";
      }
      for (DType type : values()) {
        if (type.descr.equals(normalized)) {
          return type;
        }
      }
      throw new IOException(
          source + ": unsupported npy dtype '" + descr + "'; expected one of "
              + Arrays.stream(values()).map(t -> t.descr).collect(Collectors.joining(", ")) + ".");
    }
  }

  /** An array: its type, shape and raw little-endian data in C order. */
  public record Array(DType type, long[] shape, ByteBuffer data) {

    public Array {
      long count = 1;
      for (long d : shape) {
        if (d < 0) {
          throw new IllegalArgumentException("npy dimensions must be >= 0, received " + Arrays.toString(shape));
        }
        count *= d;
      }
      if (data.remaining() != count * type.bytes) {
        throw new IllegalArgumentException(
            "npy data holds " + data.remaining() + " bytes, expected " + count * type.bytes
                + " for " + type + " " + Arrays.toString(shape) + ".");
      }
      shape = shape.clone();
      data = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public long[] shape() {
      return shape.clone();
    }

    /** A read-only little-endian view of the data. */
    @Override
    public ByteBuffer data() {
      return data.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public String toString() {
      return type + Arrays.toString(shape);
    }
  }

  /** Writes one array in npy 1.0 format. */
  public static void write(Array array, OutputStream out) throws IOException {
    String dims = Arrays.stream(array.shape).mapToObj(Long::toString).collect(Collectors.joining(", "));
    if (array.shape.length == 1) {
      dims += ",";
    }
    StringBuilder header =
        new StringBuilder("{'descr': '" + array.type.descr + "', 'fortran_order': False, 'shape': (" + dims + "), }");
    // magic(6) + version(2) + length(2) + header, padded with spaces to a multiple of 64, ends with \n
    int unpadded = MAGIC.length + 4 + header.length() + 1;
    header.append(" ".repeat((64 - unpadded % 64) % 64)).append('\n');
    out.write(MAGIC);
    out.write(new byte[] {1, 0});
    byte[] text = header.toString().getBytes(StandardCharsets.US_ASCII);
    out.write(new byte[] {(byte) (text.length & 0xff), (byte) (text.length >> 8)});
    out.write(text);
    ByteBuffer data = array.data();
    byte[] bytes = new byte[data.remaining()];
    data.get(bytes);
    out.write(bytes);
  }

  /**
   * Reads one array.
   *
   * @param source names the data in error messages (a file, an archive entry)
   * @throws IOException for bad magic, an unsupported dtype, Fortran order, or truncated data
   */
  public static Array read(InputStream in, String source) throws IOException {
    return read(in, source, -1);
  }

  /**
   * Reads one array of at most {@code available} bytes (header included), checking the size its
   * header declares against it before allocating, so a damaged header cannot exhaust memory.
   *
   * @param available the size of the npy data (e.g. a zip entry's size), or -1 if unknown
   */
  public static Array read(InputStream in, String source, long available) throws IOException {
    DataInputStream data = new DataInputStream(in);
    byte[] magic = readExactly(data, MAGIC.length, source, "the npy magic string");
    if (!Arrays.equals(magic, MAGIC)) {
      throw new IOException(source + ": not an npy array (bad magic " + hex(magic) + ", expected \\x93NUMPY).");
    }
    int major = readExactly(data, 2, source, "the npy version")[0] & 0xff;
    long headerLength;
    if (major == 1) {
      byte[] len = readExactly(data, 2, source, "the header length");
      headerLength = (len[0] & 0xff) | ((len[1] & 0xff) << 8);
    } else if (major == 2 || major == 3) {
      byte[] len = readExactly(data, 4, source, "the header length");
      headerLength = ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL;
    } else {
      throw new IOException(source + ": unsupported npy version " + major + " (expected 1, 2 or 3).");
    }
    if (headerLength > 1 << 20) {
      throw new IOException(source + ": npy header of " + headerLength + " bytes is not plausible (corrupt file?).");
    }
    String header =
        new String(readExactly(data, (int) headerLength, source, "the header"), StandardCharsets.ISO_8859_1);
    DType type = DType.of(find(DESCR, header, source, "descr"), source);
    if (find(FORTRAN, header, source, "fortran_order").equals("True")) {
      throw new IOException(source + ": Fortran-ordered arrays are not supported; save it in C order.");
    }
    long[] shape = parseShape(find(SHAPE, header, source, "shape"), source);
    long bytes = type.bytes;
    for (long d : shape) {
      bytes = d == 0 ? 0 : bytes <= Long.MAX_VALUE / d ? bytes * d : Long.MAX_VALUE;
    }
    long headerBytes = MAGIC.length + 2 + (major == 1 ? 2 : 4) + headerLength;
    if (available >= 0 && bytes > available - headerBytes) {
      throw new IOException(
          source + ": the npy header declares " + type.name().toLowerCase() + " " + Arrays.toString(shape)
              + " (" + bytes + " bytes of data), but only " + Math.max(0, available - headerBytes)
              + " bytes follow the header: the file is truncated or damaged.");
    }
    if (bytes > Integer.MAX_VALUE - 8) {
      throw new IOException(source + ": array of " + bytes + " bytes is too large.");
    }
    // read in chunks: memory grows with the bytes actually present, not with what the header claims
    byte[] payload = data.readNBytes((int) bytes);
    if (payload.length < bytes) {
      throw new IOException(
          source + ": truncated while reading the array data (" + bytes + " bytes expected).");
    }
    return new Array(type, shape, ByteBuffer.wrap(payload));
  }

  private static long[] parseShape(String tuple, String source) throws IOException {
    String[] parts = tuple.split(",");
    long[] dims = new long[parts.length];
    int rank = 0;
    for (String part : parts) {
      String p = part.trim();
      if (p.isEmpty()) {
        continue;
      }
      try {
        dims[rank] = Long.parseLong(p.endsWith("L") ? p.substring(0, p.length() - 1) : p);
      } catch (NumberFormatException e) {
        throw new IOException(source + ": bad npy shape (" + tuple + ").", e);
      }
      if (dims[rank] < 0) {
        throw new IOException(source + ": negative dimension in npy shape (" + tuple + ").");
      }
      rank++;
    }
    return Arrays.copyOf(dims, rank);
  }

  private static String find(Pattern pattern, String header, String source, String key) throws IOException {
    Matcher m = pattern.matcher(header);
    if (!m.find()) {
      throw new IOException(source + ": npy header has no '" + key + "': " + header.strip());
    }
    return m.group(1);
  }

  private static byte[] readExactly(DataInputStream in, int length, String source, String what) throws IOException {
    byte[] buffer = new byte[length];
    try {
      in.readFully(buffer);
    } catch (EOFException e) {
      throw new IOException(source + ": truncated while reading " + what + " (" + length + " bytes expected).", e);
    }
    return buffer;
  }

  private static String hex(byte[] bytes) {
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    for (byte b : bytes) {
      text.writeBytes(String.format("%02x", b & 0xff).getBytes(StandardCharsets.US_ASCII));
    }
    return text.toString(StandardCharsets.US_ASCII);
  }
}
