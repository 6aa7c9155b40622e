package dev.tfkeras.saving.keras;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * The parts of a Keras 3 {@code .keras} file: its metadata, its config tree and its weights, read
 * with the format told by the file's first bytes, not its name. A Keras 3 file is a zip holding
 * {@code metadata.json}, {@code config.json} and {@code model.weights.h5}; the weights are HDF5,
 * read in memory with jHDF (no temporary file). A legacy HDF5 full model ({@code .h5}) is read by
 * {@code KerasLegacyH5} instead ({@link KerasFiles#load} tells them apart by their first bytes).
 *
 * <pre>{@code
 * try (KerasArchive archive = KerasArchive.open(path)) {
 *   String version = archive.kerasVersion();
 *   List<Dataset> vars = archive.variables("layers/dense/vars");
 * }
 * }</pre>
 */
public final class KerasArchive implements AutoCloseable {

  static final byte[] ZIP_SIGNATURE = {'P', 'K', 3, 4};
  static final byte[] HDF5_SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

  private final Path file;
  private final JsonObject metadata;
  private final JsonObject config;
  private final HdfFile weights;
  private final Map<String, byte[]> assets;

  private KerasArchive(Path file, JsonObject metadata, JsonObject config, HdfFile weights, Map<String, byte[]> assets) {
    this.file = file;
    this.metadata = metadata;
    this.config = config;
    this.weights = weights;
    this.assets = assets;
  }

  /**
   * Reads a {@code .keras} file.
   *
   * @throws KerasFormatException if the file is not a Keras 3 zip, or a part is missing or damaged
   *     (the message names the file and the part)
   */
  public static KerasArchive open(Path file) throws IOException {
    byte[] head = head(file);
    int read = head.length;
    if (startsWith(head, read, HDF5_SIGNATURE)) {
      throw new KerasFormatException(
          file + " is an HDF5 file (a legacy Keras .h5 full model, saved by tf.keras or Keras 2), not"
              + " a .keras zip: read it with KerasFiles.load (Model.load), which reads both.");
    }
    if (!startsWith(head, read, ZIP_SIGNATURE)) {
      throw new KerasFormatException(
          file + " is not a Keras file: a .keras file is a zip archive (it starts with 'PK') and"
              + " a legacy .h5 model starts with the HDF5 signature; this file starts with "
              + Arrays.toString(Arrays.copyOf(head, read)) + ".");
    }
    try (ZipFile zip = new ZipFile(file.toFile())) {
      JsonObject metadata = json(zip, file, "metadata.json");
      JsonObject config = json(zip, file, "config.json");
      byte[] h5 = bytes(zip, file, "model.weights.h5");
      if (!startsWith(h5, h5.length, HDF5_SIGNATURE)) {
        throw new KerasFormatException(
            file + ": its part model.weights.h5 is not an HDF5 file (it lacks the HDF5 signature).");
      }
      HdfFile weights;
      try {
        weights = HdfFile.fromBytes(h5);
        weights.getChildren();
      } catch (RuntimeException e) {
        throw new KerasFormatException(
            file + ": its part model.weights.h5 is damaged and cannot be read as HDF5: " + e.getMessage(), e);
      }
      Map<String, byte[]> assets = new TreeMap<>();
      for (ZipEntry entry : java.util.Collections.list(zip.entries())) {
        if (!entry.isDirectory() && entry.getName().startsWith(KerasAssets.ROOT)) {
          assets.put(entry.getName(), bytes(zip, file, entry.getName()));
        }
      }
      return new KerasArchive(file, metadata, config, weights, Collections.unmodifiableMap(assets));
    } catch (ZipException e) {
      throw new KerasFormatException(
          file + " is a damaged or truncated zip archive (" + e.getMessage() + "); a .keras file is a"
              + " zip holding metadata.json, config.json and model.weights.h5.", e);
    }
  }

  /** Whether the file starts with the HDF5 signature (a legacy {@code .h5} model or a weights file). */
  static boolean isHdf5(Path file) throws IOException {
    byte[] head = head(file);
    return startsWith(head, head.length, HDF5_SIGNATURE);
  }

  private static byte[] head(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return in.readNBytes(8);
    } catch (IOException e) {
      throw dev.tfkeras.io.FileErrors.explain(e, "read", file);
    }
  }

  private static JsonObject json(ZipFile zip, Path file, String part) throws IOException {
    String text = new String(bytes(zip, file, part), StandardCharsets.UTF_8);
    try {
      JsonElement parsed = JsonParser.parseString(text);
      if (!parsed.isJsonObject()) {
        throw new KerasFormatException(file + ": its part " + part + " is not a JSON object.");
      }
      return parsed.getAsJsonObject();
    } catch (JsonParseException e) {
      throw new KerasFormatException(file + ": its part " + part + " is not valid JSON: " + e.getMessage(), e);
    }
  }

  private static byte[] bytes(ZipFile zip, Path file, String part) throws IOException {
    ZipEntry entry = zip.getEntry(part);
    if (entry == null) {
      throw new KerasFormatException(
          file + " lacks the part " + part + ": a Keras 3 .keras file holds metadata.json,"
              + " config.json and model.weights.h5.");
    }
    try (InputStream in = zip.getInputStream(entry)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new KerasFormatException(
          file + ": its part " + part + " is damaged or truncated (" + e.getMessage() + ").", e);
    }
  }

  private static boolean startsWith(byte[] data, int length, byte[] prefix) {
    return length >= prefix.length && Arrays.equals(data, 0, prefix.length, prefix, 0, prefix.length);
  }

  /** The file read. */
  public Path file() {
    return file;
  }

  /** The Keras version that saved the file ({@code metadata.json}'s {@code keras_version}), or null. */
  public String kerasVersion() {
    JsonElement version = metadata.get("keras_version");
    return version == null || version.isJsonNull() ? null : version.getAsString();
  }

  /** {@code metadata.json}. */
  public JsonObject metadata() {
    return metadata.deepCopy();
  }

  /** {@code config.json}: the serialized model ({@code module}, {@code class_name}, {@code config}...). */
  public JsonObject config() {
    return config.deepCopy();
  }

  /** The files of the {@code assets/} tree (lookup layers' vocabularies), by their name in the zip. */
  public Map<String, byte[]> assets() {
    return assets;
  }

  /** The weights file ({@code model.weights.h5}), open until this archive is closed. */
  public HdfFile weights() {
    return weights;
  }

  /**
   * The datasets of the group at {@code path} (e.g. {@code layers/dense/vars}) in the order of
   * their numeric names (0, 1, 2... 10, as Keras writes them); empty if the group does not exist.
   * A file of tf.keras 2.13, which wrote {@code _layer_checkpoint_dependencies} for {@code layers},
   * is read at that path, as Keras 3 reads it.
   */
  public List<Dataset> variables(String path) {
    return KerasWeights.datasets(weights, path);
  }

  @Override
  public void close() {
    weights.close();
  }
}
