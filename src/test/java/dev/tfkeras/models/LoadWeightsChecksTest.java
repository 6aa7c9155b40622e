package dev.tfkeras.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.SyntheticData;
import dev.tfkeras.optimizers.Adam;
import dev.tfkeras.optimizers.Optimizer;
import dev.tfkeras.optimizers.SGD;
import dev.tfkeras.testing.FreshRuntime;
import dev.tfkeras.testing.LogCapture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** What loadWeights reports rather than drops: damaged files, another optimizer's state. */
@ExtendWith(FreshRuntime.class)
class LoadWeightsChecksTest {

  static final SyntheticData TRAIN = new SyntheticData(96, 51); // 3 batches of 32

  @TempDir Path tmp;

  /** Trains one epoch (3 steps) with {@code optimizer} and saves; returns the saved weights. */
  private List<float[]> trainAndSave(Optimizer optimizer, Path dir) throws IOException {
    try (var model = new TestModels.SmallCnn()) {
      TestModels.compile(model, optimizer);
      model.fit(TRAIN.dataset().batch(32), 1, null, 0);
      assertEquals(3, model.optimizer().iterations());
      model.saveWeights(dir);
      return TestModels.weights(model);
    }
  }

  @Test
  void iterationsAreRightStraightAfterLoadingIntoACompiledModel() throws IOException {
    Path dir = tmp.resolve("ckpt");
    trainAndSave(new Adam(), dir);
    try (var model = new TestModels.SmallCnn()) {
      model.buildFor(TestModels.INPUT);
      TestModels.compile(model);
      assertEquals(0, model.optimizer().iterations());
      model.loadWeights(dir);
      assertEquals(3, model.optimizer().iterations(), "restored, before any step");
      model.fit(TRAIN.dataset().batch(32), 1, null, 0);
      assertEquals(6, model.optimizer().iterations(), "and counting on from there");
    }
  }

  @Test
  void iterationsAreRightWhenCompiledAfterLoading() throws IOException {
    Path dir = tmp.resolve("ckpt");
    trainAndSave(new Adam(), dir);
    try (var model = new TestModels.SmallCnn()) {
      model.buildFor(TestModels.INPUT);
      model.loadWeights(dir);
      TestModels.compile(model);
      assertEquals(3, model.optimizer().iterations());
    }
  }

  @Test
  void anotherOptimizersStateIsReportedAndTheWeightsStillLoad() throws IOException {
    Path dir = tmp.resolve("ckpt");
    List<float[]> saved = trainAndSave(new SGD(0.01f), dir);
    try (var model = new TestModels.SmallCnn();
        var log = new LogCapture(Optimizer.class)) {
      model.buildFor(TestModels.INPUT);
      TestModels.compile(model, new Adam());
      model.loadWeights(dir);
      assertEquals(
          List.of("Skipping the saved optimizer state: it was saved by optimizer 'sgd' (2 variables), this"
              + " optimizer is 'adam'. The weights are loaded; 'adam' starts from its initial state"
              + " (iterations 0). Compile with the optimizer that was saved to resume its state."),
          log.warnings());
      assertTrue(TestModels.sameWeights(saved, TestModels.weights(model)), "weights loaded");
      assertEquals(0, model.optimizer().iterations());
    }
  }

  @Test
  void aDamagedArchiveIsRejectedByNameAndNothingChanges() throws IOException {
    Path dir = tmp.resolve("ckpt");
    trainAndSave(new Adam(), dir);
    Path file = dir.resolve("weights.npz");
    byte[] good = Files.readAllBytes(file);
    try (var model = new TestModels.SmallCnn()) {
      model.buildFor(TestModels.INPUT);
      TestModels.compile(model);
      List<float[]> before = TestModels.weights(model);
      for (int i = 1; i < 8; i++) { // one bit at seven places through the entries' data
        byte[] bytes = good.clone();
        bytes[bytes.length * i / 10] ^= 0x10;
        Files.write(file, bytes);
        var e = assertThrows(IOException.class, () -> model.loadWeights(dir));
        assertTrue(e.getMessage().startsWith("Weights archive " + file + " is damaged: "), e.getMessage());
        assertTrue(e.getMessage().endsWith(
            ". Nothing was loaded; save the weights again, or restore the file from a copy."), e.getMessage());
        assertTrue(TestModels.sameWeights(before, TestModels.weights(model)), "no weight changed");
        assertEquals(0, model.optimizer().iterations());
      }
    }
  }

  @Test
  void loadingFromARegularFileSaysWhatIsExpected() throws IOException {
    Path file = Files.writeString(tmp.resolve("weights.npz"), "x");
    try (var model = new TestModels.SmallCnn()) {
      model.buildFor(TestModels.INPUT);
      var e = assertThrows(IOException.class, () -> model.loadWeights(file));
      assertEquals(
          "Cannot load weights from " + file + ": it is a regular file, expected the directory that"
              + " saveWeights or save wrote (holding weights.npz).",
          e.getMessage());
    }
  }
}
