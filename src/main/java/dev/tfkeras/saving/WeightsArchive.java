package dev.tfkeras.saving;

import dev.tfkeras.io.Npy;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TType;

/**
 * A named set of arrays in NumPy's {@code .npz} format (a zip of {@code .npy} files), so weights
 * saved by tfkeras open with {@code numpy.load}. Writes are atomic: the archive is written to a
 * temporary file in the same directory and moved over the old one, so a crash leaves the previous
 * archive intact.
 */
public final class WeightsArchive {

  private WeightsArchive() {}

  /** Writes {@code arrays} (name → array, in order) to {@code file}, replacing it atomically. */
  public static void write(Path file, Map<String, Npy.Array> arrays) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path part = Files.createTempFile(dir, file.getFileName().toString(), ".part");
    try {
      try (FileChannel channel = FileChannel.open(part, StandardOpenOption.WRITE);
          ZipOutputStream zip =
              new ZipOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel)))) {
        for (Map.Entry<String, Npy.Array> entry : arrays.entrySet()) {
          zip.putNextEntry(new ZipEntry(entry.getKey() + ".npy"));
          Npy.write(entry.getValue(), zip);
          zip.closeEntry();
        }
        zip.finish();
        zip.flush();
        channel.force(true); // on disk before the rename makes it visible
      }
      Files.move(part, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(part);
    }
  }

  /** Reads every array of an archive, keyed by name (the entry name without {@code .npy}). */
  public static Map<String, Npy.Array> read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString(), null, "no weights archive there");
    }
    Map<String, Npy.Array> arrays = new LinkedHashMap<>();
    try (ZipFile zip = new ZipFile(file.toFile())) {
      Enumeration<? extends ZipEntry> entries = zip.entries();
      while (entries.hasMoreElements()) {
        ZipEntry entry = entries.nextElement();
        String name = entry.getName();
        if (!name.endsWith(".npy")) {
          continue;
        }
        try (InputStream in = zip.getInputStream(entry)) {
          arrays.put(name.substring(0, name.length() - 4), Npy.read(in, file + ":" + name));
        }
      }
    }
    return arrays;
  }

  /** The host copy of a float32 or int64 tensor as an npy array. */
  public static Npy.Array toArray(TType tensor) {
    Npy.DType type;
    if (tensor instanceof TFloat32) {
      type = Npy.DType.FLOAT32;
    } else if (tensor instanceof TInt64) {
      type = Npy.DType.INT64;
    } else {
      throw new IllegalArgumentException(
          "Only float32 and int64 tensors are saved, received " + tensor.type().getSimpleName() + ".");
    }
    checkLittleEndian();
    byte[] bytes = new byte[(int) tensor.asRawTensor().numBytes()];
    tensor.asRawTensor().data().read(bytes);
    return new Npy.Array(type, tensor.shape().asArray(), ByteBuffer.wrap(bytes));
  }

  /** A new tensor holding {@code array}; the caller closes it. */
  public static TType toTensor(Npy.Array array) {
    checkLittleEndian();
    Class<? extends TType> type =
        switch (array.type()) {
          case FLOAT32 -> TFloat32.class;
          case INT64 -> TInt64.class;
          default -> throw new IllegalArgumentException(
              "Only float32 and int64 arrays are loaded, received " + array.type() + ".");
        };
    ByteBuffer data = array.data();
    byte[] bytes = new byte[data.remaining()];
    data.get(bytes);
    return Tensor.of(type, Shape.of(array.shape()), DataBuffers.of(bytes, true, false));
  }

  private static void checkLittleEndian() {
    if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
      throw new UnsupportedOperationException("Weights archives are supported on little-endian machines only.");
    }
  }
}
