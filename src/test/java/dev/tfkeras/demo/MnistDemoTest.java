package dev.tfkeras.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.runtime.GraphRuntime;
import dev.tfkeras.testing.FreshRuntime;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(FreshRuntime.class)
class MnistDemoTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return MnistDemo.run(
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8),
        args);
  }

  @Test
  void helpListsEveryOptionAndExitsZero() {
    assertEquals(0, run("--help"));
    String help = out.toString(StandardCharsets.UTF_8);
    for (String option :
        new String[] {"--epochs", "--batch-size", "--shuffle-buffer", "--learning-rate", "--seed",
            "--data-dir", "--device", "--intra-op-threads", "--inter-op-threads", "--jit", "--plot", "--save-keras", "--tensorboard", "--verbose"}) {
      assertTrue(help.contains(option), option + " missing from:\n" + help);
    }
  }

  @Test
  void badOptionsPrintUsageAndExitTwo() {
    assertEquals(2, run("--epochs", "zero"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("Usage: mnist-demo"));
    err.reset();
    assertEquals(2, run("--batch-size", "0"));
    String text = err.toString(StandardCharsets.UTF_8);
    assertTrue(text.startsWith("--batch-size must be a positive integer, received: 0"), text);
    assertTrue(text.contains("Usage: mnist-demo"));
    err.reset();
    assertEquals(2, run("--device", "tpu"));
    assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("--device must be cpu or gpu, received: tpu"));
    err.reset();
    assertEquals(2, run("--intra-op-threads", "-1"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains(
        "--intra-op-threads and --inter-op-threads must be 0 (TensorFlow's choice) or positive, received: -1 and 0"));
  }

  @Test
  void runtimeFailuresPrintOneLineAndExitOne(@TempDir Path dir) throws Exception {
    // A corrupt file in the data directory: the loader must refuse it, the demo must say so briefly.
    Files.write(dir.resolve("train-images-idx3-ubyte"), new byte[] {1, 2, 3});
    Files.write(dir.resolve("train-labels-idx1-ubyte"), new byte[] {1, 2, 3});
    Files.write(dir.resolve("t10k-images-idx3-ubyte"), new byte[] {1, 2, 3});
    Files.write(dir.resolve("t10k-labels-idx1-ubyte"), new byte[] {1, 2, 3});
    assertEquals(1, run("--data-dir", dir.toString(), "--epochs", "1"));
    String text = err.toString(StandardCharsets.UTF_8).strip();
    assertTrue(text.startsWith("mnist-demo: "), text);
    assertFalse(text.contains("\tat "), "no stack trace without --verbose:\n" + text);
    assertEquals(1, text.lines().count(), text);
    assertTrue(text.contains("train-images-idx3-ubyte"), "names the bad file: " + text);
  }

  @Test
  void gpuWithoutAGpuSaysHowToGetOne() {
    org.junit.jupiter.api.Assumptions.assumeFalse(
        GraphRuntime.gpuAvailable(), "this machine has a GPU: the refusal cannot be shown");
    assertEquals(1, run("--device", "gpu", "--epochs", "1"));
    String text = err.toString(StandardCharsets.UTF_8).strip();
    assertTrue(text.startsWith("mnist-demo: No GPU is visible to TensorFlow."), text);
    assertTrue(text.contains("mvn -Pcuda"), text);
  }

  @Test
  void anUnknownOptionShowsTheUsage() {
    assertEquals(2, run("--bad"));
    String text = err.toString(StandardCharsets.UTF_8);
    assertTrue(text.startsWith("Unknown option: '--bad'"), text);
    assertTrue(text.contains("Usage: mnist-demo"), text);
  }

  @Test
  void nonFiniteHyperparametersAreUsageErrors(@TempDir Path dir) {
    for (String rate : new String[] {"Infinity", "NaN", "1e39", "-Infinity"}) {
      err.reset();
      // an empty data directory: loading MNIST would try the network, so exit 2 proves nothing was loaded
      assertEquals(2, run("--learning-rate", rate, "--data-dir", dir.resolve("data").toString()), rate);
      String text = err.toString(StandardCharsets.UTF_8);
      String shown = rate.equals("1e39") ? "Infinity" : rate;
      assertTrue(text.startsWith("--learning-rate must be a positive finite number, received: " + shown), text);
      assertTrue(text.contains("Usage: mnist-demo"), text);
    }
    assertFalse(Files.exists(dir.resolve("data")));
  }

  private String saveRefusal(Path data, String save) {
    err.reset();
    assertEquals(2, run("--data-dir", data.toString(), "--save", save));
    String text = err.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("Usage: mnist-demo"), text);
    return text.lines().findFirst().orElseThrow();
  }

  @Test
  void saveIsCheckedBeforeAnyDataIsLoaded(@TempDir Path dir) throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    Files.writeString(data.resolve("train-images-idx3-ubyte"), "not really");
    assertEquals(
        "--save " + data + " is the data directory (" + data + "): saving would replace the MNIST files"
            + " there. Choose another directory, e.g. --save model.",
        saveRefusal(data, data.toString()));
    assertEquals(
        "--save " + dir + " contains the data directory (" + data + "): saving would replace it. Choose"
            + " another directory, e.g. --save model.",
        saveRefusal(data, dir.toString()));
    Path file = Files.writeString(dir.resolve("model.bin"), "precious");
    assertEquals(
        "--save: Cannot save the model to " + file + ": it is a regular file, expected a new directory or"
            + " an earlier export of Model.save. Choose another path, or remove the file if you no longer"
            + " need it.",
        saveRefusal(data, file.toString()));
    Path mine = Files.createDirectories(dir.resolve("mine"));
    Files.writeString(mine.resolve("notes.txt"), "mine");
    assertEquals(
        "--save: Cannot save the model to " + mine + ": the directory holds files that are not a tfkeras"
            + " export (notes.txt), which saving would delete. Expected a new or empty directory, or an"
            + " earlier export of Model.save (recognised by its .tfkeras-export file). Choose another directory.",
        saveRefusal(data, mine.toString()));
    assertEquals(
        "--save: Cannot save the model to " + file.resolve("export") + ": " + file + " is a regular file,"
            + " not a directory. Choose a path whose parents are directories.",
        saveRefusal(data, file.resolve("export").toString()));
    assertEquals("precious", Files.readString(file));
    assertEquals("mine", Files.readString(mine.resolve("notes.txt")));
    assertEquals("not really", Files.readString(data.resolve("train-images-idx3-ubyte")));
    assertEquals(List.of("data", "mine", "model.bin"), names(dir));
  }

  private static List<String> names(Path dir) throws IOException {
    try (var files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void aDataDirectoryThatIsAFileIsNamed(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("data"), "x");
    assertEquals(1, run("--data-dir", file.toString(), "--epochs", "1"));
    assertEquals(
        "mnist-demo: The MNIST data directory " + file + " is a regular file, expected a directory (created"
            + " if missing). Choose a directory for the data (the demo's --data-dir, or TFKERAS_DATA_DIR).",
        err.toString(StandardCharsets.UTF_8).strip());
  }

  /** Tiny MNIST-shaped IDX files: {@code count} 28x28 images per split, labels 0..9. */
  static void writeFakeMnist(Path dir, int count) throws IOException {
    Files.createDirectories(dir);
    for (String split : new String[] {"train", "t10k"}) {
      byte[] pixels = new byte[count * 28 * 28];
      for (int i = 0; i < pixels.length; i++) {
        pixels[i] = (byte) (i * 31 % 251);
      }
      byte[] labels = new byte[count];
      for (int i = 0; i < count; i++) {
        labels[i] = (byte) (i % 10);
      }
      Files.write(dir.resolve(split + "-images-idx3-ubyte"), idx(pixels, count, 28, 28));
      Files.write(dir.resolve(split + "-labels-idx1-ubyte"), idx(labels, count));
    }
  }

  private static byte[] idx(byte[] data, int... dims) throws IOException {
    var bytes = new ByteArrayOutputStream();
    var out = new java.io.DataOutputStream(bytes);
    out.writeInt(0x0800 | dims.length);
    for (int d : dims) {
      out.writeInt(d);
    }
    out.write(data);
    return bytes.toByteArray();
  }

  @Test
  void aNonFiniteLossIsReportedWithExitOneAndNothingIsSaved(@TempDir Path dir) throws IOException {
    Path data = dir.resolve("data");
    writeFakeMnist(data, 64);
    for (String mode : new String[] {"--custom-loop", "--fit"}) {
      out.reset();
      err.reset();
      String[] common = {"--data-dir", data.toString(), "--epochs", "3", "--seed", "1",
          "--learning-rate", "1e30", "--save", dir.resolve("export").toString()};
      String[] args = mode.equals("--fit") ? concat(common, "--fit") : common;
      assertEquals(1, run(args), mode);
      String text = err.toString(StandardCharsets.UTF_8).strip();
      String last = text.lines().reduce((a, b) -> b).orElseThrow();
      assertTrue(
          last.matches("mnist-demo: The training loss is (NaN|Infinity): training diverged, so the model was"
              + " not saved\\. Try a smaller --learning-rate \\(this run used 1\\.0E30\\)\\."),
          mode + ": " + text);
      assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("Epoch 1, Loss: "), out.toString(StandardCharsets.UTF_8));
      assertFalse(Files.exists(dir.resolve("export")), mode);
    }
  }

  @Test
  void tensorboardWritesEitherLoopsEpochValues(@TempDir Path dir) throws IOException {
    Path data = dir.resolve("data");
    writeFakeMnist(data, 64);
    for (String mode : new String[] {"--custom-loop", "--fit"}) {
      out.reset();
      err.reset();
      Path logs = dir.resolve("tb").resolve(mode.substring(2));
      String[] common = {"--data-dir", data.toString(), "--epochs", "2", "--seed", "1", "--tensorboard", logs.toString()};
      assertEquals(0, run(mode.equals("--fit") ? concat(common, "--fit") : common), mode + ": " + err);
      List<String> lines = out.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("Epoch ")).toList();
      assertEquals(2, lines.size(), mode);
      // "Epoch 2, Loss: 2.30, Accuracy: 10.9, Test Loss: ..., Test Accuracy: ..." against the events
      boolean fit = mode.equals("--fit");
      var train = dev.tfkeras.summary.EventFiles.values(logs.resolve("train"));
      var test = dev.tfkeras.summary.EventFiles.values(logs.resolve(fit ? "validation" : "test"));
      String prefix = fit ? "epoch_" : "";
      for (int epoch = 0; epoch < 2; epoch++) {
        int e = epoch;
        for (var values : List.of(train, test)) {
          for (String key : List.of("loss", "accuracy")) {
            assertEquals(1, values.stream().filter(v -> v.tag().equals(prefix + key) && v.step() == e).count(), mode + " " + key);
          }
        }
      }
      String[] numbers = lines.get(1).replaceAll("[^0-9.]+", " ").trim().split(" ");
      float loss = train.stream().filter(v -> v.tag().equals(prefix + "loss") && v.step() == 1).findFirst().orElseThrow().scalar();
      assertEquals(Double.parseDouble(numbers[1]), loss, 0.006, mode + ": " + lines.get(1));
      float testAccuracy = test.stream().filter(v -> v.tag().equals(prefix + "accuracy") && v.step() == 1).findFirst().orElseThrow().scalar();
      assertEquals(Double.parseDouble(numbers[4]), 100 * testAccuracy, 0.006, mode + ": " + lines.get(1));
    }
    Path file = Files.writeString(dir.resolve("events.txt"), "not a directory");
    assertEquals(2, run("--data-dir", dir.resolve("missing").toString(), "--tensorboard", file.toString()));
    assertEquals(
        "--tensorboard " + file + " is a file, expected a directory for the event files, e.g. --tensorboard logs.",
        err.toString(StandardCharsets.UTF_8).lines().findFirst().orElseThrow());
    assertFalse(Files.exists(dir.resolve("missing")));
  }

  @Test
  void plotWritesTheTrainingCurvesOfEitherLoop(@TempDir Path dir) throws IOException {
    Path data = dir.resolve("data");
    writeFakeMnist(data, 64);
    for (String mode : new String[] {"--custom-loop", "--fit"}) {
      out.reset();
      err.reset();
      Path png = dir.resolve("plots").resolve(mode.substring(2) + ".png");
      String[] common = {"--data-dir", data.toString(), "--epochs", "2", "--seed", "1", "--plot", png.toString()};
      assertEquals(0, run(mode.equals("--fit") ? concat(common, "--fit") : common), mode + ": " + err);
      java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(png.toFile());
      assertEquals(2 * 440, image.getWidth(), mode); // loss and accuracy side by side
      assertEquals(340, image.getHeight(), mode);
      assertEquals(2, out.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("Epoch ")).count(), mode);
    }
  }

  @Test
  void saveKerasWritesAFileThatLoadsAndPredictsAsTheTrainedModel(@TempDir Path dir) throws IOException {
    Path data = dir.resolve("data");
    writeFakeMnist(data, 64);
    Path file = dir.resolve("out").resolve("mnist.keras");
    assertEquals(0, run("--data-dir", data.toString(), "--epochs", "1", "--seed", "1", "--fit", "--save-keras", file.toString()), err.toString());
    try (dev.tfkeras.models.Model loaded = dev.tfkeras.models.Model.load(file)) {
      float[][][][] image = new float[1][28][28][1];
      image[0][14][14][0] = 1f;
      assertEquals(10, loaded.predict(image)[0].length);
      assertEquals(
          java.util.List.of("conv2d", "flatten", "dense", "dense_1"),
          loaded.layers().stream().map(dev.tfkeras.layers.Layer::name).toList());
      assertEquals(2_770_634, loaded.countParams(), "the seed model's parameters");
    }
    err.reset();
    assertEquals(2, run("--save-keras", dir.resolve("model.h5").toString(), "--data-dir", dir.resolve("none").toString()));
    assertEquals(
        "--save-keras writes a Keras file: give a name ending in .keras, received: " + dir.resolve("model.h5"),
        err.toString(StandardCharsets.UTF_8).lines().findFirst().orElseThrow());
  }

  @Test
  void plotIsCheckedBeforeAnyDataIsLoaded(@TempDir Path dir) throws IOException {
    Path data = dir.resolve("data"); // empty: loading would try the network
    String[][] cases = {
      {"--plot", dir.resolve("curves.txt").toString()},
      {"--plot", Files.createDirectory(dir.resolve("curves.png")).toString()},
      {"--plot", Files.writeString(dir.resolve("file"), "x").resolve("curves.png").toString()},
    };
    String[] expected = {
      "--plot writes a PNG file: give a name ending in .png, received: " + dir.resolve("curves.txt"),
      "--plot " + dir.resolve("curves.png") + " is a directory, expected a PNG file name, e.g. "
          + dir.resolve("curves.png").resolve("curves.png"),
      "--plot " + dir.resolve("file/curves.png") + ": " + dir.resolve("file") + " is a regular file, not a directory."
          + " Choose a path whose parents are directories.",
    };
    for (int i = 0; i < cases.length; i++) {
      err.reset();
      assertEquals(2, run(concat(cases[i], "--data-dir", data.toString())), cases[i][1]);
      String text = err.toString(StandardCharsets.UTF_8);
      assertEquals(expected[i], text.lines().findFirst().orElseThrow());
      assertTrue(text.contains("Usage: mnist-demo"), text);
    }
    assertFalse(Files.exists(data));
  }

  private static String[] concat(String[] a, String... b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  private static String[] concat(String[] a, String b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + 1);
    all[a.length] = b;
    return all;
  }

  @Test
  void anUnwritableSaveDirectorySaysPermissionDeniedBeforeTraining(@TempDir Path dir) throws IOException {
    // root may write anywhere: the refusal cannot be shown when the tests run as root (as in CI)
    org.junit.jupiter.api.Assumptions.assumeFalse(
        "root".equals(System.getProperty("user.name")), "runs as root: permissions are not enforced");
    Path locked = Files.createDirectory(dir.resolve("locked"));
    Files.setPosixFilePermissions(locked, java.nio.file.attribute.PosixFilePermissions.fromString("r-xr-xr-x"));
    try {
      assertEquals(
          "--save: Cannot save the model to " + locked.resolve("export") + ": permission denied (cannot create files in " + locked
              + "). Check its permissions (and those of the directories above it), or choose another location.",
          saveRefusal(dir.resolve("data"), locked.resolve("export").toString()));
    } finally {
      Files.setPosixFilePermissions(locked, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }
}
