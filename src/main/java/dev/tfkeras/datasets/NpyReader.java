package dev.tfkeras.datasets;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one NumPy {@code .npy} array (format versions 1 to 3) holding integers in 0..255: {@code
 * |u1} directly, wider or signed integer types ({@code <i8}, {@code <u2}, ...) after checking each
 * value fits. C order only (Fortran order is accepted for one-dimensional arrays).
 */
final class NpyReader {

  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");
  private static final Pattern DTYPE = Pattern.compile("([<>|=]?)([iu])([1248])");

  private NpyReader() {}

  /**
   * Reads the array from {@code in}.
   *
   * @param source names the array in error messages, e.g. "x_train.npy in /data/mnist.npz"
   */
  static UInt8Array read(InputStream in, String source) throws IOException {
    return read(in, source, -1);
  }

  /**
   * Reads the array from {@code in}, which holds {@code available} bytes (header included; -1 if
   * unknown): the size the header declares is checked against it before anything is allocated.
   */
  static UInt8Array read(InputStream in, String source, long available) throws IOException {
    byte[] magic = readExactly(in, 8, source, "the .npy magic string and version");
    if (!Arrays.equals(Arrays.copyOf(magic, 6), MAGIC)) {
      throw new InvalidDataFileException(
          source
              + " is not a .npy array: expected it to start with \\x93NUMPY, received: "
              + printable(Arrays.copyOf(magic, 6)));
    }
    int major = magic[6];
    if (major < 1 || major > 3) {
      throw new InvalidDataFileException(
          source + " uses .npy format version " + major + "." + magic[7] + ", expected 1.x, 2.x or 3.x");
    }
    int headerLengthBytes = major == 1 ? 2 : 4;
    ByteBuffer lengthBuffer =
        ByteBuffer.wrap(readExactly(in, headerLengthBytes, source, "the header length"))
            .order(ByteOrder.LITTLE_ENDIAN);
    long headerLength =
        major == 1 ? Short.toUnsignedInt(lengthBuffer.getShort()) : Integer.toUnsignedLong(lengthBuffer.getInt());
    if (headerLength > 1 << 20) {
      throw new InvalidDataFileException(
          source + " declares a .npy header of " + headerLength + " bytes, expected at most 1 MiB");
    }
    String header =
        new String(
            readExactly(in, (int) headerLength, source, "the end of the header"),
            major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    String descr = find(DESCR, header, source, "'descr'");
    boolean fortranOrder = find(FORTRAN, header, source, "'fortran_order'").equals("True");
    long[] shape = parseShape(find(SHAPE, header, source, "'shape'"), source);
    Matcher dtype = DTYPE.matcher(descr);
    if (!dtype.matches()) {
      throw new InvalidDataFileException(
          source
              + " has dtype '"
              + descr
              + "', which is not supported: expected an integer dtype such as '|u1' (uint8) or '<i8'"
              + " (int64) holding values in 0..255");
    }
    if (fortranOrder && shape.length > 1) {
      throw new InvalidDataFileException(
          source + " is stored in Fortran order, expected C order (fortran_order: False)");
    }
    long count = 1;
    for (long dimension : shape) {
      count = dimension == 0 ? 0 : count <= Long.MAX_VALUE / dimension ? count * dimension : Long.MAX_VALUE;
    }
    int itemSize = Integer.parseInt(dtype.group(3));
    long bytes = count < 0 || count > Long.MAX_VALUE / itemSize ? Long.MAX_VALUE : count * itemSize;
    long dataAvailable = available - 6 - 2 - headerLengthBytes - headerLength;
    if (available >= 0 && bytes > dataAvailable) {
      throw new InvalidDataFileException(
          source + " is truncated: shape " + Arrays.toString(shape) + " of dtype '" + descr + "' needs "
              + bytes + " data bytes, received: " + Math.max(0, dataAvailable));
    }
    if (bytes > Integer.MAX_VALUE - 8) {
      throw new InvalidDataFileException(
          source + " has shape " + Arrays.toString(shape) + ", too large to load into memory");
    }
    // read in chunks: memory grows with the bytes present, not with what the header claims
    byte[] raw = in.readNBytes((int) bytes);
    int read = raw.length;
    if (read < bytes) {
      throw new InvalidDataFileException(
          source
              + " is truncated: shape "
              + Arrays.toString(shape)
              + " of dtype '"
              + descr
              + "' needs "
              + bytes
              + " data bytes, received: "
              + read);
    }
    long extra = in.transferTo(OutputStream.nullOutputStream());
    if (extra > 0) {
      throw new InvalidDataFileException(
          source + " has " + extra + " unexpected bytes after its " + raw.length + " data bytes");
    }
    boolean unsigned = dtype.group(2).equals("u");
    if (itemSize == 1 && unsigned) {
      return new UInt8Array(shape, raw);
    }
    ByteOrder order = dtype.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    return new UInt8Array(shape, narrow(ByteBuffer.wrap(raw).order(order), itemSize, unsigned, source, descr));
  }

  private static byte[] narrow(
      ByteBuffer values, int itemSize, boolean unsigned, String source, String descr)
      throws InvalidDataFileException {
    byte[] narrowed = new byte[values.capacity() / itemSize];
    for (int i = 0; i < narrowed.length; i++) {
      long value =
          switch (itemSize) {
            case 1 -> unsigned ? Byte.toUnsignedLong(values.get()) : values.get();
            case 2 -> unsigned ? Short.toUnsignedLong(values.getShort()) : values.getShort();
            case 4 -> unsigned ? Integer.toUnsignedLong(values.getInt()) : values.getInt();
            default -> values.getLong();
          };
      boolean inRange = unsigned && itemSize == 8 ? Long.compareUnsigned(value, 255) <= 0 : value >= 0 && value <= 255;
      if (!inRange) {
        throw new InvalidDataFileException(
            source
                + " holds the value "
                + (unsigned && itemSize == 8 ? Long.toUnsignedString(value) : Long.toString(value))
                + " at flat index "
                + i
                + " (dtype '"
                + descr
                + "'), expected values in 0..255");
      }
      narrowed[i] = (byte) value;
    }
    return narrowed;
  }

  private static long[] parseShape(String tuple, String source) throws InvalidDataFileException {
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
        throw new InvalidDataFileException(
            source + " has an unreadable shape (" + tuple + "), expected a tuple of integers", e);
      }
      if (shape[rank] < 0) {
        throw new InvalidDataFileException(
            source + " has a negative dimension in its shape (" + tuple + ")");
      }
      rank++;
    }
    return Arrays.copyOf(shape, rank);
  }

  private static String find(Pattern pattern, String header, String source, String key)
      throws InvalidDataFileException {
    Matcher matcher = pattern.matcher(header);
    if (!matcher.find()) {
      throw new InvalidDataFileException(
          source + " has no readable " + key + " entry in its .npy header, received: " + header.strip());
    }
    return matcher.group(1);
  }

  private static byte[] readExactly(InputStream in, int length, String source, String what)
      throws IOException {
    byte[] bytes = in.readNBytes(length);
    if (bytes.length < length) {
      throw new InvalidDataFileException(
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
