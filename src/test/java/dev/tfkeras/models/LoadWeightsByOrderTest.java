package dev.tfkeras.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.layers.Activation;
import dev.tfkeras.layers.Dense;
import dev.tfkeras.layers.Input;
import dev.tfkeras.layers.KerasTensor;
import dev.tfkeras.losses.SparseCategoricalCrossentropy;
import dev.tfkeras.optimizers.Adam;
import dev.tfkeras.testing.FreshRuntime;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same functional code run twice in one process (a notebook cell run again) names the second
 * model's layers {@code dense_2}...; its weights file still loads, matched by structure and order.
 */
@ExtendWith(FreshRuntime.class)
class LoadWeightsByOrderTest {

  @TempDir Path tmp;

  private static Functional cell(int hidden) {
    KerasTensor inputs = Input.of(4);
    KerasTensor x = new Dense(hidden, Activation.RELU).apply(inputs);
    return Model.of(inputs, new Dense(3).apply(x));
  }

  private static float[][] x() {
    Random random = new Random(3);
    float[][] x = new float[64][4];
    for (float[] row : x) {
      for (int j = 0; j < 4; j++) {
        row[j] = (float) random.nextGaussian();
      }
    }
    return x;
  }

  private static int[] y(float[][] x) {
    int[] y = new int[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = x[i][0] > 0 ? (x[i][1] > 0 ? 2 : 1) : 0;
    }
    return y;
  }

  private static void compile(Model model) {
    model.compile(new Adam(0.01f), new SparseCategoricalCrossentropy(true));
  }

  @Test
  void aSecondInstanceLoadsTheFirstsWeightsAndOptimizerState() throws IOException {
    float[][] x = x();
    int[] y = y(x);
    Path dir = tmp.resolve("ckpt");
    try (Functional first = cell(8); Functional second = cell(8)) {
      List<String> firstPaths = first.variables().stream().map(v -> v.path()).toList();
      List<String> secondPaths = second.variables().stream().map(v -> v.path()).toList();
      assertNotEquals(firstPaths, secondPaths, "the second instance's layers are suffixed");
      compile(first);
      first.fit(x, y, new FitOptions().epochs(2).verbose(0).shuffle(false));
      first.saveWeights(dir);

      compile(second);
      second.loadWeights(dir);
      float[][] expected = first.predict(x);
      float[][] actual = second.predict(x);
      for (int i = 0; i < x.length; i++) {
        assertArrayEquals(expected[i], actual[i], 0f, "prediction " + i);
      }
      assertEquals(first.optimizer().iterations(), second.optimizer().iterations());
      assertEquals(4, second.optimizer().iterations());

      // Adam's moments came along too: one more identical epoch leaves identical weights
      first.fit(x, y, new FitOptions().verbose(0).shuffle(false));
      second.fit(x, y, new FitOptions().verbose(0).shuffle(false));
      List<float[]> a = TestModels.weights(first);
      List<float[]> b = TestModels.weights(second);
      for (int i = 0; i < a.size(); i++) {
        assertArrayEquals(a.get(i), b.get(i), 0f, "weight " + i + " after training on");
      }
    }
  }

  @Test
  void anotherArchitectureIsStillRefusedWithTheMismatchList() throws IOException {
    Path dir = tmp.resolve("ckpt");
    try (Functional first = cell(8); Functional other = cell(5)) {
      first.saveWeights(dir);
      var e = assertThrows(IllegalArgumentException.class, () -> other.loadWeights(dir));
      assertTrue(e.getMessage().contains("mismatch(es), nothing was loaded"), e.getMessage());
      assertTrue(e.getMessage().contains(": in the file but not in the model"), e.getMessage());
    }
  }
}
