package dev.tfkeras.data;

import dev.tfkeras.io.FileErrors;
import dev.tfkeras.io.NpyHeader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.ndarray.Shape;

/**
 * One {@code .npy} file of a streamed dataset: its array's dtype and shape, checked when the dataset
 * is made, and a {@link Reader} per pass that reads rows in chunks with positional reads into
 * reused buffers, so that memory is one chunk whatever the file's size.
 */
final class NpyArrayFile {

  private static final String SUPPORTED =
      "'|u1' (uint8), '|b1' (bool), '<i4' (int32), '<i8' (int64), '<f4' (float32) or '<f8' (float64)"
          + " (either byte order)";

  private final Path path;
  private final NpyHeader header;
  private final HostType type;
  private final ByteOrder order;
  private final int itemSize;
  private final Shape elementShape;
  private final int elementSize;
  private final long rows;

  private NpyArrayFile(Path path, NpyHeader header, HostType type, ByteOrder order, int itemSize) {
    this.path = path;
    this.header = header;
    this.type = type;
    this.order = order;
    this.itemSize = itemSize;
    long[] shape = header.shape();
    this.rows = shape[0];
    this.elementShape = Shape.of(shape).tail();
    this.elementSize = (int) elementShape.size();
  }

  /**
   * Reads and checks the header of {@code path}: a supported dtype, C order, a first axis, rows
   * small enough for host arrays, and exactly the data bytes the shape needs.
   *
   * @throws IOException naming the file if it cannot be read or its content is not such an array
   */
  static NpyArrayFile open(Path path) throws IOException {
    NpyHeader header;
    long size;
    try (InputStream in = Files.newInputStream(path)) {
      size = Files.size(path);
      header = NpyHeader.read(in, path.toString(), IOException::new);
    } catch (FileSystemException e) {
      throw FileErrors.explain(e, "read", path);
    }
    String descr = header.descr();
    String kind = descr.isEmpty() || "<>|=".indexOf(descr.charAt(0)) < 0 ? descr : descr.substring(1);
    HostType type =
        switch (kind) {
          case "u1" -> HostType.UINT8;
          case "b1" -> HostType.BOOL;
          case "i4" -> HostType.INT32;
          case "i8" -> HostType.INT64;
          case "f4" -> HostType.FLOAT32;
          case "f8" -> HostType.FLOAT64;
          default -> null;
        };
    if (type == null) {
      throw new IOException(
          path + " has dtype '" + descr + "', which is not supported: expected " + SUPPORTED
              + "; convert it with numpy, e.g. np.save(path, a.astype(np.float32))");
    }
    header.requireCOrder();
    long[] shape = header.shape();
    if (shape.length == 0) {
      throw new IOException(
          path + " holds a scalar (shape []), expected an array whose first axis has one row per example");
    }
    int itemSize = Integer.parseInt(kind.substring(1));
    long elementSize = 1;
    for (int d = 1; d < shape.length; d++) {
      elementSize = elementSize <= Long.MAX_VALUE / Math.max(1, shape[d]) ? elementSize * shape[d] : Long.MAX_VALUE;
    }
    if (elementSize > Column.MAX_VALUES || elementSize * itemSize > Integer.MAX_VALUE - 8) {
      throw new IOException(
          path + " has " + header.describe() + ": one row holds " + elementSize + " values, too many"
              + " for a host array (at most " + Column.MAX_VALUES + " values and 2 GiB)");
    }
    ByteOrder order = descr.startsWith(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    NpyArrayFile file = new NpyArrayFile(path, header, type, order, itemSize);
    file.requireSize(header, size);
    return file;
  }

  /** Refuses a file size other than the header plus the data its shape needs. */
  private void requireSize(NpyHeader declared, long size) throws IOException {
    long data = size - declared.dataOffset();
    declared.requireData(itemSize, data);
    long extra = data - declared.dataBytes(itemSize);
    if (extra > 0) {
      throw new IOException(
          path + " has " + extra + " unexpected bytes after its " + declared.dataBytes(itemSize)
              + " data bytes");
    }
  }

  Path path() {
    return path;
  }

  HostType type() {
    return type;
  }

  Shape elementShape() {
    return elementShape;
  }

  /** Length of the first axis: the number of examples. */
  long rows() {
    return rows;
  }

  /** Bytes one row takes in the file. */
  long rowBytes() {
    return (long) elementSize * itemSize;
  }

  /**
   * Opens the file for one pass, reading up to {@code chunkRows} rows at a time; checks that the
   * file still holds the array the dataset was made for.
   */
  Reader openPass(int chunkRows) throws IOException {
    return new Reader(chunkRows);
  }

  /** One pass's open file and chunk buffers; not thread-safe, used by the pass's thread. */
  final class Reader implements AutoCloseable {
    private final FileChannel channel;
    private final ByteBuffer bytes;
    private final Object values;
    private final long size;
    private final FileTime modified;

    private Reader(int chunkRows) throws IOException {
      try {
        channel = FileChannel.open(path, StandardOpenOption.READ);
      } catch (FileSystemException e) {
        throw FileErrors.explain(e, "read", path);
      }
      try {
        // not closed: closing the stream would close the channel
        NpyHeader now = NpyHeader.read(Channels.newInputStream(channel), path.toString(), IOException::new);
        if (!now.sameArray(header)) {
          throw new IOException(
              path + " changed since the dataset was created: it now holds " + now.describe()
                  + " (data at byte " + now.dataOffset() + "), the dataset was made for "
                  + header.describe() + " (data at byte " + header.dataOffset() + "); create the"
                  + " dataset again.");
        }
        size = channel.size();
        requireSize(now, size);
        modified = modifiedTime();
        bytes = ByteBuffer.allocate((int) (chunkRows * rowBytes())).order(order);
        values = type.newArray(chunkRows * elementSize);
      } catch (IOException | RuntimeException | Error e) {
        channel.close();
        throw e;
      }
    }

    /** Reads rows {@code first} to {@code first + count - 1} into the chunk buffer. */
    void read(long first, int count) throws IOException {
      bytes.clear().limit((int) (count * rowBytes()));
      long start = header.dataOffset() + first * rowBytes();
      long position = start;
      while (bytes.hasRemaining()) {
        int read = channel.read(bytes, position);
        if (read < 0) {
          throw new IOException(
              path + " is truncated: it ends at byte " + position + " while rows " + first + " to "
                  + (first + count - 1) + " need bytes " + start + " to " + (start + bytes.limit() - 1)
                  + " (" + header.describe() + "); it changed while a pass was reading it. Keep a"
                  + " dataset's files unchanged while it is iterated.");
        }
        position += read;
      }
      requireUnchanged();
      bytes.flip();
      decode(count * elementSize);
    }

    /** A read-only view of row {@code index} of the chunk last read; valid until the next read. */
    NdArray<?> row(int index) {
      return type.view(elementShape, values, index * elementSize, elementSize);
    }

    private void requireUnchanged() throws IOException {
      long sizeNow = channel.size();
      FileTime modifiedNow = modifiedTime();
      if (sizeNow != size || !modifiedNow.equals(modified)) {
        throw new IOException(
            path + " changed while a pass was reading it (size " + size + " -> " + sizeNow
                + " bytes, modified " + modified + " -> " + modifiedNow + "), so its rows would mix"
                + " two versions of the file. Keep a dataset's files unchanged while it is iterated.");
      }
    }

    /**
     * The file's modification time; an open file that was deleted still reads, but its path no
     * longer resolves, and the bare {@link NoSuchFileException} would only name the path.
     */
    private FileTime modifiedTime() throws IOException {
      try {
        return Files.getLastModifiedTime(path);
      } catch (NoSuchFileException e) {
        throw new IOException(
            path + " was deleted or truncated during the pass; a dataset reads its files on every"
                + " pass, so don't modify, move or delete the files a dataset streams while it is in"
                + " use (copy them first if they must change), then create the dataset again.",
            e);
      }
    }

    private void decode(int count) {
      switch (type) {
        case UINT8 -> bytes.get((byte[]) values, 0, count);
        case BOOL -> {
          boolean[] flags = (boolean[]) values;
          for (int i = 0; i < count; i++) {
            flags[i] = bytes.get() != 0;
          }
        }
        case INT32 -> bytes.asIntBuffer().get((int[]) values, 0, count);
        case INT64 -> bytes.asLongBuffer().get((long[]) values, 0, count);
        case FLOAT32 -> bytes.asFloatBuffer().get((float[]) values, 0, count);
        case FLOAT64 -> bytes.asDoubleBuffer().get((double[]) values, 0, count);
      }
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }
}
