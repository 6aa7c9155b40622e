package dev.tfkeras.saving.keras;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import dev.tfkeras.io.FileErrors;
import dev.tfkeras.io.PartFile;
import dev.tfkeras.models.Model;
import dev.tfkeras.saving.Config;
import io.jhdf.HdfFile;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.tensorflow.types.family.TType;

/**
 * Keras files in and out: {@link #load(Path)} is Keras's {@code keras.models.load_model("model.keras")},
 * {@link #save} is {@code model.save("model.keras")}, {@link #saveWeights}/{@link #loadWeights} are
 * {@code model.save_weights("x.weights.h5")}/{@code model.load_weights("x.weights.h5")}.
 *
 * <pre>{@code
 * model.save(Path.of("mnist_model.keras"));                 // keras.models.load_model reads it
 * try (Model model = KerasFiles.load(Path.of("mnist_model.keras"))) {
 *   float[][] probabilities = model.predict(images);
 * }
 * }</pre>
 *
 * <p>Every write goes to a {@code .part} file beside the target, moved over it only when complete
 * ({@link PartFile}): a failed or killed save leaves the previous file intact.
 */
public final class KerasFiles {

  /** The Keras 3 version whose format is written (metadata.json's {@code keras_version}). */
  public static final String KERAS_VERSION = "3.11.3";

  private static final DateTimeFormatter DATE_SAVED = DateTimeFormatter.ofPattern("yyyy-MM-dd@HH:mm:ss", Locale.ROOT);

  private KerasFiles() {}

  /**
   * The model saved in a Keras 3 {@code .keras} file, with its weights; compiled as its {@code
   * compile_config} says (any of tfkeras's optimizers; losses and metrics per output), with the
   * optimizer's state restored so that {@code fit} continues from the saved iteration. A legacy
   * HDF5 full model ({@code model.save("m.h5")} in tf.keras 2.x or Keras 3), told by its first
   * bytes, is read likewise from its {@code model_config}, {@code model_weights}, {@code
   * training_config} and {@code optimizer_weights}. A subclassed model or custom layer is rebuilt
   * through {@link dev.tfkeras.saving.CustomObjects} (its registered {@code fromConfig}), then built
   * from its {@code build_config}. Not read yet: learning-rate schedules.
   *
   * @throws KerasFormatException if the file is damaged, of a format not read yet, or describes a
   *     model tfkeras cannot build; the message names the file and the part or layer
   */
  public static Model load(Path file) throws IOException {
    if (KerasArchive.isHdf5(file)) {
      return KerasLegacyH5.load(file);
    }
    try (KerasArchive archive = KerasArchive.open(file)) {
      return KerasModelReader.read(archive);
    }
  }

  /** Whether {@code path} names a Keras weights-only file ({@code *.weights.h5}), as Keras 3 requires. */
  public static boolean isWeightsFile(Path path) {
    return path.getFileName() != null && path.getFileName().toString().endsWith(".weights.h5");
  }

  /**
   * Whether {@code Model.save(path)} writes a Keras file here, as Keras 3's {@code model.save}
   * dispatches on the name: {@code .keras} is saved, {@code .h5} refused (by {@link #save}); any
   * other path is a SavedModel export directory.
   */
  public static boolean dispatchesSave(Path path) {
    String name = path.getFileName() == null ? "" : path.getFileName().toString();
    return name.endsWith(".keras") || name.endsWith(".h5");
  }

  /**
   * Writes {@code model} as a Keras 3 {@code .keras} zip: {@code metadata.json} ({@code
   * keras_version} {@value #KERAS_VERSION}, {@code date_saved}), {@code config.json} (the model's
   * config and, when compiled, its {@code compile_config}) and {@code model.weights.h5} (weights,
   * and the optimizer's state when compiled), which Python's {@code keras.models.load_model} reads.
   *
   * @throws IllegalArgumentException for a path ending in {@code .h5} (legacy format, not written),
   *     another suffix than {@code .keras}, or a model with layers tfkeras cannot write; nothing is
   *     written then
   * @throws IOException naming the path if it cannot be written; the previous file is then intact
   */
  public static void save(Model model, Path file) throws IOException {
    String name = file.getFileName() == null ? "" : file.getFileName().toString();
    if (name.endsWith(".h5")) {
      throw new IllegalArgumentException(
          "Cannot save to " + file + ": a .h5 path asks for the legacy HDF5 model format (tf.keras,"
              + " Keras 2), which tfkeras does not write. Save as .keras (Keras 3's format, read by"
              + " keras.models.load_model), as .weights.h5 with saveWeights, or export(directory) for"
              + " a SavedModel.");
    }
    if (!name.endsWith(".keras")) {
      throw new IllegalArgumentException(
          "Cannot save to " + file + " as a Keras file: the name must end in .keras.");
    }
    Config config = KerasConfigWriter.model(model);
    JsonObject metadata = new JsonObject();
    metadata.addProperty("keras_version", KERAS_VERSION);
    metadata.addProperty("date_saved", LocalDateTime.now().format(DATE_SAVED));
    byte[] weights = weightsBytes(model, file);
    Map<String, byte[]> assets = KerasAssets.write(model);
    try (PartFile part = PartFile.create(file)) {
      try (OutputStream out = part.output();
          ZipOutputStream zip = new ZipOutputStream(out)) {
        put(zip, "metadata.json", json(metadata));
        put(zip, "config.json", config.toJson().getBytes(StandardCharsets.UTF_8));
        put(zip, "model.weights.h5", weights);
        for (Map.Entry<String, byte[]> asset : assets.entrySet()) {
          put(zip, asset.getKey(), asset.getValue());
        }
      } catch (IOException e) {
        throw FileErrors.explain(e, "write", file);
      }
      part.commit();
    }
  }

  /**
   * Writes the model's weights, and the optimizer's state when compiled, as Keras 3's weights-only
   * {@code .weights.h5} file ({@code model.save_weights}), the layout of a {@code .keras} file's
   * {@code model.weights.h5}.
   *
   * @throws IOException naming the path if it cannot be written; the previous file is then intact
   */
  public static void saveWeights(Model model, Path file) throws IOException {
    requireWeightsName(file);
    byte[] weights = weightsBytes(model, file);
    try (PartFile part = PartFile.create(file)) {
      try (OutputStream out = part.output()) {
        out.write(weights);
      } catch (IOException e) {
        throw FileErrors.explain(e, "write", file);
      }
      part.commit();
    }
  }

  /**
   * Loads a Keras 3 weights-only {@code .weights.h5} file ({@code model.load_weights}) into {@code
   * model} by Keras's structure, checking every layer's variable count and shapes before assigning
   * any; then the optimizer's state, when the model is compiled with the optimizer saved.
   *
   * @throws KerasFormatException naming the file, layer, variable and both shapes on a mismatch;
   *     nothing is changed then
   */
  public static void loadWeights(Model model, Path file) throws IOException {
    requireWeightsName(file);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw FileErrors.explain(e, "read", file);
    }
    if (bytes.length < 8 || !java.util.Arrays.equals(bytes, 0, 8, KerasArchive.HDF5_SIGNATURE, 0, 8)) {
      throw new KerasFormatException(file + " is not an HDF5 file: a .weights.h5 file starts with the HDF5 signature.");
    }
    HdfFile hdf;
    try {
      hdf = HdfFile.fromBytes(bytes);
      hdf.getChildren();
    } catch (RuntimeException e) {
      throw new KerasFormatException(file + " is damaged and cannot be read as HDF5: " + e.getMessage(), e);
    }
    try (hdf) {
      Map<String, TType> state = KerasWeights.read(model, hdf, file, file.getFileName().toString());
      try {
        if (!state.isEmpty()) {
          model.optimizer().restoreState(state);
        }
      } finally {
        state.values().forEach(TType::close);
      }
    }
  }

  private static void requireWeightsName(Path file) {
    if (!isWeightsFile(file)) {
      throw new IllegalArgumentException(
          "The filename must end in `.weights.h5`. Received: filepath=" + file);
    }
  }

  /** model.weights.h5's bytes: jHDF writes to a path, so through a temporary file removed after. */
  private static byte[] weightsBytes(Model model, Path target) throws IOException {
    Path temp = Files.createTempFile("tfkeras-", ".weights.h5");
    try {
      KerasWeights.write(model, temp, true);
      return Files.readAllBytes(temp);
    } catch (RuntimeException e) {
      if (e instanceof IllegalArgumentException) {
        throw e;
      }
      throw new IOException("Cannot write the weights of " + target + " (HDF5 writer failed): " + e.getMessage(), e);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static byte[] json(JsonObject object) {
    return new GsonBuilder().serializeNulls().disableHtmlEscaping().create().toJson(object).getBytes(StandardCharsets.UTF_8);
  }

  private static void put(ZipOutputStream zip, String name, byte[] data) throws IOException {
    zip.putNextEntry(new ZipEntry(name));
    zip.write(data);
    zip.closeEntry();
  }
}
