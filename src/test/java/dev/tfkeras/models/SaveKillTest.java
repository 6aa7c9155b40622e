package dev.tfkeras.models;

import static dev.tfkeras.models.ExportSafetyTest.assertExportOf;
import static dev.tfkeras.models.ExportSafetyTest.names;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.saving.SavePoints;
import dev.tfkeras.testing.FreshRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Kills a save at each of its steps, in a child JVM halted there (as {@code kill -9} would: no
 * shutdown hooks, no {@code finally}), then checks that the target holds the old or the new save,
 * or gets it back from the next load, and that the next save leaves nothing behind.
 */
@ExtendWith(FreshRuntime.class)
class SaveKillTest {

  @TempDir Path tmp;

  /** Saves value 2 into {@code dir} in a child JVM that halts at {@code point}. */
  private static void killedSave(String kind, Path dir, String point) throws IOException, InterruptedException {
    Path log = dir.resolveSibling("child-" + point + ".log");
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", // a short-lived JVM: start fast
                "-cp", System.getProperty("java.class.path"),
                "-D" + SavePoints.HALT_PROPERTY + "=" + point,
                SaveKillChild.class.getName(), kind, dir.toString(), "2")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child finished");
    String output = Files.readString(log);
    Files.delete(log);
    assertEquals(SavePoints.HALT_STATUS, child.exitValue(), "the child halted at " + point + ":\n" + output);
  }

  private static float loadedValue(Path dir) throws IOException {
    try (var model = ExportSafetyTest.model(0f)) {
      model.loadWeights(dir);
      return TestModels.weights(model).get(0)[0];
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {
      SavePoints.EXPORT_STAGING_CREATED,
      SavePoints.EXPORT_SAVED_MODEL_WRITTEN,
      SavePoints.WEIGHTS_FIRST_ENTRY,
      SavePoints.EXPORT_STAGING_COMPLETE,
      SavePoints.EXPORT_OLD_ASIDE,
      SavePoints.EXPORT_NEW_IN_PLACE,
      SavePoints.EXPORT_OLD_PARTLY_DELETED})
  void anExportKilledAtAnyStepLeavesTheOldOrTheNewExport(String point) throws Exception {
    Path dir = tmp.resolve("export");
    ExportSafetyTest.export(dir, 1f);
    killedSave("export", dir, point);

    boolean movedAside = point.equals(SavePoints.EXPORT_OLD_ASIDE);
    boolean newInPlace = point.equals(SavePoints.EXPORT_NEW_IN_PLACE) || point.equals(SavePoints.EXPORT_OLD_PARTLY_DELETED);
    if (movedAside) {
      assertFalse(Files.exists(dir), "between the two renames the target is missing");
    } else {
      assertExportOf(newInPlace ? 2f : 1f, dir); // loadable as is, by TensorFlow too
    }
    // the next load recovers what a kill between the renames left: the new, complete export
    float expected = newInPlace || movedAside ? 2f : 1f;
    assertEquals(expected, loadedValue(dir));
    assertExportOf(expected, dir);

    ExportSafetyTest.export(dir, 3f);
    assertExportOf(3f, dir);
    assertEquals(List.of("export"), names(tmp), "no staging, old or .part left");
    assertEquals(List.of(".tfkeras-export", "saved_model.pb", "variables", "weights.npz"), names(dir));
  }

  @Test
  void aFirstExportKilledBeforeItsRenameIsCompletedByTheNextLoad() throws Exception {
    Path dir = tmp.resolve("export");
    killedSave("export", dir, SavePoints.EXPORT_STAGING_COMPLETE);
    assertFalse(Files.exists(dir));
    assertEquals(2f, loadedValue(dir));
    assertExportOf(2f, dir);
    assertEquals(List.of("export"), names(tmp));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      SavePoints.WEIGHTS_PART_CREATED, SavePoints.WEIGHTS_FIRST_ENTRY, SavePoints.WEIGHTS_PART_COMPLETE})
  void saveWeightsKilledAtAnyStepKeepsTheOldArchive(String point) throws Exception {
    Path dir = tmp.resolve("ckpt");
    try (var model = ExportSafetyTest.model(1f)) {
      model.saveWeights(dir);
    }
    byte[] old = Files.readAllBytes(dir.resolve("weights.npz"));
    killedSave("weights", dir, point);
    assertArrayEquals(old, Files.readAllBytes(dir.resolve("weights.npz")), "the old archive, byte for byte");
    assertEquals(1f, loadedValue(dir));
    assertEquals(2, names(dir).size(), "weights.npz and the killed save's .part: " + names(dir));

    try (var model = ExportSafetyTest.model(3f)) {
      model.saveWeights(dir);
    }
    assertEquals(3f, loadedValue(dir));
    assertEquals(List.of("weights.npz"), names(dir), "the .part file was removed by the next save");
  }
}
