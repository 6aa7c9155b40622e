package dev.tfkeras.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.layers.Dense;
import dev.tfkeras.losses.MeanSquaredError;
import dev.tfkeras.models.FitOptions;
import dev.tfkeras.models.Sequential;
import dev.tfkeras.optimizers.SGD;
import dev.tfkeras.testing.FreshRuntime;
import dev.tfkeras.testing.LogCapture;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A loss that turns NaN is flagged once per fit, saying where and what to look at. */
@ExtendWith(FreshRuntime.class)
class NonFiniteLossWarningTest {

  /** 64 examples, a NaN in example 40: batch 1 (of 2) of the first epoch turns the loss NaN. */
  private static float[][] poisoned() {
    float[][] x = new float[64][2];
    for (int i = 0; i < 64; i++) {
      x[i][0] = i / 64f;
      x[i][1] = 1f;
    }
    x[40][1] = Float.NaN;
    return x;
  }

  @Test
  void historyWarnsOnceWithTheEpochAndWhatToLookAt() {
    try (var model = new Sequential(new Dense(1));
        var log = new LogCapture(History.class)) {
      model.compile(new SGD(0.01f), new MeanSquaredError());
      History history = model.fit(
          poisoned(), new float[64], new FitOptions().epochs(3).verbose(0).shuffle(false).checkFinite(false));
      assertTrue(history.get("loss").get(0).isNaN());
      assertEquals(
          List.of(
              "Epoch 1: the loss is NaN (it became non-finite in one of the epoch's 2 batches), so"
                  + " the weights are likely non-finite too. Look at the learning rate (too high"
                  + " diverges), the data (NaN or infinity in inputs or targets) and the loss (compute"
                  + " it from logits, e.g. new SparseCategoricalCrossentropy(true), rather than from"
                  + " a softmax output); add TerminateOnNaN to stop at the first such batch."),
          log.warnings());
    }
  }

  @Test
  void terminateOnNanPrintsKerasMessageAndStopsAtTheBatch() {
    try (var model = new Sequential(new Dense(1));
        var log = new LogCapture(TerminateOnNaN.class)) {
      model.compile(new SGD(0.01f), new MeanSquaredError());
      var terminate = new TerminateOnNaN();
      History history = model.fit(
          poisoned(), new float[64],
          new FitOptions().epochs(3).verbose(0).shuffle(false).checkFinite(false).callbacks(terminate));
      assertTrue(terminate.terminated());
      assertEquals(List.of(0), history.epochs());
      assertEquals(List.of("Batch 1: Invalid loss, terminating training"), log.warnings());
    }
  }
}
