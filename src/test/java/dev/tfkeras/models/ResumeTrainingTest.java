package dev.tfkeras.models;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tfkeras.SyntheticData;
import dev.tfkeras.data.Dataset;
import dev.tfkeras.optimizers.Adam;
import dev.tfkeras.runtime.GraphRuntime;
import dev.tfkeras.testing.FreshRuntime;
import dev.tfkeras.testing.Numeric;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training interrupted after an epoch, saved, and resumed in a new model with a new optimizer
 * continues exactly like training that was never interrupted: weights and Adam's state (step count,
 * learning rate, moments) come back.
 */
@ExtendWith(FreshRuntime.class)
class ResumeTrainingTest {

  static final SyntheticData TRAIN = new SyntheticData(160, 51); // 5 batches of 32, unshuffled
  static final int STEPS = 5;
  static final float RATE = 0.003f; // not Adam's default, to see it restored

  @TempDir Path tmp;

  private static Dataset data() {
    return TRAIN.dataset().batch(32);
  }

  @Test
  void resumingFromSavedWeightsAndOptimizerStateMatchesAnUninterruptedRun() throws IOException {
    GraphRuntime.setRandomSeed(20240601);
    List<Double> uninterrupted;
    try (var model = new TestModels.SmallCnn()) {
      TestModels.compile(model, new Adam(RATE));
      uninterrupted = model.fit(data(), 2, null, 0).get("loss");
    }

    GraphRuntime.setRandomSeed(20240601);
    Path dir = tmp.resolve("after-epoch-1");
    try (var model = new TestModels.SmallCnn()) {
      TestModels.compile(model, new Adam(RATE));
      double firstEpoch = model.fit(data(), 1, null, 0).get("loss").get(0);
      assertEquals(uninterrupted.get(0), firstEpoch, 1e-6, "same seed, same first epoch");
      model.saveWeights(dir);
    }

    // compile, then load: the state is restored into the compiled optimizer
    try (var resumed = new TestModels.SmallCnn()) {
      Adam adam = new Adam();
      TestModels.compile(resumed, adam);
      resumed.buildFor(TestModels.INPUT);
      resumed.loadWeights(dir);
      assertEquals(RATE, adam.learningRate(), "saved learning rate");
      double secondEpoch = resumed.fit(data(), 1, null, 0).get("loss").get(0);
      Numeric.assertClose(uninterrupted.get(1), secondEpoch, 1e-5, 0, "second epoch after resuming");
      assertEquals(2L * STEPS, adam.iterations(), "step count continues from the saved " + STEPS);
    }

    // load, then compile: the state waits for compile
    try (var resumed = new TestModels.SmallCnn()) {
      resumed.buildFor(TestModels.INPUT);
      resumed.loadWeights(dir);
      Adam adam = new Adam();
      TestModels.compile(resumed, adam);
      assertEquals(RATE, adam.learningRate(), "saved learning rate, at compile");
      double secondEpoch = resumed.fit(data(), 1, null, 0).get("loss").get(0);
      Numeric.assertClose(uninterrupted.get(1), secondEpoch, 1e-5, 0, "second epoch, state restored at compile");
      assertEquals(2L * STEPS, adam.iterations());
    }
  }

  @Test
  void withoutTheOptimizerStateTheSecondEpochDiffers() throws IOException {
    // The control for the test above: fresh Adam moments and step count change the second epoch.
    GraphRuntime.setRandomSeed(7);
    Path dir = tmp.resolve("ckpt");
    double resumedWithState;
    try (var model = new TestModels.SmallCnn()) {
      TestModels.compile(model);
      model.fit(data(), 1, null, 0);
      model.saveWeights(dir);
      resumedWithState = model.fit(data(), 1, null, 0).get("loss").get(0);
    }
    try (var model = new TestModels.SmallCnn()) {
      TestModels.compile(model);
      model.buildFor(TestModels.INPUT);
      // load the weights alone, through an archive without the optimizer entries
      var arrays = new java.util.LinkedHashMap<>(dev.tfkeras.saving.WeightsArchive.read(dir.resolve("weights.npz")));
      arrays.keySet().removeIf(k -> k.startsWith("optimizer/"));
      Path weightsOnly = tmp.resolve("weights-only");
      dev.tfkeras.saving.WeightsArchive.write(weightsOnly.resolve("weights.npz"), arrays);
      model.loadWeights(weightsOnly);
      double freshOptimizer = model.fit(data(), 1, null, 0).get("loss").get(0);
      assertEquals(STEPS, model.optimizer().iterations());
      org.junit.jupiter.api.Assertions.assertTrue(
          Math.abs(freshOptimizer - resumedWithState) > 1e-4 * Math.abs(resumedWithState),
          "fresh optimizer " + freshOptimizer + " vs resumed " + resumedWithState);
    }
  }
}
