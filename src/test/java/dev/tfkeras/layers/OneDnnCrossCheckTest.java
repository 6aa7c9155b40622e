package dev.tfkeras.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The convolution and pooling layers' outputs and gradients ({@link OneDnnCrossCheck}'s cases)
 * computed with this JVM's TensorFlow configuration (oneDNN on by default) and in a child JVM with
 * {@code TF_ENABLE_ONEDNN_OPTS=0}, compared with each other and the outputs with the plain-Java
 * references. oneDNN's kernels differ by CPU (they were wrong on an AMD EPYC with AVX-512, see
 * {@link OneDnnSafe}), so this runs on every machine the tests run on.
 */
class OneDnnCrossCheckTest {

  /** Absolute tolerance, plus this much relative to the value (float sums of up to ~1000 terms). */
  private static final double TOLERANCE = 1e-4;

  @Test
  void layersAgreeWithAndWithoutOneDnnAndWithTheReference() throws Exception {
    Map<String, OneDnnCrossCheck.Values> child = childWithoutOneDnn();
    Map<String, OneDnnCrossCheck.Values> here = OneDnnCrossCheck.run();
    assertEquals(new ArrayList<>(here.keySet()), new ArrayList<>(child.keySet()), "cases of the child JVM");
    List<String> failures = new ArrayList<>();
    for (OneDnnCrossCheck.Case c : OneDnnCrossCheck.cases()) {
      float[] reference = c.reference().apply(c.input());
      var mine = here.get(c.name());
      var theirs = child.get(c.name());
      compare(failures, c.name() + ": output, default configuration vs Java reference", reference, mine.output());
      compare(failures, c.name() + ": output, TF_ENABLE_ONEDNN_OPTS=0 vs Java reference", reference, theirs.output());
      compare(failures, c.name() + ": gradient, default configuration vs TF_ENABLE_ONEDNN_OPTS=0",
          theirs.gradient(), mine.gradient());
    }
    assertTrue(failures.isEmpty(), failures.size() + " differences:\n" + String.join("\n", failures));
  }

  private static void compare(List<String> failures, String what, float[] expected, float[] actual) {
    if (expected.length != actual.length) {
      failures.add(what + ": expected " + expected.length + " values, received " + actual.length);
      return;
    }
    for (int i = 0; i < expected.length; i++) {
      double diff = Math.abs((double) expected[i] - actual[i]);
      if (!(diff <= TOLERANCE * (1 + Math.abs(expected[i])))) {
        failures.add(what + ": element " + i + " expected " + expected[i] + ", received " + actual[i]);
        return;
      }
    }
  }

  /** Runs {@link OneDnnCrossCheck#main} in a JVM with oneDNN off, on this JVM's class path. */
  private static Map<String, OneDnnCrossCheck.Values> childWithoutOneDnn() throws IOException, InterruptedException {
    String java = ProcessHandle.current().info().command().orElse(
        Path.of(System.getProperty("java.home"), "bin", "java").toString());
    Path out = Files.createTempFile("onednn-cross-check", ".txt");
    try {
      ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
          OneDnnCrossCheck.class.getName());
      pb.environment().put("TF_ENABLE_ONEDNN_OPTS", "0");
      pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
      pb.redirectOutput(out.toFile());
      pb.redirectError(ProcessBuilder.Redirect.DISCARD);
      Process process = pb.start();
      assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the child JVM did not finish in 120 s");
      List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
      assertEquals(0, process.exitValue(), "exit code of the child JVM; its output:\n" + String.join("\n", lines));
      Map<String, OneDnnCrossCheck.Values> values = new LinkedHashMap<>();
      for (String line : lines) {
        if (line.startsWith(OneDnnCrossCheck.LINE)) {
          String[] parts = line.substring(OneDnnCrossCheck.LINE.length()).split("\t", -1);
          values.put(parts[0], new OneDnnCrossCheck.Values(OneDnnCrossCheck.parse(parts[1]),
              OneDnnCrossCheck.parse(parts[2])));
        }
      }
      return values;
    } finally {
      Files.deleteIfExists(out);
    }
  }
}
