package dev.tfkeras.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tfkeras.io.Npy;
import dev.tfkeras.layers.Dense;
import dev.tfkeras.saving.ExportDirectory;
import dev.tfkeras.saving.SavePoints;
import dev.tfkeras.saving.WeightsArchive;
import dev.tfkeras.testing.FreshRuntime;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/** Model.save replaces only its own earlier exports, crash-safely, and says why it refuses. */
@ExtendWith(FreshRuntime.class)
class ExportSafetyTest {

  @TempDir Path tmp;

  /** A Dense(2) model on 3 inputs whose every weight is {@code value}: it serves 4 * value on ones. */
  static Sequential model(float value) {
    var model = new Sequential(new Dense(2));
    model.buildFor(Shape.of(-1, 3));
    TestModels.fill(model, value);
    return model;
  }

  static void export(Path dir, float value) throws IOException {
    try (var model = model(value)) {
      model.save(dir);
    }
  }

  /** The value of every weight in {@code dir/weights.npz}, checked to be one value. */
  static float weightsValue(Path dir) throws IOException {
    Map<String, Npy.Array> arrays = WeightsArchive.read(dir.resolve("weights.npz"));
    float value = arrays.values().iterator().next().data().order(ByteOrder.LITTLE_ENDIAN).getFloat(0);
    for (Npy.Array array : arrays.values()) {
      var floats = array.data().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
      while (floats.hasRemaining()) {
        assertEquals(value, floats.get(), "one export, one value");
      }
    }
    return value;
  }

  /** What the SavedModel in {@code dir} serves for a row of ones, divided by 4: its weights' value. */
  static float servedValue(Path dir) {
    try (SavedModelBundle bundle = SavedModelBundle.load(dir.toString(), "serve");
        TFloat32 x = TFloat32.tensorOf(Shape.of(1, 3), d -> d.setFloat(1f, 0, 0).setFloat(1f, 0, 1).setFloat(1f, 0, 2));
        var result = bundle.function("serving_default").call(Map.<String, Tensor>of("inputs", x))) {
      return ((TFloat32) result.get("output_0").orElseThrow()).getFloat(0, 0) / 4f;
    }
  }

  /** Asserts {@code dir} is a complete export of {@code value}: SavedModel and weights agree. */
  static void assertExportOf(float value, Path dir) throws IOException {
    assertTrue(Files.isRegularFile(dir.resolve(ExportDirectory.MARKER)), "marker in " + dir);
    assertEquals(value, weightsValue(dir), "weights.npz of " + dir);
    assertEquals(value, servedValue(dir), "SavedModel of " + dir);
  }

  static List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  static Map<String, String> snapshot(Path root) throws IOException {
    var files = new java.util.TreeMap<String, String>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.toList()) {
        files.put(root.relativize(p).toString(), Files.isRegularFile(p) ? Files.readString(p) : "<dir>");
      }
    }
    return files;
  }

  @Test
  void aDirectoryOfOtherFilesIsRefusedAndKept() throws IOException {
    Path data = Files.createDirectories(tmp.resolve("data/sub"));
    Files.writeString(data.resolve("notes.txt"), "mine");
    Files.writeString(tmp.resolve("data/train-images-idx3-ubyte"), "pixels");
    Map<String, String> before = snapshot(tmp);
    try (var model = model(1f)) {
      var e = assertThrows(IOException.class, () -> model.save(tmp.resolve("data")));
      assertEquals(
          "Cannot save the model to " + tmp.resolve("data") + ": the directory holds files that are not a"
              + " tfkeras export (sub, train-images-idx3-ubyte), which saving would delete. Expected a new"
              + " or empty directory, or an earlier export of Model.save (recognised by its"
              + " .tfkeras-export file). Choose another directory.",
          e.getMessage());
    }
    assertEquals(before, snapshot(tmp), "nothing created, changed or deleted");
  }

  @Test
  void aRegularFileIsRefusedAndKept() throws IOException {
    Path file = Files.writeString(tmp.resolve("model.bin"), "precious");
    try (var model = model(1f)) {
      var e = assertThrows(IOException.class, () -> model.save(file));
      assertEquals(
          "Cannot save the model to " + file + ": it is a regular file, expected a new directory or an"
              + " earlier export of Model.save. Choose another path, or remove the file if you no longer"
              + " need it.",
          e.getMessage());
    }
    assertEquals("precious", Files.readString(file));
    assertEquals(List.of("model.bin"), names(tmp));
  }

  @Test
  void anExportHoldingOtherFilesIsRefusedAndKept() throws IOException {
    Path dir = tmp.resolve("export");
    export(dir, 1f);
    Files.writeString(dir.resolve("README.txt"), "how I trained it");
    try (var model = model(2f)) {
      var e = assertThrows(IOException.class, () -> model.save(dir));
      assertEquals(
          "Cannot save the model to " + dir + ": it is an earlier export but also holds other files"
              + " (README.txt), which saving would delete. Move them out of it, or choose another directory.",
          e.getMessage());
    }
    assertEquals("how I trained it", Files.readString(dir.resolve("README.txt")));
    assertExportOf(1f, dir);
  }

  @Test
  void anEmptyDirectoryAnExportAndAnExportWithoutMarkerAreReplaced() throws IOException {
    Path dir = Files.createDirectory(tmp.resolve("export"));
    export(dir, 1f);
    assertExportOf(1f, dir);
    export(dir, 2f);
    assertExportOf(2f, dir);
    // an export written before exports had a marker: exactly what Model.save wrote then
    Files.delete(dir.resolve(ExportDirectory.MARKER));
    export(dir, 3f);
    assertExportOf(3f, dir);
    assertEquals(List.of("export"), names(tmp), "no staging or old directory left beside it");
  }

  @Test
  void aSymbolicLinkToAnExportKeepsPointingToTheNewExport() throws IOException {
    Path real = tmp.resolve("disk/export");
    export(real, 1f);
    Path link = Files.createSymbolicLink(tmp.resolve("link"), real);
    export(link, 2f);
    assertTrue(Files.isSymbolicLink(link));
    assertExportOf(2f, real);
    assertEquals(List.of("export"), names(tmp.resolve("disk")));
  }

  @Test
  void exportedFilesKeepTheUsersUmask() throws IOException {
    assumeTrue(tmp.getFileSystem().supportedFileAttributeViews().contains("posix"), "POSIX permissions");
    Path dir = tmp.resolve("export");
    export(dir, 1f);
    export(dir, 2f); // the replaced export too
    // what the umask gives a new file and directory here
    Set<PosixFilePermission> file = Files.getPosixFilePermissions(Files.createFile(tmp.resolve("plain-file")));
    Set<PosixFilePermission> directory = Files.getPosixFilePermissions(Files.createDirectory(tmp.resolve("plain-dir")));
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.toList()) {
        assertEquals(
            PosixFilePermissions.toString(Files.isDirectory(p) ? directory : file),
            PosixFilePermissions.toString(Files.getPosixFilePermissions(p)),
            p.toString());
      }
    }
  }

  /** Moves {@code from} to {@code to}, as the save steps do. */
  private static void move(Path from, Path to) throws IOException {
    Files.move(from, to, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  @Test
  void aKillBetweenTheTwoRenamesIsCompletedByTheNextLoad() throws IOException {
    Path dir = tmp.resolve("export");
    Path staging = tmp.resolve(".export.tfkeras-staging");
    Path old = tmp.resolve(".export.tfkeras-old");
    export(dir, 1f);
    export(tmp.resolve("new"), 2f);
    // the state after "old moved aside", before "new moved in"
    move(dir, old);
    move(tmp.resolve("new"), staging);
    try (var model = model(0f)) {
      model.loadWeights(dir);
      assertEquals(2f, TestModels.weights(model).get(0)[0], "the new, complete export");
    }
    assertEquals(List.of("export"), names(tmp));
    assertExportOf(2f, dir);
  }

  @Test
  void aKillWhileStagingRestoresTheOldExportWhenItWasAside() throws IOException {
    Path dir = tmp.resolve("export");
    Path staging = tmp.resolve(".export.tfkeras-staging");
    Path old = tmp.resolve(".export.tfkeras-old");
    export(dir, 1f);
    move(dir, old);
    Files.createDirectories(staging.resolve("variables"));
    Files.writeString(staging.resolve("saved_model.pb"), "half");
    try (var model = model(0f)) {
      model.loadWeights(dir);
      assertEquals(1f, TestModels.weights(model).get(0)[0]);
    }
    assertEquals(List.of("export"), names(tmp));
    assertExportOf(1f, dir);
  }

  @Test
  void leftoversOfAnInterruptedSaveAreRemovedByTheNextSave() throws IOException {
    Path dir = tmp.resolve("export");
    export(dir, 1f);
    // a half-deleted old export and a half-written staging directory
    Path old = Files.createDirectories(tmp.resolve(".export.tfkeras-old/variables"));
    Files.writeString(old.resolve("variables.index"), "x");
    Path staging = Files.createDirectories(tmp.resolve(".export.tfkeras-staging"));
    Files.writeString(staging.resolve("weights.npz.1234.part"), "x");
    export(dir, 2f);
    assertEquals(List.of("export"), names(tmp));
    assertExportOf(2f, dir);
  }

  @Test
  void aStagingDirectoryHoldingOtherFilesIsNotDeleted() throws IOException {
    Path dir = tmp.resolve("export");
    Path staging = Files.createDirectories(tmp.resolve(".export.tfkeras-staging"));
    Files.writeString(staging.resolve("mine.txt"), "mine");
    try (var model = model(1f)) {
      var e = assertThrows(IOException.class, () -> model.save(dir));
      assertEquals(
          "Cannot save the model to " + dir + ": " + staging + " is in the way; it holds files that a"
              + " save does not write, so it is not removed automatically. Move or remove it.",
          e.getMessage());
    }
    assertEquals("mine", Files.readString(staging.resolve("mine.txt")));
  }

  @Test
  void aFullDiskWhileWritingTheSavedModelIsAnIOExceptionNamingThePath() throws Exception {
    assumeTrue(Files.isWritable(Path.of("/dev/full")), "needs /dev/full (Linux), which fails every write with ENOSPC");
    Path dir = tmp.resolve("export");
    export(dir, 1f);
    Path staging = tmp.resolve(".export.tfkeras-staging");
    // saved_model.pb written through a link to /dev/full: a real "No space left on device"
    try (var full = SavePoints.inject(SavePoints.EXPORT_STAGING_CREATED,
            s -> Files.createSymbolicLink(s.resolve("saved_model.pb"), Path.of("/dev/full")));
        var model = model(2f)) {
      var e = assertThrows(IOException.class, () -> model.save(dir));
      assertEquals(
          "Cannot save the model to " + dir + ": cannot write the SavedModel to "
              + staging.resolve("saved_model.pb") + ": no space left on device. Free some space, or"
              + " choose another location. The previous export at " + dir + " is intact.",
          e.getMessage());
    }
    assertExportOf(1f, dir);
    assertEquals(List.of("export"), names(tmp));
  }

  @Test
  void aTensorFlowWriteFailureIsAnIOExceptionWithoutTensorFlowsNodeLines() throws Exception {
    Path dir = tmp.resolve("export");
    export(dir, 1f);
    Path staging = tmp.resolve(".export.tfkeras-staging");
    // TensorFlow's own writer (the variables) fails: "variables" is a file, not a directory
    try (var broken = SavePoints.inject(SavePoints.EXPORT_STAGING_CREATED,
            s -> Files.writeString(s.resolve("variables"), "in the way"));
        var model = model(2f)) {
      var e = assertThrows(IOException.class, () -> model.save(dir));
      String prefix =
          "Cannot save the model to " + dir + ": cannot write the SavedModel's variables to "
              + staging.resolve("variables") + ": " + staging.resolve("variables/variables.data-00000-of-00001.tempstate");
      assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
      assertTrue(e.getMessage().endsWith("; Not a directory. The previous export at " + dir + " is intact."), e.getMessage());
      assertTrue(!e.getMessage().contains("[[") && !e.getMessage().contains("\n"), e.getMessage());
    }
    assertExportOf(1f, dir);
    assertEquals(List.of("export"), names(tmp));
  }

  @Test
  void aParentThatIsAFileIsNamed() throws IOException {
    Path file = Files.writeString(tmp.resolve("file"), "x");
    try (var model = model(1f)) {
      var e = assertThrows(IOException.class, () -> model.save(file.resolve("export")));
      assertEquals(
          "Cannot save the model to " + file.resolve("export") + ": " + file + " is a regular file, not a"
              + " directory. Choose a path whose parents are directories.",
          e.getMessage());
      var w = assertThrows(IOException.class, () -> model.saveWeights(file.resolve("ckpt")));
      assertEquals(
          "Cannot create the directory " + file.resolve("ckpt") + ": " + file + " is a regular file, not a"
              + " directory. Choose a path whose parents are directories.",
          w.getMessage());
    }
    assertEquals("x", Files.readString(file));
  }

  @Test
  void anUnwritableDirectorySaysPermissionDenied() throws IOException {
    // root may write anywhere: the refusal cannot be shown when the tests run as root (as in CI)
    assumeFalse("root".equals(System.getProperty("user.name")), "runs as root: permissions are not enforced");
    assumeTrue(tmp.getFileSystem().supportedFileAttributeViews().contains("posix"), "POSIX permissions");
    Path locked = Files.createDirectory(tmp.resolve("locked"));
    Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-xr-xr-x"));
    try (var model = model(1f)) {
      var e = assertThrows(IOException.class, () -> model.save(locked.resolve("export")));
      assertEquals(
          "Cannot save the model to " + locked.resolve("export") + ": permission denied (cannot create files in "
              + locked + "). Check its permissions (and those of the directories above it), or choose another"
              + " location.",
          e.getMessage());
      var w = assertThrows(IOException.class, () -> model.saveWeights(locked));
      assertEquals(
          "Cannot write " + locked.resolve("weights.npz") + ": permission denied (cannot create files in "
              + locked + "). Check its permissions (and those of the directories above it), or choose another"
              + " location.",
          w.getMessage());
    } finally {
      Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    assertArrayEquals(new String[0], locked.toFile().list());
  }
}
