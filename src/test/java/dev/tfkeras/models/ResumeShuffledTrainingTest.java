package dev.tfkeras.models;

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
 * A shuffled fit resumed with {@code initialEpoch} in a fresh model and a fresh dataset object (as
 * in a new process) sees the epochs an uninterrupted run sees, so it ends with the same losses.
 */
@ExtendWith(FreshRuntime.class)
class ResumeShuffledTrainingTest {

  static final SyntheticData TRAIN = new SyntheticData(160, 52);

  @TempDir Path tmp;

  /** A new dataset object each time, as a new process would build. */
  private static Dataset shuffled() {
    return TRAIN.dataset().shuffle(160, 99).batch(32);
  }

  @Test
  void resumingAtEpochOneReplaysTheUninterruptedShuffleOrder() throws IOException {
    GraphRuntime.setRandomSeed(5);
    List<Double> uninterrupted;
    try (var model = new TestModels.SmallCnn()) {
      TestModels.compile(model, new Adam(0.003f));
      uninterrupted = model.fit(shuffled(), new FitOptions().epochs(3).verbose(0)).get("loss");
    }

    GraphRuntime.setRandomSeed(5);
    Path dir = tmp.resolve("epoch-1");
    try (var model = new TestModels.SmallCnn()) {
      TestModels.compile(model, new Adam(0.003f));
      model.fit(shuffled(), new FitOptions().epochs(1).verbose(0));
      model.saveWeights(dir);
    }

    try (var resumed = new TestModels.SmallCnn()) {
      TestModels.compile(resumed, new Adam());
      resumed.buildFor(TestModels.INPUT);
      resumed.loadWeights(dir);
      List<Double> rest = resumed.fit(shuffled(), new FitOptions().epochs(3).initialEpoch(1).verbose(0)).get("loss");
      Numeric.assertClose(uninterrupted.get(1), rest.get(0), 1e-5, 0, "epoch 2 after resuming");
      Numeric.assertClose(uninterrupted.get(2), rest.get(1), 1e-5, 0, "epoch 3 after resuming");
    }
  }
}
