package dev.tfkeras.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.SyntheticData;
import dev.tfkeras.layers.Dense;
import dev.tfkeras.models.Model;
import dev.tfkeras.models.Sequential;
import dev.tfkeras.models.TestModels;
import dev.tfkeras.testing.FreshRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.ndarray.Shape;

/**
 * EarlyStopping driven epoch by epoch with chosen monitored values (Keras 3 semantics: {@code
 * wait} counts non-improving epochs, training stops when {@code wait >= patience} after epoch 0;
 * min mode for losses, max for accuracies), and once in a real fit.
 */
@ExtendWith(FreshRuntime.class)
class EarlyStoppingTest {

  private static Sequential tinyModel() {
    var model = new Sequential(new Dense(2));
    model.buildFor(Shape.of(-1, 3));
    return model;
  }

  /**
   * Feeds {@code values} as {@code key} one epoch at a time, as fit would, and returns the epochs
   * after which a stop was requested (fit would stop at the first).
   */
  private static List<Integer> drive(EarlyStopping cb, Model model, String key, double... values) {
    TestModels.clearStopRequest(model);
    cb.setModel(model);
    cb.onTrainBegin();
    List<Integer> stops = new ArrayList<>();
    for (int epoch = 0; epoch < values.length; epoch++) {
      cb.onEpochEnd(epoch, Map.of(key, values[epoch], "loss", 9.0));
      if (model.isStopTrainingRequested()) {
        stops.add(epoch);
        break;
      }
    }
    cb.onTrainEnd(Map.of());
    return stops;
  }

  @Test
  void stopsWhenPatienceNonImprovingEpochsFollowTheBest() {
    try (var model = tinyModel()) {
      var cb = new EarlyStopping("val_loss", 2);
      // best 0.9 at epoch 1; epochs 2 and 3 do not beat it: wait 1, wait 2 -> stop after epoch 3
      assertEquals(List.of(3), drive(cb, model, "val_loss", 1.0, 0.9, 0.95, 0.92, 0.1, 0.05));
      assertEquals(3, cb.stoppedEpoch());
      assertEquals(1, cb.bestEpoch());
    }
  }

  @Test
  void anImprovementResetsTheWait() {
    try (var model = tinyModel()) {
      var cb = new EarlyStopping("val_loss", 2);
      assertEquals(List.of(), drive(cb, model, "val_loss", 1.0, 1.1, 0.8, 0.85, 0.7, 0.75));
      assertEquals(-1, cb.stoppedEpoch());
      assertEquals(4, cb.bestEpoch());
    }
  }

  @Test
  void patienceZeroStopsAtTheFirstEpochThatIsNotStrictlyBetter() {
    try (var model = tinyModel()) {
      var cb = new EarlyStopping("val_loss", 0);
      assertEquals(List.of(2), drive(cb, model, "val_loss", 1.0, 0.5, 0.5, 0.1));
    }
  }

  @Test
  void neverStopsAfterEpochZero() {
    try (var model = tinyModel()) {
      // A NaN first value is no improvement (wait 1 >= patience 0) but epoch 0 never stops.
      var cb = new EarlyStopping("val_loss", 0);
      assertEquals(List.of(2), drive(cb, model, "val_loss", Double.NaN, 0.5, 0.6));
      assertEquals(1, cb.bestEpoch());
    }
  }

  @Test
  void minDeltaIsTheSmallestChangeThatCounts() {
    try (var model = tinyModel()) {
      double[] slowlyImproving = {1.0, 0.95, 0.92, 0.91, 0.905};
      assertEquals(List.of(), drive(new EarlyStopping("val_loss", 2, 0.0, false), model, "val_loss", slowlyImproving));
      var withDelta = new EarlyStopping("val_loss", 2, 0.1, false);
      // 0.95 and 0.92 both fail "< 1.0 - 0.1": wait 2 after epoch 2
      assertEquals(List.of(2), drive(withDelta, model, "val_loss", slowlyImproving));
      assertEquals(0, withDelta.bestEpoch());
      var smallDelta = new EarlyStopping("val_loss", 2, 0.04, false);
      // 0.95 beats 1.0 - 0.04; 0.92 and 0.91 do not beat 0.95 - 0.04: stop after epoch 3
      assertEquals(List.of(3), drive(smallDelta, model, "val_loss", slowlyImproving));
      assertEquals(1, smallDelta.bestEpoch());
    }
  }

  @Test
  void accuracyIsMaximisedAndLossMinimised() {
    try (var model = tinyModel()) {
      double[] values = {0.5, 0.6, 0.55, 0.58, 0.7};
      var acc = new EarlyStopping("val_accuracy", 2);
      assertEquals(List.of(3), drive(acc, model, "val_accuracy", values));
      assertEquals(1, acc.bestEpoch());
      var trainAcc = new EarlyStopping("accuracy", 2);
      assertEquals(List.of(3), drive(trainAcc, model, "accuracy", values));
      var loss = new EarlyStopping("val_loss", 2);
      assertEquals(List.of(2), drive(loss, model, "val_loss", values));
      assertEquals(0, loss.bestEpoch());
    }
  }

  @Test
  void onTrainBeginStartsAfresh() {
    try (var model = tinyModel()) {
      var cb = new EarlyStopping("val_loss", 1);
      assertEquals(List.of(1), drive(cb, model, "val_loss", 0.1, 0.2));
      TestModels.compile(model);
      model.fit(threeFeatures(), 1, null, 0); // fit clears the model's stop request
      assertFalse(model.isStopTrainingRequested());
      // the best of the first run (0.1) is forgotten: 0.5 then 0.4 improve
      assertEquals(List.of(), drive(cb, model, "val_loss", 0.5, 0.4));
      assertEquals(-1, cb.stoppedEpoch());
    }
  }

  @Test
  void restoreBestWeightsPutsBackTheBestEpochsWeightsWhenStopping() {
    try (var model = tinyModel()) {
      var cb = new EarlyStopping("val_loss", 2, 0.0, true);
      cb.setModel(model);
      cb.onTrainBegin();
      double[] valLoss = {0.5, 0.3, 0.4, 0.45};
      List<List<float[]>> perEpoch = new ArrayList<>();
      for (int epoch = 0; epoch < valLoss.length; epoch++) {
        TestModels.fill(model, epoch + 1); // "training" changed the weights to epoch + 1
        perEpoch.add(TestModels.weights(model));
        cb.onEpochEnd(epoch, Map.of("val_loss", valLoss[epoch]));
        assertEquals(epoch == 3, model.isStopTrainingRequested(), "stop after epoch " + epoch);
      }
      cb.onTrainEnd(Map.of());
      assertTrue(TestModels.sameWeights(perEpoch.get(1), TestModels.weights(model)), "weights of epoch 1 (val_loss 0.3)");
      assertEquals(2f, TestModels.weights(model).get(0)[0]);
    }
  }

  @Test
  void restoreBestWeightsLeavesTheLastWeightsWhenTrainingRunsToTheEnd() {
    try (var model = tinyModel()) {
      var cb = new EarlyStopping("val_loss", 2, 0.0, true);
      cb.setModel(model);
      cb.onTrainBegin();
      double[] valLoss = {0.5, 0.3, 0.4};
      for (int epoch = 0; epoch < valLoss.length; epoch++) {
        TestModels.fill(model, epoch + 1);
        cb.onEpochEnd(epoch, Map.of("val_loss", valLoss[epoch]));
      }
      cb.onTrainEnd(Map.of());
      assertFalse(model.isStopTrainingRequested());
      assertEquals(3f, TestModels.weights(model).get(0)[0], "Keras restores only when it stops");
    }
  }

  @Test
  void aMissingMonitorSaysWhatTheLogsHold() {
    try (var model = tinyModel()) {
      var cb = new EarlyStopping("val_loss", 2);
      cb.setModel(model);
      cb.onTrainBegin();
      var e = assertThrows(IllegalStateException.class, () -> cb.onEpochEnd(0, new java.util.LinkedHashMap<>(
          Map.of("loss", 1.0))));
      assertEquals(
          "EarlyStopping monitors 'val_loss', which is not in the logs. Available: [loss]. Pass"
              + " validation data to fit for val_ values.",
          e.getMessage());
    }
  }

  @Test
  void invalidSettingsAreRejected() {
    assertEquals("patience must be >= 0, received: -1",
        assertThrows(IllegalArgumentException.class, () -> new EarlyStopping("val_loss", -1)).getMessage());
    assertEquals("minDelta must be >= 0, received: -0.1",
        assertThrows(IllegalArgumentException.class, () -> new EarlyStopping("val_loss", 1, -0.1, false)).getMessage());
    assertEquals("monitor must name a log value such as \"val_loss\", received: ",
        assertThrows(IllegalArgumentException.class, () -> new EarlyStopping("", 1)).getMessage());
  }

  @Test
  void inARealFitStopsAndRestoresTheBestEpoch() {
    try (var model = new TestModels.SmallCnn()) {
      TestModels.compile(model);
      // No epoch can improve the training loss by 10: epoch 0 is the best, epoch 1 stops.
      var cb = new EarlyStopping("loss", 0, 10.0, true);
      List<List<float[]>> atEpochEnd = new ArrayList<>();
      var snapshot = new Callback() {
        @Override
        public void onEpochEnd(int epoch, Map<String, Double> logs) {
          atEpochEnd.add(TestModels.weights(model()));
        }
      };
      History history = model.fit(SyntheticData8.batched(), 5, null, 0, snapshot, cb);
      assertEquals(List.of(0, 1), history.epochs());
      assertEquals(1, cb.stoppedEpoch());
      assertEquals(0, cb.bestEpoch());
      assertEquals(2, atEpochEnd.size());
      assertFalse(TestModels.sameWeights(atEpochEnd.get(0), atEpochEnd.get(1)), "epoch 1 trained");
      assertTrue(TestModels.sameWeights(atEpochEnd.get(0), TestModels.weights(model)), "restored epoch 0");
    }
  }

  /** Four examples of three features, two classes, in batches of 2: data for {@link #tinyModel}. */
  static dev.tfkeras.data.Dataset threeFeatures() {
    var x = org.tensorflow.ndarray.NdArrays.wrap(Shape.of(4, 3),
        org.tensorflow.ndarray.buffer.DataBuffers.of(new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 1}, true, false));
    var y = org.tensorflow.ndarray.NdArrays.wrap(Shape.of(4),
        org.tensorflow.ndarray.buffer.DataBuffers.of(new int[] {0, 1, 0, 1}, true, false));
    return dev.tfkeras.data.Dataset.fromTensorSlices(x, y).batch(2);
  }

  /** 128 synthetic 8x8 images in batches of 32. */
  static final class SyntheticData8 {
    static final SyntheticData DATA = new SyntheticData(128, 11);

    static dev.tfkeras.data.Dataset batched() {
      return DATA.dataset().batch(32);
    }
  }

  @Test
  void fluentSettersWithKerassNamesAndDefaults() {
    var defaults = new EarlyStopping();
    assertEquals("val_loss", defaults.monitor());
    assertEquals(0, defaults.patience());
    var model = tinyModel();
    // the positional form's behaviour, set fluently: best 0.5 at epoch 1, two non-improving epochs
    var cb = new EarlyStopping().monitor("val_loss").patience(2).minDelta(0.01);
    assertEquals(List.of(3), drive(cb, model, "val_loss", 1.0, 0.5, 0.495, 0.6, 0.4));
    // mode max on a loss key: a growing value improves
    var max = new EarlyStopping().monitor("val_loss").patience(1).mode("max");
    assertEquals(List.of(2), drive(max, model, "val_loss", 1.0, 2.0, 1.5));
    var e = assertThrows(IllegalArgumentException.class, () -> new EarlyStopping().patience(-1));
    assertEquals("patience must be >= 0, received: -1", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new EarlyStopping().mode("minimum"));
    assertTrue(e.getMessage().startsWith("mode must be one of \"auto\", \"min\" or \"max\""));
    assertThrows(IllegalArgumentException.class, () -> new EarlyStopping().monitor(" "));
    assertThrows(IllegalArgumentException.class, () -> new EarlyStopping().minDelta(-1));
  }
}
