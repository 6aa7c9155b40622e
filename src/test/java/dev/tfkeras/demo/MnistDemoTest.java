package dev.tfkeras.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.runtime.GraphRuntime;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistDemoTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @AfterEach
  void freshGraph() {
    GraphRuntime.reset();
  }

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
            "--data-dir", "--device", "--verbose"}) {
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
}
