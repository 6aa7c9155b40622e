package dev.tfkeras.callbacks;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonParseException;
import dev.tfkeras.io.FileErrors;
import dev.tfkeras.io.PartFile;
import dev.tfkeras.runtime.DistributedFiles;
import dev.tfkeras.runtime.GraphRuntime;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Keras's {@code BackupAndRestore}: fault-tolerant training. Every epoch (or every {@link
 * #saveFreq(int)} batches) it backs up the model's weights, the optimizer's state and the training
 * position into {@code backupDir}; a {@code fit} that starts while a backup exists restores it and
 * resumes where the interrupted run stopped; a fit that ends normally deletes the backup.
 *
 * <pre>{@code
 * model.fit(x, y, new FitOptions().epochs(10).callbacks(new BackupAndRestore(Path.of("/tmp/backup"))));
 * }</pre>
 *
 * <p>Resuming replays the interrupted run exactly when its data order is seeded ({@code
 * GraphRuntime.setRandomSeed}, or a dataset's {@code shuffle(n, seed)}): epoch k's order is a
 * function of the seed and k only, so the resumed run sees the epochs the uninterrupted one would.
 * With an integer {@code saveFreq} the resumed epoch skips the batches already trained (Keras 3
 * writes that batch but restarts the epoch; tf.keras 2 skipped them, as here). Dropout masks come
 * from TensorFlow kernels' internal state, which no backup holds: a model with dropout resumes with
 * other masks.
 *
 * <p>Each backup is atomic: the weights go to the checkpoint directory the metadata does not name,
 * then {@code training_metadata.json} is replaced atomically to name it; a crash at any point
 * leaves a complete, consistent backup. The directory holds only this callback's files; do not
 * share it with another callback or run, as in Keras.
 *
 * <p>In distributed training every task gives the same {@code backupDir} (a directory all of them
 * reach, such as a shared volume). Every task restores from it, so a cluster restarted after a
 * failure resumes from the last backup; only the chief writes and deletes it, the other tasks back
 * up into {@code backupDir/workertemp_<task index>}, deleted after each backup, as Keras's {@code
 * distributed_file_utils.write_dirpath}.
 */
public final class BackupAndRestore extends Callback {

  private static final Logger LOG = LogManager.getLogger(BackupAndRestore.class);
  static final String METADATA = "training_metadata.json";
  static final String PREVIOUS_METADATA = METADATA + ".bkp";
  private static final String[] CHECKPOINTS = {"checkpoint-0", "checkpoint-1"};

  private final Path backupDir;
  private int saveFreq; // 0: "epoch"
  private boolean doubleCheckpoint;
  private boolean deleteCheckpoint = true;

  private int batchesSinceSave;
  private int lastBatchSeen;
  private int currentEpoch;
  private String checkpoint; // the checkpoint directory the metadata names, or null
  private boolean failed;

  /**
   * @param backupDir where the backup is kept; it holds only this callback's files
   * @throws IllegalArgumentException for a null or empty path
   */
  public BackupAndRestore(Path backupDir) {
    if (backupDir == null || backupDir.toString().isEmpty()) {
      throw new IllegalArgumentException(
          "Empty `backupDir` argument passed: give the directory for the backup, e.g. new"
              + " BackupAndRestore(Path.of(\"/tmp/backup\")). Received: backupDir=" + backupDir);
    }
    this.backupDir = backupDir;
  }

  /**
   * Keras's {@code save_freq="epoch"} (the default): back up at the end of every epoch; returns
   * this.
   *
   * @throws IllegalArgumentException for another string
   */
  public BackupAndRestore saveFreq(String saveFreq) {
    if (!"epoch".equals(saveFreq)) {
      throw new IllegalArgumentException(
          "Invalid value for argument `saveFreq`. Received: saveFreq=" + saveFreq + ". Expected"
              + " either 'epoch' or an integer value, e.g. saveFreq(100) to back up every 100 batches.");
    }
    this.saveFreq = 0;
    return this;
  }

  /**
   * Keras's {@code save_freq=n}: back up every {@code n} batches (not at epoch ends); returns this.
   *
   * @throws IllegalArgumentException unless {@code n} is positive
   */
  public BackupAndRestore saveFreq(int saveFreq) {
    if (saveFreq <= 0) {
      throw new IllegalArgumentException(
          "Invalid value for argument `saveFreq`. Received: saveFreq=" + saveFreq + ". Expected"
              + " either 'epoch' or a positive integer, the number of batches between backups.");
    }
    this.saveFreq = saveFreq;
    return this;
  }

  /**
   * Keras's {@code double_checkpoint}: also keep the previous backup, restored when the latest one
   * cannot be read (default false); returns this.
   */
  public BackupAndRestore doubleCheckpoint(boolean doubleCheckpoint) {
    this.doubleCheckpoint = doubleCheckpoint;
    return this;
  }

  /**
   * Keras's {@code delete_checkpoint}: delete the backup when fit ends normally (default true);
   * returns this.
   */
  public BackupAndRestore deleteCheckpoint(boolean deleteCheckpoint) {
    this.deleteCheckpoint = deleteCheckpoint;
    return this;
  }

  /** The directory holding the backup. */
  public Path backupDir() {
    return backupDir;
  }

  /**
   * Restores the backup, if any, and makes fit resume at its epoch and batch.
   *
   * @throws IllegalStateException if the model is not built
   * @throws UncheckedIOException naming the file if the backup cannot be read (and, with {@link
   *     #doubleCheckpoint}, neither can the previous one)
   */
  @Override
  public void onTrainBegin() {
    if (!model().isBuilt()) {
      throw new IllegalStateException(
          "To use the BackupAndRestore callback, your model must be built before you call fit()."
              + " Model '" + model().name() + "' is unbuilt. You can build it beforehand with"
              + " model.buildFor(inputShape) or by calling it on a batch of data.");
    }
    failed = false;
    batchesSinceSave = 0;
    lastBatchSeen = 0;
    currentEpoch = 0;
    checkpoint = null;
    Path metadata = backupDir.resolve(METADATA);
    if (!Files.exists(metadata)) {
      return;
    }
    try {
      restore(metadata);
    } catch (IOException latest) {
      Path previous = backupDir.resolve(PREVIOUS_METADATA);
      if (!Files.exists(previous)) {
        throw cannotRestore(latest);
      }
      LOG.warn("The latest backup cannot be read ({}); restoring the previous one.", latest.getMessage());
      try {
        restore(previous);
      } catch (IOException e) {
        e.addSuppressed(latest);
        throw cannotRestore(e);
      }
    }
  }

  private UncheckedIOException cannotRestore(IOException e) {
    return new UncheckedIOException(
        "BackupAndRestore cannot restore the backup in " + backupDir + ": " + e.getMessage()
            + ". Delete " + backupDir + " to train from the start"
            + (doubleCheckpoint ? "." : ", and use doubleCheckpoint(true) to keep a previous backup too."),
        e);
  }

  /** Loads the weights the metadata file names and sets the epoch and batch fit resumes at. */
  private void restore(Path metadata) throws IOException {
    JsonObject json;
    try {
      json = JsonParser.parseString(Files.readString(metadata, StandardCharsets.UTF_8)).getAsJsonObject();
    } catch (JsonParseException | IllegalStateException e) {
      throw new IOException(metadata + " is damaged: it is not a JSON object (" + e.getMessage() + ")", e);
    }
    int epoch = intField(json, "epoch", metadata);
    int step = intField(json, "step", metadata);
    JsonElement name = json.get("checkpoint");
    if (name == null || !name.isJsonPrimitive() || !isCheckpoint(name.getAsString())) {
      throw new IOException(
          metadata + " is damaged: expected \"checkpoint\": \"checkpoint-0\" or \"checkpoint-1\","
              + " received: " + name);
    }
    model().loadWeights(backupDir.resolve(name.getAsString()));
    model().setInitialEpoch(epoch, step);
    checkpoint = name.getAsString();
    currentEpoch = epoch;
    lastBatchSeen = step > 0 ? step - 1 : 0;
    LOG.info("Restored the backup in {}: resuming at epoch {}, batch {}.", backupDir, epoch + 1, step);
  }

  private static boolean isCheckpoint(String name) {
    return CHECKPOINTS[0].equals(name) || CHECKPOINTS[1].equals(name);
  }

  private static int intField(JsonObject json, String key, Path file) throws IOException {
    JsonElement value = json.get(key);
    try {
      if (value != null && value.getAsInt() >= 0 && value.getAsDouble() == value.getAsInt()) {
        return value.getAsInt();
      }
    } catch (RuntimeException notANumber) {
      // reported below
    }
    throw new IOException(
        file + " is damaged: expected \"" + key + "\" to be a zero or positive integer, received: " + value);
  }

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs) {
    currentEpoch = epoch + 1;
    lastBatchSeen = 0;
    if (saveFreq == 0) {
      save(0, 0);
    }
  }

  @Override
  public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
    if (saveFreq == 0) {
      return;
    }
    // Keras's _should_save_on_batch: a batch index not above the last one starts a new epoch.
    batchesSinceSave += batch <= lastBatchSeen ? batch + 1 : batch - lastBatchSeen;
    lastBatchSeen = batch;
    if (batchesSinceSave >= saveFreq) {
      batchesSinceSave = 0;
      save(batch, batch + 1);
    }
  }

  /**
   * Writes the weights into the checkpoint directory the metadata does not name, then the metadata
   * naming it: Keras's {@code epoch} and {@code batch}, and {@code step}, the batches of {@code
   * epoch} already trained.
   */
  private void save(int batch, int step) {
    String next = CHECKPOINTS[0].equals(checkpoint) ? CHECKPOINTS[1] : CHECKPOINTS[0];
    GraphRuntime runtime = model().runtime();
    boolean chief = DistributedFiles.shouldCheckpoint(runtime);
    try {
      // Only the chief's backup is kept: another task's goes to a temporary directory, deleted below.
      Path metadata = DistributedFiles.writeFilePath(runtime, backupDir.resolve(METADATA));
      if (chief && doubleCheckpoint && checkpoint != null) {
        // The previous backup stays whole: the next save writes into the other directory.
        write(backupDir.resolve(PREVIOUS_METADATA), Files.readAllBytes(metadata));
      }
      model().saveWeights(backupDir.resolve(next));
      JsonObject json = new JsonObject();
      json.addProperty("epoch", currentEpoch);
      json.addProperty("batch", batch);
      json.addProperty("step", step);
      json.addProperty("checkpoint", next);
      write(metadata, json.toString().getBytes(StandardCharsets.UTF_8));
      if (chief && !doubleCheckpoint && checkpoint != null) {
        deleteTree(backupDir.resolve(checkpoint));
      }
      DistributedFiles.removeTempDirPath(runtime, backupDir);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "BackupAndRestore cannot write its backup to " + backupDir + ": " + e.getMessage(), e);
    }
    checkpoint = next;
  }

  private static void write(Path file, byte[] content) throws IOException {
    try (PartFile part = PartFile.create(file)) {
      try (OutputStream out = part.output()) {
        out.write(content);
      } catch (IOException e) {
        throw FileErrors.explain(e, "write", file);
      }
      part.commit();
    }
  }

  @Override
  public void onTrainFailure(Throwable failure) {
    failed = true;
  }

  /** Deletes the backup after a fit that ended normally, unless {@code deleteCheckpoint(false)}. */
  @Override
  public void onTrainEnd(Map<String, Double> logs) {
    if (failed || !deleteCheckpoint || !DistributedFiles.shouldCheckpoint(model().runtime())) {
      return;
    }
    try {
      // The metadata first: without it no backup is restored, whatever else a crash leaves.
      Files.deleteIfExists(backupDir.resolve(METADATA));
      Files.deleteIfExists(backupDir.resolve(PREVIOUS_METADATA));
      for (String name : CHECKPOINTS) {
        deleteTree(backupDir.resolve(name));
      }
      try (Stream<Path> parts = Files.list(backupDir)) { // .part files a killed save left
        for (Path part : parts.filter(BackupAndRestore::isMetadataPart).toList()) {
          Files.deleteIfExists(part);
        }
      }
      try (Stream<Path> left = Files.list(backupDir)) {
        if (left.findAny().isEmpty()) {
          Files.delete(backupDir);
        }
      }
    } catch (NoSuchFileException nothingSaved) {
      // no backup was written
    } catch (IOException e) {
      throw new UncheckedIOException(
          "BackupAndRestore cannot delete its backup in " + backupDir + ": " + e.getMessage()
              + ". Delete it before the next fit, which would otherwise resume from it.", e);
    }
  }

  private static boolean isMetadataPart(Path path) {
    String name = path.getFileName().toString();
    return name.startsWith(METADATA + ".") && name.endsWith(".part");
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
