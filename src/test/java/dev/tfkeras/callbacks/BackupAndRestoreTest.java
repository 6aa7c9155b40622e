package dev.tfkeras.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.layers.Dense;
import dev.tfkeras.models.FitOptions;
import dev.tfkeras.models.Model;
import dev.tfkeras.models.Sequential;
import dev.tfkeras.models.TestModels;
import dev.tfkeras.testing.FreshRuntime;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.Shape;

/** Keras's {@code backup_and_restore_test.py}, in one JVM: interruptions are exceptions here. */
@ExtendWith(FreshRuntime.class)
class BackupAndRestoreTest {

  @TempDir Path tmp;

  /** 10 examples in batches of 4: 3 batches per epoch, as Keras's test. */
  private static final float[][] X = new float[10][3];
  private static final float[][] Y = new float[10][1];

  static {
    for (int i = 0; i < 10; i++) {
      X[i] = new float[] {i * 0.1f, 1 - i * 0.05f, (i % 3) * 0.2f};
      Y[i][0] = i * 0.3f - 1;
    }
  }

  private static Sequential model() {
    var model = new Sequential(new Dense(1));
    model.buildFor(Shape.of(-1, 3));
    model.compile("sgd", "mse");
    return model;
  }

  /** Counts the batches trained and throws at {@code (epoch, batch)} when that batch begins. */
  private static final class Interrupting extends Callback {
    final List<String> trained = new ArrayList<>();
    private final int atEpoch;
    private final int atBatch;
    private int epoch;

    Interrupting(int atEpoch, int atBatch) {
      this.atEpoch = atEpoch;
      this.atBatch = atBatch;
    }

    @Override
    public void onEpochBegin(int epoch) {
      this.epoch = epoch;
    }

    @Override
    public void onTrainBatchBegin(int batch) {
      if (epoch == atEpoch && batch == atBatch) {
        throw new IllegalStateException("Interrupting!");
      }
    }

    @Override
    public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
      trained.add(epoch + ":" + batch);
    }
  }

  private static FitOptions options(int epochs, Callback... callbacks) {
    return new FitOptions().epochs(epochs).batchSize(4).verbose(0).callbacks(callbacks);
  }

  private static void fitInterrupted(Model model, BackupAndRestore backup, int epochs, int atEpoch, int atBatch) {
    var failure =
        assertThrows(
            IllegalStateException.class,
            () -> model.fit(X, Y, options(epochs, backup, new Interrupting(atEpoch, atBatch))));
    assertEquals("Interrupting!", failure.getMessage());
  }

  @Test
  void aBackupHoldsTheLastCompletedEpochAndFitResumesAtTheNext() throws Exception {
    Path dir = tmp.resolve("subdir");
    try (var model = model()) {
      var backup = new BackupAndRestore(dir);
      fitInterrupted(model, backup, 6, 2, 1); // epochs 0 and 1 complete, epoch 2 interrupted
      assertTrue(Files.exists(dir), "the failed fit kept its backup");
      assertEquals(
          "{\"epoch\":2,\"batch\":0,\"step\":0,\"checkpoint\":\"checkpoint-1\"}",
          Files.readString(dir.resolve("training_metadata.json")),
          "epoch 2's first batch was not backed up: an epoch is backed up when it ends");
      List<float[]> interrupted = TestModels.weights(model);
      assertFalse(
          TestModels.sameWeights(interrupted, savedWeights(dir.resolve("checkpoint-1"))),
          "the model trained on after the backup");

      var counter = new Interrupting(-1, -1);
      History history = model.fit(X, Y, options(5, backup, counter));
      assertEquals(List.of(2, 3, 4), history.epochs(), "Keras's hist.epoch after the restore");
      assertEquals("2:0", counter.trained.get(0));
      assertEquals(9, counter.trained.size());
      assertEquals(15L, model.optimizer().iterations(), "6 restored steps and 9 new");
      assertFalse(Files.exists(dir), "the finished fit deleted the backup");
    }
  }

  /** The weights in a checkpoint directory, by loading them into a fresh model. */
  private static List<float[]> savedWeights(Path checkpoint) throws Exception {
    try (var other = new Sequential(new Dense(1))) {
      other.buildFor(Shape.of(-1, 3));
      other.loadWeights(checkpoint);
      return TestModels.weights(other);
    }
  }

  @Test
  void anIntegerSaveFreqBacksUpEveryNBatchesAndResumesAtTheNextBatch() throws Exception {
    Path dir = tmp.resolve("subdir");
    try (var model = model()) {
      var backup = new BackupAndRestore(dir).saveFreq(2);
      fitInterrupted(model, backup, 2, 1, 2); // batches 0:0 0:1 0:2 1:0 1:1 trained
      // saves after the 2nd and 4th batch: the 4th is epoch 1's batch 0
      assertEquals(
          "{\"epoch\":1,\"batch\":0,\"step\":1,\"checkpoint\":\"checkpoint-1\"}",
          Files.readString(dir.resolve("training_metadata.json")));
      assertFalse(Files.exists(dir.resolve("checkpoint-0")), "the older backup was deleted");

      var counter = new Interrupting(-1, -1);
      History history = model.fit(X, Y, options(3, backup, counter));
      assertEquals(List.of(1, 2), history.epochs());
      assertEquals(List.of("1:1", "1:2", "2:0", "2:1", "2:2"), counter.trained, "epoch 1 resumes at its batch 1");
      assertEquals(9L, model.optimizer().iterations(), "4 restored steps and 5 new");
      assertFalse(Files.exists(dir));
    }
  }

  @Test
  void aDamagedBackupFailsNamingTheFile() throws Exception {
    Path dir = tmp.resolve("subdir");
    try (var model = model()) {
      var backup = new BackupAndRestore(dir);
      fitInterrupted(model, backup, 6, 2, 0);
      Path weights = dir.resolve("checkpoint-1").resolve("weights.npz");
      Files.writeString(weights, "0");
      var error = assertThrows(UncheckedIOException.class, () -> model.fit(X, Y, options(5, backup)));
      assertTrue(error.getMessage().startsWith("BackupAndRestore cannot restore the backup in " + dir + ": "), error.getMessage());
      assertTrue(error.getMessage().contains(weights.toString()), error.getMessage());
      assertTrue(
          error.getMessage().endsWith(
              ". Delete " + dir + " to train from the start, and use doubleCheckpoint(true) to keep a previous backup too."),
          error.getMessage());
      assertTrue(Files.exists(weights), "nothing was deleted");

      Files.writeString(dir.resolve("training_metadata.json"), "{\"epoch\": \"two\"");
      error = assertThrows(UncheckedIOException.class, () -> model.fit(X, Y, options(5, backup)));
      assertTrue(error.getMessage().contains(dir.resolve("training_metadata.json") + " is damaged"), error.getMessage());
    }
  }

  @Test
  void withDoubleCheckpointADamagedBackupFallsBackToThePreviousOne() throws Exception {
    Path dir = tmp.resolve("subdir");
    try (var model = model()) {
      var backup = new BackupAndRestore(dir).doubleCheckpoint(true);
      fitInterrupted(model, backup, 6, 2, 0);
      assertEquals(
          "{\"epoch\":1,\"batch\":0,\"step\":0,\"checkpoint\":\"checkpoint-0\"}",
          Files.readString(dir.resolve("training_metadata.json.bkp")));
      List<float[]> afterEpoch0 = savedWeights(dir.resolve("checkpoint-0"));
      Files.writeString(dir.resolve("checkpoint-1").resolve("weights.npz"), "0");

      var counter = new Interrupting(-1, -1);
      History history = model.fit(X, Y, options(5, backup, counter, new Callback() {
        @Override
        public void onTrainBegin() {
          assertTrue(TestModels.sameWeights(afterEpoch0, TestModels.weights(model())), "epoch 0's backup restored");
        }
      }));
      assertEquals(List.of(1, 2, 3, 4), history.epochs(), "resumed after epoch 0, the previous backup");
      assertEquals(15L, model.optimizer().iterations(), "3 restored steps and 12 new");
      assertFalse(Files.exists(dir));
    }
  }

  @Test
  void deleteCheckpointFalseKeepsTheBackupOfTheFinishedRun() throws Exception {
    Path dir = tmp.resolve("subdir");
    try (var model = model()) {
      model.fit(X, Y, options(2, new BackupAndRestore(dir).deleteCheckpoint(false)));
      assertEquals(
          "{\"epoch\":2,\"batch\":0,\"step\":0,\"checkpoint\":\"checkpoint-1\"}",
          Files.readString(dir.resolve("training_metadata.json")));
      // a later fit to 2 epochs has nothing left to train and ends at once
      var counter = new Interrupting(-1, -1);
      History history = model.fit(X, Y, options(2, new BackupAndRestore(dir), counter));
      assertEquals(List.of(), history.epochs());
      assertEquals(List.of(), counter.trained);
      assertFalse(Files.exists(dir));
    }
  }

  @Test
  void anUnbuiltModelIsRefused() {
    try (var model = new Sequential(new Dense(1))) {
      model.compile("sgd", "mse");
      var error =
          assertThrows(
              IllegalStateException.class, () -> model.fit(X, Y, options(1, new BackupAndRestore(tmp.resolve("b")))));
      assertEquals(
          "To use the BackupAndRestore callback, your model must be built before you call fit(). Model '"
              + model.name() + "' is unbuilt. You can build it beforehand with model.buildFor(inputShape)"
              + " or by calling it on a batch of data.",
          error.getMessage());
    }
  }

  @Test
  void optionsAreValidatedWithKerassMessages() {
    var empty = assertThrows(IllegalArgumentException.class, () -> new BackupAndRestore(Path.of("")));
    assertTrue(empty.getMessage().startsWith("Empty `backupDir` argument passed"), empty.getMessage());
    var none = assertThrows(IllegalArgumentException.class, () -> new BackupAndRestore(null));
    assertEquals(
        "Empty `backupDir` argument passed: give the directory for the backup, e.g. new"
            + " BackupAndRestore(Path.of(\"/tmp/backup\")). Received: backupDir=null",
        none.getMessage());
    var backup = new BackupAndRestore(tmp);
    var batch = assertThrows(IllegalArgumentException.class, () -> backup.saveFreq("batch"));
    assertEquals(
        "Invalid value for argument `saveFreq`. Received: saveFreq=batch. Expected either 'epoch' or"
            + " an integer value, e.g. saveFreq(100) to back up every 100 batches.",
        batch.getMessage());
    var zero = assertThrows(IllegalArgumentException.class, () -> backup.saveFreq(0));
    assertEquals(
        "Invalid value for argument `saveFreq`. Received: saveFreq=0. Expected either 'epoch' or a"
            + " positive integer, the number of batches between backups.",
        zero.getMessage());
    assertEquals(backup, backup.saveFreq("epoch").saveFreq(5).doubleCheckpoint(true).deleteCheckpoint(false));
  }

  @Test
  void setInitialEpochOutsideFitIsRefused() {
    try (var model = model()) {
      var error = assertThrows(IllegalStateException.class, () -> model.setInitialEpoch(1, 0));
      assertTrue(error.getMessage().startsWith("setInitialEpoch is read by fit after"), error.getMessage());
    }
  }
}
