package dev.tfkeras.saving;

import dev.tfkeras.io.FileErrors;
import dev.tfkeras.io.Npy;
import dev.tfkeras.io.PartFile;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
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
 * saved by tfkeras open with {@code numpy.load}.
 *
 * <p>Writes are atomic: the archive is written to a {@code .part} file beside it (see {@link
 * PartFile}) and moved over the old one, so a crash leaves the previous archive intact. Reads
 * verify every entry: its CRC-32 and size, and, for archives tfkeras wrote, a checksum of the
 * entry names, sizes and CRCs kept in the zip comment (numpy ignores it); a damaged archive is
 * rejected by name before anything is returned.
 */
public final class WeightsArchive {

  private static final String MANIFEST = "tfkeras-weights/1";

  private WeightsArchive() {}

  /**
   * Writes {@code arrays} (name → array, in order) to {@code file}, replacing it atomically.
   *
   * @throws IOException naming the file if it cannot be written (full disk, permissions, ...);
   *     the previous archive is then untouched
   */
  public static void write(Path file, Map<String, Npy.Array> arrays) throws IOException {
    if (Files.isDirectory(file)) {
      throw new IOException(
          "Cannot save weights to " + file + ": it is a directory, expected the path of an archive"
              + " file. Remove or rename the directory.");
    }
    try (PartFile part = PartFile.create(file)) {
      SavePoints.reach(SavePoints.WEIGHTS_PART_CREATED, part.path());
      CRC32 manifest = new CRC32();
      try (ZipOutputStream zip = new ZipOutputStream(new BufferedOutputStream(part.output(), 1 << 16))) {
        writeEntries(zip, arrays, manifest, part.path());
      } catch (IOException e) {
        throw FileErrors.explain(e, "write", file);
      }
      SavePoints.reach(SavePoints.WEIGHTS_PART_COMPLETE, part.path());
      part.commit();
    }
  }

  private static void writeEntries(
      ZipOutputStream zip, Map<String, Npy.Array> arrays, CRC32 manifest, Path part) throws IOException {
    int count = 0;
    for (Map.Entry<String, Npy.Array> entry : arrays.entrySet()) {
      ZipEntry zipEntry = new ZipEntry(entry.getKey() + ".npy");
      zip.putNextEntry(zipEntry);
      Npy.write(entry.getValue(), zip);
      zip.closeEntry();
      addToManifest(manifest, zipEntry);
      if (count++ == 0) {
        zip.flush();
        SavePoints.reach(SavePoints.WEIGHTS_FIRST_ENTRY, part);
      }
    }
    zip.setComment(manifestComment(manifest, count));
    zip.finish();
    zip.flush();
  }

  /**
   * Reads every array of an archive, keyed by name (the entry name without {@code .npy}), after
   * verifying each entry.
   *
   * @throws NoSuchFileException if there is no file
   * @throws IOException naming the file and the entry if the archive is truncated or damaged
   */
  public static Map<String, Npy.Array> read(Path file) throws IOException {
    if (!Files.exists(file)) {
      throw new NoSuchFileException(file.toString(), null, "no weights archive there");
    }
    if (!Files.isRegularFile(file)) {
      throw new IOException(
          "Cannot read weights from " + file + ": it is a directory, expected a weights archive"
              + " (the weights.npz that saveWeights writes).");
    }
    ZipFile zip;
    try {
      zip = new ZipFile(file.toFile());
    } catch (ZipException | EOFException e) {
      String detail = e.getMessage() != null ? e.getMessage() : "it ends too early";
      throw damaged(file, "it is not a readable zip archive (" + detail + "); it is truncated or corrupt", e);
    } catch (IOException e) {
      throw FileErrors.explain(e, "read", file);
    }
    try (zip) {
      List<? extends ZipEntry> entries = zip.stream().toList();
      verifyManifest(zip.getComment(), entries, file);
      Map<String, Npy.Array> arrays = new LinkedHashMap<>();
      for (ZipEntry entry : entries) {
        String name = entry.getName();
        if (!name.endsWith(".npy")) {
          throw damaged(file, "it holds an entry '" + name + "', expected only .npy arrays", null);
        }
        String key = name.substring(0, name.length() - 4);
        if (arrays.containsKey(key)) {
          throw damaged(file, "it holds the entry '" + name + "' twice", null);
        }
        arrays.put(key, readEntry(zip, entry, file));
      }
      return arrays;
    }
  }

  private static Npy.Array readEntry(ZipFile zip, ZipEntry entry, Path file) throws IOException {
    CRC32 crc = new CRC32();
    Npy.Array array;
    long extra;
    String source = file + ":" + entry.getName();
    try (CheckedInputStream in = new CheckedInputStream(zip.getInputStream(entry), crc)) {
      array = Npy.read(in, source, entry.getSize());
      extra = in.transferTo(OutputStream.nullOutputStream());
    } catch (ZipException | EOFException e) {
      throw damaged(file, "entry " + entry.getName() + " cannot be decompressed (" + e.getMessage() + ")", e);
    } catch (IOException e) {
      // a bad npy header or short data: Npy's message, which starts with the source
      String message = String.valueOf(e.getMessage());
      String detail = message.startsWith(source + ": ") ? message.substring(source.length() + 2) : message;
      if (detail.endsWith(".")) {
        detail = detail.substring(0, detail.length() - 1);
      }
      throw damaged(file, "entry " + entry.getName() + " is not a valid array (" + detail + ")", e);
    }
    if (extra > 0) {
      throw damaged(file, "entry " + entry.getName() + " has " + extra + " bytes after its array", null);
    }
    if (crc.getValue() != entry.getCrc()) {
      throw damaged(
          file,
          "entry " + entry.getName() + " fails its CRC-32 check (stored " + hex(entry.getCrc())
              + ", computed " + hex(crc.getValue()) + ")",
          null);
    }
    return array;
  }

  private static void addToManifest(CRC32 manifest, ZipEntry entry) {
    String line =
        entry.getName() + "\n" + entry.getMethod() + " " + entry.getCrc() + " " + entry.getSize() + " "
            + entry.getCompressedSize() + "\n";
    manifest.update(line.getBytes(StandardCharsets.UTF_8));
  }

  private static String manifestComment(CRC32 manifest, int count) {
    return MANIFEST + " entries=" + count + " crc32=" + hex(manifest.getValue());
  }

  /** Checks the names, sizes and CRCs of the central directory against the writer's checksum. */
  private static void verifyManifest(String comment, List<? extends ZipEntry> entries, Path file)
      throws IOException {
    if (comment == null || comment.isEmpty()) {
      return; // written by numpy or another tool: the per-entry CRC-32 checks remain
    }
    CRC32 manifest = new CRC32();
    entries.forEach(entry -> addToManifest(manifest, entry));
    String expected = manifestComment(manifest, entries.size());
    if (!comment.equals(expected)) {
      throw damaged(
          file,
          "its table of entries does not match the checksum written with it (zip comment '" + comment
              + "', the entries give '" + expected + "')",
          null);
    }
  }

  private static IOException damaged(Path file, String what, Exception cause) {
    return new IOException(
        "Weights archive " + file + " is damaged: " + what + ". Nothing was loaded; save the weights"
            + " again, or restore the file from a copy.",
        cause);
  }

  private static String hex(long crc) {
    return String.format("0x%08x", crc);
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
