package dev.tfkeras.datasets;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Writes small IDX, .npy/.npz and tar files for the reader and loader tests. */
final class TestFiles {

  private TestFiles() {}

  /** An IDX file with the given magic number, dimensions and data. */
  static byte[] idx(int magic, int[] dims, byte[] data) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(magic);
    for (int dim : dims) {
      out.writeInt(dim);
    }
    out.write(data);
    return bytes.toByteArray();
  }

  /** An unsigned-byte IDX file of shape {@code dims}. */
  static byte[] idx(int[] dims, byte[] data) throws IOException {
    return idx(0x0800 | dims.length, dims, data);
  }

  static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
      out.write(data);
    }
    return bytes.toByteArray();
  }

  /** A .npy array (format version {@code major}.0) with the given header fields and raw data. */
  static byte[] npy(int major, String descr, String shape, boolean fortran, byte[] data) {
    String dict =
        "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False")
            + ", 'shape': " + shape + ", }";
    int prefix = major == 1 ? 10 : 12;
    StringBuilder header = new StringBuilder(dict);
    while ((prefix + header.length() + 1) % 64 != 0) {
      header.append(' ');
    }
    header.append('\n');
    byte[] headerBytes = header.toString().getBytes(StandardCharsets.ISO_8859_1);
    ByteBuffer buffer =
        ByteBuffer.allocate(prefix + headerBytes.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
    buffer.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
    if (major == 1) {
      buffer.putShort((short) headerBytes.length);
    } else {
      buffer.putInt(headerBytes.length);
    }
    buffer.put(headerBytes).put(data);
    return buffer.array();
  }

  /** A version 1.0, C-order .npy array. */
  static byte[] npy(String descr, String shape, byte[] data) {
    return npy(1, descr, shape, false, data);
  }

  /** Little-endian int64 values, as numpy's {@code <i8}. */
  static byte[] int64(long... values) {
    ByteBuffer buffer = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (long value : values) {
      buffer.putLong(value);
    }
    return buffer.array();
  }

  /** A zip of {@code <key>.npy} entries, deflated or stored, like numpy's savez(_compressed). */
  static void writeNpz(Path file, Map<String, byte[]> arrays, boolean deflate) throws IOException {
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
      for (Map.Entry<String, byte[]> array : arrays.entrySet()) {
        ZipEntry entry = new ZipEntry(array.getKey() + ".npy");
        if (!deflate) {
          CRC32 crc = new CRC32();
          crc.update(array.getValue());
          entry.setMethod(ZipEntry.STORED);
          entry.setSize(array.getValue().length);
          entry.setCrc(crc.getValue());
        }
        zip.putNextEntry(entry);
        zip.write(array.getValue());
        zip.closeEntry();
      }
    }
  }

  /** A tiny MNIST-shaped data set: N images of rows x cols pixels and N labels per split. */
  record FakeMnist(int trainCount, int testCount, int rows, int cols) {

    byte[] images(boolean train) {
      int count = train ? trainCount : testCount;
      byte[] pixels = new byte[count * rows * cols];
      for (int i = 0; i < pixels.length; i++) {
        pixels[i] = (byte) ((i * 37 + (train ? 0 : 11)) % 256);
      }
      return pixels;
    }

    byte[] labels(boolean train) {
      int count = train ? trainCount : testCount;
      byte[] labels = new byte[count];
      for (int i = 0; i < count; i++) {
        labels[i] = (byte) ((i + (train ? 3 : 7)) % 10);
      }
      return labels;
    }

    /** The four IDX files' contents, keyed by file name. */
    Map<String, byte[]> idxFiles() throws IOException {
      Map<String, byte[]> files = new LinkedHashMap<>();
      files.put("train-images-idx3-ubyte", idx(new int[] {trainCount, rows, cols}, images(true)));
      files.put("train-labels-idx1-ubyte", idx(new int[] {trainCount}, labels(true)));
      files.put("t10k-images-idx3-ubyte", idx(new int[] {testCount, rows, cols}, images(false)));
      files.put("t10k-labels-idx1-ubyte", idx(new int[] {testCount}, labels(false)));
      return files;
    }

    /** Writes the four IDX files into {@code directory}, gzipping those named in {@code gzipped}. */
    void writeIdx(Path directory, String... gzipped) throws IOException {
      Files.createDirectories(directory);
      for (Map.Entry<String, byte[]> file : idxFiles().entrySet()) {
        if (java.util.List.of(gzipped).contains(file.getKey())) {
          Files.write(directory.resolve(file.getKey() + ".gz"), gzip(file.getValue()));
        } else {
          Files.write(directory.resolve(file.getKey()), file.getValue());
        }
      }
    }

    /** Writes Keras-style mnist.npz content to {@code file}. */
    void writeNpz(Path file) throws IOException {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Map<String, byte[]> arrays = new LinkedHashMap<>();
      arrays.put("x_train", npy("|u1", "(" + trainCount + ", " + rows + ", " + cols + ")", images(true)));
      arrays.put("y_train", npy("|u1", "(" + trainCount + ",)", labels(true)));
      arrays.put("x_test", npy("|u1", "(" + testCount + ", " + rows + ", " + cols + ")", images(false)));
      arrays.put("y_test", npy("|u1", "(" + testCount + ",)", labels(false)));
      TestFiles.writeNpz(file, arrays, true);
    }
  }

  /** Writes POSIX ustar archives entry by entry. */
  static final class TarWriter {
    private final OutputStream out;

    TarWriter(OutputStream out) {
      this.out = out;
    }

    void file(String name, byte[] content) throws IOException {
      entry(name, '0', content);
    }

    void directory(String name) throws IOException {
      entry(name, '5', new byte[0]);
    }

    /** A pax extended header giving the next entry's path. */
    void paxPath(String path) throws IOException {
      String record = " path=" + path + "\n";
      int length = record.length() + 1;
      while (String.valueOf(length).length() + record.length() != length) {
        length = String.valueOf(length).length() + record.length();
      }
      entry("PaxHeader/x", 'x', (length + record).getBytes(StandardCharsets.UTF_8));
    }

    /** A GNU long-name entry giving the next entry's name. */
    void gnuLongName(String name) throws IOException {
      entry("././@LongLink", 'L', (name + "\0").getBytes(StandardCharsets.UTF_8));
    }

    void entry(String name, char type, byte[] content) throws IOException {
      byte[] header = new byte[512];
      byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
      System.arraycopy(nameBytes, 0, header, 0, Math.min(100, nameBytes.length));
      octal(header, 100, 8, 0644);
      octal(header, 108, 8, 0);
      octal(header, 116, 8, 0);
      octal(header, 124, 12, content.length);
      octal(header, 136, 12, 0);
      header[156] = (byte) type;
      System.arraycopy("ustar\0".getBytes(StandardCharsets.US_ASCII), 0, header, 257, 6);
      header[263] = '0';
      header[264] = '0';
      java.util.Arrays.fill(header, 148, 156, (byte) ' ');
      long sum = 0;
      for (byte b : header) {
        sum += b & 0xFF;
      }
      octal(header, 148, 7, sum);
      out.write(header);
      out.write(content);
      out.write(new byte[(512 - content.length % 512) % 512]);
    }

    void finish() throws IOException {
      out.write(new byte[1024]);
      out.flush();
    }

    private static void octal(byte[] header, int offset, int length, long value) {
      String text = String.format("%0" + (length - 1) + "o", value);
      System.arraycopy(text.getBytes(StandardCharsets.US_ASCII), 0, header, offset, length - 1);
      header[offset + length - 1] = 0;
    }
  }
}
