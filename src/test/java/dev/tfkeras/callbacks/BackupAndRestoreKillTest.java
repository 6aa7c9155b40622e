package dev.tfkeras.callbacks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Fault tolerance end to end, in child JVMs ({@link BackupAndRestoreChild}): a seeded run killed
 * in its third epoch (halted, as {@code kill -9} would) and restarted with the same backup
 * directory ends with the weights and optimizer step count of an uninterrupted run, bit for bit,
 * and leaves no backup behind.
 */
class BackupAndRestoreKillTest {

  @TempDir Path tmp;

  private static final int BATCHES_PER_EPOCH = BackupAndRestoreChild.EXAMPLES / BackupAndRestoreChild.BATCH_SIZE;

  /** Runs the child; returns its exit status. */
  private static int child(Path backupDir, Path out, String saveFreq, String haltAt) throws Exception {
    Path log = out.resolveSibling(out.getFileName() + ".log");
    var command = new java.util.ArrayList<String>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    if (haltAt != null) {
      command.add("-D" + BackupAndRestoreChild.HALT_AT + "=" + haltAt);
    }
    command.add(BackupAndRestoreChild.class.getName());
    command.add(backupDir.toString());
    command.add(out.toString());
    command.add(saveFreq);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the child finished");
    int status = process.exitValue();
    if (status != 0 && status != BackupAndRestoreChild.HALT_STATUS) {
      throw new AssertionError("the child failed with status " + status + ":\n" + Files.readString(log));
    }
    return status;
  }

  @ParameterizedTest(name = "saveFreq={0}, killed at epoch:batch {1}")
  @CsvSource({"epoch, 2:5", "3, 2:7"})
  void aRunKilledInEpoch3AndRestartedEndsAsAnUninterruptedRunBitForBit(String saveFreq, String haltAt)
      throws Exception {
    Path reference = tmp.resolve("reference.bin");
    assertEquals(0, child(tmp.resolve("backup-reference"), reference, saveFreq, null));
    assertFalse(Files.exists(tmp.resolve("backup-reference")), "the finished run deleted its backup");

    Path backupDir = tmp.resolve("backup");
    Path resumed = tmp.resolve("resumed.bin");
    assertEquals(BackupAndRestoreChild.HALT_STATUS, child(backupDir, resumed, saveFreq, haltAt));
    assertFalse(Files.exists(resumed), "the killed run wrote no result");
    String metadata = Files.readString(backupDir.resolve(BackupAndRestore.METADATA));
    // killed in epoch 2 (0-based): epoch-end backups hold 2 epochs; every-3-batches ones (counted
    // across epochs, as Keras does: the 21st batch is epoch 2's batch 4) hold epoch 2's batches 0..4
    String expected =
        saveFreq.equals("epoch")
            ? "{\"epoch\":2,\"batch\":0,\"step\":0,"
            : "{\"epoch\":2,\"batch\":4,\"step\":5,";
    assertTrue(metadata.startsWith(expected), "the backup's position: " + metadata);

    assertEquals(0, child(backupDir, resumed, saveFreq, null));
    assertFalse(Files.exists(backupDir), "the finished run deleted the backup");

    ByteBuffer want = ByteBuffer.wrap(Files.readAllBytes(reference));
    ByteBuffer got = ByteBuffer.wrap(Files.readAllBytes(resumed));
    assertEquals(5 * BATCHES_PER_EPOCH, want.getInt(), "the reference trained every batch");
    // the restart trained only what the backup lacked (a fresh restart would train all 40 batches,
    // and end with the same weights: the seed is the same)
    int restored = saveFreq.equals("epoch") ? 2 * BATCHES_PER_EPOCH : 2 * BATCHES_PER_EPOCH + 5;
    assertEquals(5 * BATCHES_PER_EPOCH - restored, got.getInt(), "batches trained after the restart");
    assertEquals(5L * BATCHES_PER_EPOCH, want.getLong(), "the reference's Adam steps");
    assertEquals(5L * BATCHES_PER_EPOCH, got.getLong(), "the restored optimizer's step count");
    assertArrayEquals(
        Arrays.copyOfRange(want.array(), 12, want.capacity()),
        Arrays.copyOfRange(got.array(), 12, got.capacity()),
        "final weights, bit for bit");
  }
}
