package dev.tfkeras.optimizers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tfkeras.SyntheticData;
import dev.tfkeras.data.Dataset;
import dev.tfkeras.models.TestModels;
import dev.tfkeras.optimizers.schedules.ExponentialDecay;
import dev.tfkeras.runtime.GraphRuntime;
import dev.tfkeras.testing.FreshRuntime;
import dev.tfkeras.testing.Numeric;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The new optimizers' state (slots that start away from zero, Nadam's running product, a schedule's
 * position) is saved with the weights: training resumed in a new model with a new optimizer
 * continues exactly like training never interrupted.
 */
@ExtendWith(FreshRuntime.class)
class OptimizerStateSavingTest {

  static final SyntheticData TRAIN = new SyntheticData(96, 52); // 3 batches of 32, unshuffled

  @TempDir Path tmp;

  private static Dataset data() {
    return TRAIN.dataset().batch(32);
  }

  private void assertResumesExactly(String what, Supplier<Optimizer> create) throws IOException {
    GraphRuntime.setRandomSeed(11);
    List<Double> uninterrupted;
    try (var model = new TestModels.SmallCnn()) {
      TestModels.compile(model, create.get());
      uninterrupted = model.fit(data(), 2, null, 0).get("loss");
    }
    GraphRuntime.setRandomSeed(11);
    Path dir = tmp.resolve(what);
    try (var model = new TestModels.SmallCnn()) {
      TestModels.compile(model, create.get());
      model.fit(data(), 1, null, 0);
      model.saveWeights(dir);
    }
    try (var resumed = new TestModels.SmallCnn()) {
      Optimizer optimizer = create.get();
      TestModels.compile(resumed, optimizer);
      resumed.buildFor(TestModels.INPUT);
      resumed.loadWeights(dir);
      double second = resumed.fit(data(), 1, null, 0).get("loss").get(0);
      Numeric.assertClose(
          uninterrupted.get(1), second, 1e-5, 0, what + ": second epoch after resuming");
      assertEquals(6, optimizer.iterations(), what + ": step count continues");
    }
  }

  @Test
  void nadamsRunningProductIsRestored() throws IOException {
    assertResumesExactly("nadam", () -> new Nadam(0.01f));
  }

  @Test
  void ftrlAccumulatorsAreRestoredOverTheirInitialValue() throws IOException {
    assertResumesExactly("ftrl", () -> new Ftrl(0.05f));
  }

  @Test
  void aSchedulesPositionIsRestoredWithTheStepCount() throws IOException {
    assertResumesExactly("adamw-schedule", () -> new AdamW(new ExponentialDecay(0.01f, 1, 0.7f)));
  }
}
