package dev.tfkeras.datasets;

import dev.tfkeras.io.NpyHeader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one NumPy {@code .npy} array (format versions 1 to 3) holding integers in 0..255: {@code
 * |u1} directly, wider or signed integer types ({@code <i8}, {@code <u2}, ...) after checking each
 * value fits. C order only (Fortran order is accepted for one-dimensional arrays). The header is
 * parsed by {@link NpyHeader}, shared with the streamed {@code Dataset.fromNpyFiles}.
 */
final class NpyReader {

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
    NpyHeader header = NpyHeader.read(in, source, InvalidDataFileException::new);
    String descr = header.descr();
    Matcher dtype = DTYPE.matcher(descr);
    if (!dtype.matches()) {
      throw new InvalidDataFileException(
          source
              + " has dtype '"
              + descr
              + "', which is not supported: expected an integer dtype such as '|u1' (uint8) or '<i8'"
              + " (int64) holding values in 0..255");
    }
    header.requireCOrder();
    int itemSize = Integer.parseInt(dtype.group(3));
    if (available >= 0) {
      header.requireData(itemSize, available - header.dataOffset());
    }
    long bytes = header.dataBytes(itemSize);
    if (bytes > Integer.MAX_VALUE - 8) {
      throw new InvalidDataFileException(
          source + " has shape " + Arrays.toString(header.shape()) + ", too large to load into memory");
    }
    // read in chunks: memory grows with the bytes present, not with what the header claims
    byte[] raw = in.readNBytes((int) bytes);
    header.requireData(itemSize, raw.length);
    long extra = in.transferTo(OutputStream.nullOutputStream());
    if (extra > 0) {
      throw new InvalidDataFileException(
          source + " has " + extra + " unexpected bytes after its " + raw.length + " data bytes");
    }
    long[] shape = header.shape();
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
}
