package dev.tfkeras.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.layers.Activation;
import dev.tfkeras.layers.Dense;
import dev.tfkeras.models.FitOptions;
import dev.tfkeras.models.Model;
import dev.tfkeras.models.Sequential;
import dev.tfkeras.testing.FreshRuntime;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.Graph;
import org.tensorflow.Session;

/** Thread settings (process-wide, before the first session) and XLA (per runtime, before it runs). */
@ExtendWith(FreshRuntime.class)
class SessionOptionsTest {

  @Test
  void threadCountsAreRefusedOnceTensorFlowRan() {
    try (Graph graph = new Graph(); Session session = GraphRuntime.openSession(graph)) {
      // a session exists in this process: TensorFlow's pools are fixed
    }
    var intra = assertThrows(IllegalStateException.class, () -> GraphRuntime.setIntraOpParallelismThreads(1));
    assertTrue(intra.getMessage().contains("intra-op thread count cannot be changed once TensorFlow has run"),
        intra.getMessage());
    assertThrows(IllegalStateException.class, () -> GraphRuntime.setInterOpParallelismThreads(1));
    GraphRuntime.setIntraOpParallelismThreads(0); // the current count: allowed, as in TensorFlow
    assertEquals(0, GraphRuntime.intraOpParallelismThreads());
    assertEquals(0, GraphRuntime.interOpParallelismThreads());
  }

  @Test
  void negativeThreadCountsAreRefused() {
    var error = assertThrows(IllegalArgumentException.class, () -> GraphRuntime.setInterOpParallelismThreads(-2));
    assertEquals("The inter-op thread count must be 0 (TensorFlow's choice) or positive, received -2.",
        error.getMessage());
  }

  private static Model model() {
    return new Sequential(new Dense(8, Activation.TANH), new Dense(1));
  }

  private static float[][] data(int rows, int columns, long seed) {
    Random random = new Random(seed);
    float[][] x = new float[rows][columns];
    for (float[] row : x) {
      for (int j = 0; j < columns; j++) {
        row[j] = (float) random.nextGaussian();
      }
    }
    return x;
  }

  /** Trains a seeded model; returns its predictions on x. */
  private static float[][] trainAndPredict(boolean jit, float[][] x, float[][] y) {
    GraphRuntime.setRandomSeed(3);
    try (Model model = model()) {
      model.compile("sgd", "mse");
      model.setJitCompile(jit);
      model.fit(x, y, new FitOptions().epochs(3).batchSize(16).shuffle(false).verbose(0));
      assertEquals(jit, model.jitCompile());
      assertEquals(jit, model.runtime().jitCompile());
      return model.predict(x);
    }
  }

  @Test
  void xlaCompiledTrainingComputesWhatTheGraphDoes() {
    float[][] x = data(64, 3, 1);
    float[][] y = new float[64][1];
    for (int i = 0; i < 64; i++) {
      y[i][0] = 0.5f * x[i][0] - x[i][1] + 0.25f * x[i][2];
    }
    float[][] plain = trainAndPredict(false, x, y);
    float[][] compiled = trainAndPredict(true, x, y);
    for (int i = 0; i < plain.length; i++) {
      assertArrayEquals(plain[i], compiled[i], 1e-4f, "row " + i);
    }
  }

  @Test
  void jitCompileIsOffByDefaultAndFixedOnceTheRuntimeRuns() {
    float[][] x = data(8, 3, 2);
    try (Model model = model()) {
      assertFalse(model.jitCompile()); // Keras's "auto": no XLA on CPU
      model.compile("sgd", "mse");
      model.predict(x);
      var error = assertThrows(IllegalStateException.class, () -> model.setJitCompile(true));
      assertTrue(error.getMessage().startsWith("jitCompile cannot be enabled for a runtime that already runs"),
          error.getMessage());
      model.setJitCompile(false); // the setting it runs with: accepted
      assertFalse(model.jitCompile());
    }
  }
}
