package dev.tfkeras.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tfkeras.testing.FreshRuntime;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** --plot paths that cannot be written, and empty MNIST files, are reported before training. */
@ExtendWith(FreshRuntime.class)
class MnistDemoInputChecksTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  @TempDir Path dir;

  private int run(String... args) {
    out.reset();
    err.reset();
    return MnistDemo.run(
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8),
        args);
  }

  private String firstErrorLine() {
    return err.toString(StandardCharsets.UTF_8).lines().findFirst().orElseThrow();
  }

  /** Exit 2 with usage, the data directory untouched: nothing was loaded or trained. */
  private void assertRefusedBeforeLoading(Path plot, String expected) {
    Path data = dir.resolve("data"); // missing: loading would try the network
    assertEquals(2, run("--plot", plot.toString(), "--data-dir", data.toString()), err.toString());
    assertEquals(expected, firstErrorLine());
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("Usage: mnist-demo"));
    assertFalse(Files.exists(data));
  }

  @Test
  void aPlotWhoseDirectoryCannotBeCreatedIsRefusedBeforeTraining() {
    // /proc takes no new files, even from root
    assumeTrue(Files.isDirectory(Path.of("/proc/self")), "needs Linux's /proc");
    Path plot = Path.of("/proc/tfkeras-no-such-dir/curves.png");
    assertRefusedBeforeLoading(
        plot,
        "--plot " + plot + ": cannot write the training curves there: /proc does not accept new"
            + " files or directories. Choose another location, e.g. --plot curves.png.");
  }

  @Test
  void aPlotInADirectoryWithoutWritePermissionIsRefusedBeforeTraining() throws IOException {
    assumeFalse("root".equals(System.getProperty("user.name")), "runs as root: permissions are not enforced");
    Path locked = Files.createDirectory(dir.resolve("locked"));
    Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-x------"));
    Path plot = locked.resolve("sub").resolve("curves.png");
    assertRefusedBeforeLoading(
        plot,
        "--plot " + plot + ": cannot write the training curves there: " + locked + " does not accept"
            + " new files or directories. Choose another location, e.g. --plot curves.png.");
  }

  @Test
  void aReadOnlyPlotFileIsRefusedBeforeTraining() throws IOException {
    assumeFalse("root".equals(System.getProperty("user.name")), "runs as root: permissions are not enforced");
    Path plot = Files.writeString(dir.resolve("curves.png"), "old");
    Files.setPosixFilePermissions(plot, PosixFilePermissions.fromString("r--------"));
    assertRefusedBeforeLoading(
        plot,
        "--plot " + plot + ": cannot write the training curves there: the file is read-only."
            + " Choose another location, e.g. --plot curves.png, or make it writable.");
  }

  @Test
  void aWritablePlotFileIsLeftAsItIsByTheCheck() throws IOException {
    Path plot = Files.writeString(dir.resolve("curves.png"), "old");
    Path data = dir.resolve("data");
    MnistDemoTest.writeFakeMnist(data, 0);
    // the demo fails later (empty data), but the check neither truncates nor deletes the file
    assertEquals(1, run("--plot", plot.toString(), "--data-dir", data.toString()), err.toString());
    assertEquals("old", Files.readString(plot));
    try (var files = Files.list(dir)) {
      assertEquals(2, files.count(), "curves.png and data only: the probe is gone");
    }
  }

  @Test
  void anEmptyMnistFileIsReportedInTheUsersWords() throws IOException {
    Path data = dir.resolve("data");
    MnistDemoTest.writeFakeMnist(data, 0);
    assertEquals(1, run("--data-dir", data.toString(), "--epochs", "1"), err.toString());
    assertEquals(
        "mnist-demo: MNIST file " + data.resolve("train-images-idx3-ubyte") + " holds 0 examples;"
            + " delete it (and " + data.resolve("train-labels-idx1-ubyte") + ") to download it again.",
        firstErrorLine());
  }
}
