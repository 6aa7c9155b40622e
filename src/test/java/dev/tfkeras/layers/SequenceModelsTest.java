package dev.tfkeras.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.models.Sequential;
import dev.tfkeras.runtime.GraphRuntime;
import dev.tfkeras.testing.FreshRuntime;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.Shape;

/** The sequence layers inside models: Keras's parameter counts in the summary, saved and restored weights. */
@ExtendWith(FreshRuntime.class)
class SequenceModelsTest {

  @TempDir Path tmp;

  private static Sequential textModel() {
    return new Sequential(
        new Embedding(1000, 64).maskZero(true),
        new Conv1D(32, 5, Activation.RELU).padding(Padding.CAUSAL),
        new Bidirectional(new LSTM(64).returnSequences(true)),
        new GRU(16).returnSequences(true),
        new GlobalAveragePooling1D(),
        new Dense(1));
  }

  @Test
  void summaryShowsKerasParameterCountsForATextModel() {
    try (Sequential model = textModel()) {
      model.buildFor(Shape.of(-1, 100)); // runs the model once on zero ids
      List<Long> counts = model.layers().stream().map(Layer::countParams).toList();
      assertEquals(
          List.of(
              1000L * 64, // embeddings
              5L * 64 * 32 + 32, // conv1d kernel (5, 64, 32) and bias
              2L * (4 * 64 * (32 + 64) + 4 * 64), // two LSTM(64) on 32 features
              3L * 16 * (128 + 16) + 2 * 3 * 16, // GRU(16) with its (2, 48) bias
              0L,
              16L + 1),
          counts);
      ByteArrayOutputStream text = new ByteArrayOutputStream();
      model.summary(new PrintStream(text, true, StandardCharsets.UTF_8));
      String summary = text.toString(StandardCharsets.UTF_8);
      assertTrue(summary.contains("bidirectional (Bidirectional)"), summary);
      assertTrue(summary.contains("(None, 100, 128)"), summary);
      assertTrue(summary.contains("49,664"), summary);
      assertTrue(summary.contains("7,008"), summary);
    }
  }

  @Test
  void weightsAreSavedAndRestoredByPath() throws Exception {
    int[][] ids = new int[4][100];
    Random random = new Random(1);
    for (int[] row : ids) {
      int length = 20 + random.nextInt(80);
      for (int t = 0; t < length; t++) {
        row[t] = 1 + random.nextInt(999);
      }
    }
    float[][] before;
    try (Sequential model = textModel()) {
      before = model.predict(ids);
      model.saveWeights(tmp);
    }
    GraphRuntime.reset();
    try (Sequential restored = textModel()) {
      restored.buildFor(Shape.of(-1, 100));
      restored.loadWeights(tmp);
      float[][] after = restored.predict(ids);
      for (int i = 0; i < ids.length; i++) {
        assertArrayEquals(before[i], after[i], "example " + i);
      }
      assertTrue(
          restored.variables().stream().anyMatch(v -> v.path().equals("bidirectional/backward_lstm/lstm_cell/recurrent_kernel")),
          "nested weight paths");
    }
  }
}
