package dev.tfkeras.data;

import dev.tfkeras.io.NpyHeader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.tensorflow.types.family.TType;

/** Writes {@code .npy} files of every host dtype and reads tensors back, for the streaming tests. */
final class NpyTestFiles {

  private NpyTestFiles() {}

  /** Writes {@code values} (a flat Java array of {@code type}) as a C-order array of {@code shape}. */
  static Path write(Path file, HostType type, ByteOrder order, Object values, long... shape)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    NpyHeader.write(out, descr(type, order), shape);
    out.write(encode(type, order, values));
    return Files.write(file, out.toByteArray());
  }

  /** Little-endian {@link #write(Path, HostType, ByteOrder, Object, long...)}. */
  static Path write(Path file, HostType type, Object values, long... shape) throws IOException {
    return write(file, type, ByteOrder.LITTLE_ENDIAN, values, shape);
  }

  /** numpy's descriptor of {@code type} in {@code order}, e.g. {@code <f4} or {@code |u1}. */
  static String descr(HostType type, ByteOrder order) {
    String endian = order == ByteOrder.BIG_ENDIAN ? ">" : "<";
    return switch (type) {
      case UINT8 -> "|u1";
      case BOOL -> "|b1";
      case INT32 -> endian + "i4";
      case INT64 -> endian + "i8";
      case FLOAT32 -> endian + "f4";
      case FLOAT64 -> endian + "f8";
      case STRING -> throw new IllegalArgumentException(".npy files of strings are not supported");
    };
  }

  /** A whole .npy file (version 1.0) with a hand-written header dictionary and raw data. */
  static byte[] raw(String dict, byte[] data) {
    StringBuilder header = new StringBuilder(dict);
    while ((10 + header.length() + 1) % 64 != 0) {
      header.append(' ');
    }
    header.append('\n');
    byte[] text = header.toString().getBytes(StandardCharsets.ISO_8859_1);
    ByteBuffer buffer = ByteBuffer.allocate(10 + text.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
    buffer.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) text.length);
    return buffer.put(text).put(data).array();
  }

  /** Bytes one value of {@code type} takes in a .npy file. */
  static int width(HostType type) {
    return switch (type) {
      case UINT8, BOOL -> 1;
      case INT32, FLOAT32 -> 4;
      case INT64, FLOAT64 -> 8;
      case STRING -> throw new IllegalArgumentException(".npy files of strings are not supported");
    };
  }

  static byte[] encode(HostType type, ByteOrder order, Object values) {
    int length = java.lang.reflect.Array.getLength(values);
    int width = width(type);
    ByteBuffer buffer = ByteBuffer.allocate(length * width).order(order);
    for (int i = 0; i < length; i++) {
      switch (type) {
        case UINT8 -> buffer.put(((byte[]) values)[i]);
        case BOOL -> buffer.put((byte) (((boolean[]) values)[i] ? 1 : 0));
        case INT32 -> buffer.putInt(((int[]) values)[i]);
        case INT64 -> buffer.putLong(((long[]) values)[i]);
        case FLOAT32 -> buffer.putFloat(((float[]) values)[i]);
        case FLOAT64 -> buffer.putDouble(((double[]) values)[i]);
      }
    }
    return buffer.array();
  }

  /** {@code count} distinct values of {@code type} (a formula of the position), as a flat Java array. */
  static Object values(HostType type, int count) {
    Object values = type.newArray(count);
    for (int i = 0; i < count; i++) {
      switch (type) {
        case UINT8 -> ((byte[]) values)[i] = (byte) (i * 37 + 11);
        case BOOL -> ((boolean[]) values)[i] = (i * 7) % 3 == 1;
        case INT32 -> ((int[]) values)[i] = i * 100_003 - 7;
        case INT64 -> ((long[]) values)[i] = i * 3_000_000_019L - (1L << 40);
        case FLOAT32 -> ((float[]) values)[i] = i * 0.37f - 5.5f;
        case FLOAT64 -> ((double[]) values)[i] = i * 1.0e-3 - Math.PI;
      }
    }
    return values;
  }

  /** The values of a tensor (or any ndarray of a host type) as a flat Java array. */
  static Object flat(TType tensor) {
    HostType type = HostType.of((org.tensorflow.ndarray.NdArray<?>) tensor);
    Object values = type.newArray((int) tensor.shape().size());
    type.copy((org.tensorflow.ndarray.NdArray<?>) tensor, values);
    return values;
  }

  /** How many of this process's file descriptors are open on {@code file} (Linux), or -1. */
  static long openDescriptors(Path file) {
    Path fds = Path.of("/proc/self/fd");
    if (!Files.isDirectory(fds)) {
      return -1;
    }
    Path target;
    try {
      target = file.toRealPath();
    } catch (IOException e) {
      target = file.toAbsolutePath();
    }
    Path real = target;
    try (Stream<Path> links = Files.list(fds)) {
      return links
          .filter(
              link -> {
                try {
                  return Files.readSymbolicLink(link).equals(real);
                } catch (IOException | UnsupportedOperationException e) {
                  return false; // closed between listing and reading
                }
              })
          .count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
