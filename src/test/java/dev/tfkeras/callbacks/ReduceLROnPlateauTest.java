package dev.tfkeras.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tfkeras.layers.Dense;
import dev.tfkeras.models.FitOptions;
import dev.tfkeras.models.Model;
import dev.tfkeras.models.Sequential;
import dev.tfkeras.models.TestModels;
import dev.tfkeras.optimizers.SGD;
import dev.tfkeras.optimizers.schedules.ExponentialDecay;
import dev.tfkeras.testing.FreshRuntime;
import dev.tfkeras.variables.Variable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * ReduceLROnPlateau driven epoch by epoch with chosen monitored values (Keras 3 semantics: {@code
 * wait} counts epochs that do not beat the best by more than minDelta; at {@code patience} the rate
 * is multiplied by factor, not below minLr, and the wait restarts after {@code cooldown} epochs),
 * and once in a real fit.
 */
@ExtendWith(FreshRuntime.class)
class ReduceLROnPlateauTest {

  private static Sequential tinyModel(float learningRate) {
    var model = new Sequential(new Dense(2));
    model.buildFor(Shape.of(-1, 3));
    TestModels.compile(model, new SGD(learningRate));
    return model;
  }

  /**
   * Feeds {@code values} as {@code key} one epoch at a time, as fit would, and returns the learning
   * rate after each epoch.
   */
  private static List<Float> drive(
      ReduceLROnPlateau cb, Model model, String key, double... values) {
    cb.setModel(model);
    cb.onTrainBegin();
    List<Float> rates = new ArrayList<>();
    for (int epoch = 0; epoch < values.length; epoch++) {
      Map<String, Double> logs = new LinkedHashMap<>();
      logs.put("loss", 9.0);
      logs.put(key, values[epoch]);
      cb.onEpochEnd(epoch, logs);
      rates.add(model.optimizer().learningRate());
    }
    return rates;
  }

  @Test
  void kerasDefaultsReduceTenfoldAfterTenEpochsWithoutImprovement() {
    try (var model = tinyModel(1f)) {
      double[] flat = new double[12];
      java.util.Arrays.fill(flat, 1.0);
      List<Float> rates = drive(new ReduceLROnPlateau(), model, "val_loss", flat);
      // epoch 0 sets the best; epochs 1..10 wait 1..10: reduced at epoch 10, then wait starts over
      assertEquals(List.of(1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 0.1f, 0.1f), rates);
    }
  }

  @Test
  void anImprovementResetsTheWait() {
    try (var model = tinyModel(1f)) {
      var cb = new ReduceLROnPlateau("val_loss", 0.5, 2);
      // best 0.9 at epoch 1; epochs 2, 3 wait -> halved; 0.91 does not beat 0.9; 0.8 does;
      // epochs 6, 7 wait -> halved again
      assertEquals(
          List.of(1f, 1f, 1f, 0.5f, 0.5f, 0.5f, 0.5f, 0.25f),
          drive(cb, model, "val_loss", 1.0, 0.9, 0.95, 0.92, 0.91, 0.8, 0.85, 0.86));
    }
  }

  @Test
  void minDeltaIsTheSmallestChangeThatCounts() {
    try (var model = tinyModel(1f)) {
      var cb = new ReduceLROnPlateau("val_loss", 0.5, 1).minDelta(0.1);
      // 0.95 does not beat 1.0 - 0.1: halved; 0.85 does; 0.84 does not beat 0.85 - 0.1: halved
      assertEquals(
          List.of(1f, 0.5f, 0.5f, 0.25f), drive(cb, model, "val_loss", 1.0, 0.95, 0.85, 0.84));
    }
  }

  @Test
  void cooldownPausesTheCountAfterAReduction() {
    try (var model = tinyModel(1f)) {
      var cb = new ReduceLROnPlateau("val_loss", 0.5, 1).cooldown(2);
      // reduced at epoch 1; epochs 2 and 3 count the cooldown down (epoch 3 ends it and waits
      // again at once, as Keras): reduced at 3, then at 5
      assertEquals(
          List.of(1f, 0.5f, 0.5f, 0.25f, 0.25f, 0.125f, 0.125f),
          drive(cb, model, "val_loss", 1, 1, 1, 1, 1, 1, 1));
    }
  }

  @Test
  void theRateNeverGoesBelowMinLr() {
    try (var model = tinyModel(1f)) {
      var cb = new ReduceLROnPlateau("val_loss", 0.1, 0).minLr(0.05);
      // patience 0: every epoch that does not improve reduces, down to minLr and no further
      assertEquals(List.of(1f, 0.1f, 0.05f, 0.05f), drive(cb, model, "val_loss", 1, 1, 1, 1));
    }
  }

  @Test
  void modeDecidesTheDirection() {
    double[] rising = {0.5, 0.6, 0.7, 0.8};
    try (var model = tinyModel(1f)) {
      // auto: an accuracy should grow, so a rising one is never a plateau
      assertEquals(
          List.of(1f, 1f, 1f, 1f),
          drive(new ReduceLROnPlateau("val_accuracy", 0.5, 1), model, "val_accuracy", rising));
      // min: the same values never improve
      assertEquals(
          List.of(1f, 0.5f, 0.25f, 0.125f),
          drive(
              new ReduceLROnPlateau("val_accuracy", 0.5, 1).mode("min"),
              model,
              "val_accuracy",
              rising));
    }
    try (var model = tinyModel(1f)) {
      // max on a loss: rising values improve
      assertEquals(
          List.of(1f, 1f, 1f, 1f),
          drive(new ReduceLROnPlateau("val_loss", 0.5, 1).mode("max"), model, "val_loss", rising));
    }
  }

  @Test
  void logsGainTheEpochsLearningRate() {
    try (var model = tinyModel(0.8f)) {
      var cb = new ReduceLROnPlateau("val_loss", 0.5, 0);
      cb.setModel(model);
      cb.onTrainBegin();
      Map<String, Double> first = new LinkedHashMap<>(Map.of("val_loss", 1.0));
      cb.onEpochEnd(0, first);
      Map<String, Double> second = new LinkedHashMap<>(Map.of("val_loss", 1.0));
      cb.onEpochEnd(1, second);
      assertEquals((double) 0.8f, first.get("learning_rate"));
      assertEquals((double) 0.8f, second.get("learning_rate"), "the rate the epoch trained with");
      assertEquals(0.4f, model.optimizer().learningRate(), "reduced for the next epoch");
    }
  }

  @Test
  void aMissingMonitorLeavesTheRateAlone() {
    try (var model = tinyModel(1f)) {
      var cb = new ReduceLROnPlateau("val_loss", 0.5, 0);
      assertEquals(List.of(1f, 1f, 1f), drive(cb, model, "loss_only", 1, 1, 1));
    }
  }

  @Test
  void onTrainBeginStartsAfresh() {
    try (var model = tinyModel(1f)) {
      var cb = new ReduceLROnPlateau("val_loss", 0.5, 1);
      assertEquals(List.of(1f, 1f), drive(cb, model, "val_loss", 0.1, 0.05));
      // the best of the first run (0.05) is forgotten: 0.5 then 0.4 improve
      assertEquals(List.of(1f, 1f), drive(cb, model, "val_loss", 0.5, 0.4));
    }
  }

  @Test
  void aScheduledRateCannotBeReducedAsKerasRefuses() {
    try (var model = new Sequential(new Dense(2))) {
      model.buildFor(Shape.of(-1, 3));
      TestModels.compile(model, new SGD(new ExponentialDecay(0.1f, 10, 0.9f)));
      var e =
          assertThrows(
              IllegalStateException.class,
              () -> drive(new ReduceLROnPlateau("val_loss", 0.5, 0), model, "val_loss", 1, 1));
      assertEquals(
          true, e.getMessage().contains("hence its learning rate is not settable"), e.getMessage());
    }
  }

  @Test
  void argumentErrors() {
    var e =
        assertThrows(
            IllegalArgumentException.class, () -> new ReduceLROnPlateau("val_loss", 1.0, 2));
    assertEquals(
        "ReduceLROnPlateau does not support a factor >= 1.0. Received factor=1.0", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new ReduceLROnPlateau("val_loss", 0, 2));
    assertEquals(
        "ReduceLROnPlateau needs a factor in (0, 1), the multiplier of the learning rate. Received"
            + " factor=0.0",
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new ReduceLROnPlateau().mode("minimum"));
    assertEquals(
        "mode must be one of \"auto\", \"min\" or \"max\", received: minimum. Use \"max\" for values"
            + " that should grow, \"min\" for those that should shrink.",
        e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> new ReduceLROnPlateau("val_loss", 0.5, -1));
    assertEquals("patience must be >= 0, received: -1", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new ReduceLROnPlateau().cooldown(-1));
    assertEquals("cooldown must be >= 0, received: -1", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new ReduceLROnPlateau().minLr(-0.1));
    assertEquals("minLr must be a finite number >= 0, received: -0.1", e.getMessage());
  }

  @SuppressWarnings("unchecked")
  private static float learningRateInGraph(Model model) {
    for (Variable<?> v : model.optimizer().variables()) {
      if (v.path().equals("sgd/learning_rate")) {
        try (TFloat32 value = ((Variable<TFloat32>) v).value()) {
          return value.getFloat();
        }
      }
    }
    throw new AssertionError("no sgd/learning_rate in " + model.optimizer().variables());
  }

  @Test
  void inARealFitTheReducedRateIsUsedByTheNextEpochWithoutRetracing() {
    try (var model = new FitCallbacksTest.CountingCnn()) {
      TestModels.compile(model, new SGD(0.08f));
      // a minDelta no loss can beat: every epoch after the first is a plateau, patience 1
      var reduce = new ReduceLROnPlateau("val_loss", 0.5, 1).minDelta(1e9);
      List<Float> inGraph = new ArrayList<>();
      var probe =
          new Callback() {
            @Override
            public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
              if (batch == 0) {
                inGraph.add(learningRateInGraph(model()));
              }
            }
          };
      History history =
          model.fit(
              FitCallbacksTest.TRAIN.dataset().batch(32),
              new FitOptions()
                  .epochs(4)
                  .verbose(0)
                  .validationData(FitCallbacksTest.VALIDATION.dataset().batch(32))
                  .callbacks(reduce, probe));
      assertEquals(
          List.of(0.08f, 0.08f, 0.04f, 0.02f), inGraph, "each epoch's steps read its rate");
      List<Double> logged = history.get("learning_rate");
      assertEquals(List.of((double) 0.08f, (double) 0.08f, (double) 0.04f, (double) 0.02f), logged);
      assertEquals(0.01f, model.optimizer().learningRate(), "reduced after the last epoch too");
      assertEquals(1, model.trainStepTraces, "changing the rate does not retrace the step");
    }
  }

  @Test
  void fluentSettersWithKerassNames() {
    try (var model = tinyModel(1f)) {
      var cb = new ReduceLROnPlateau().monitor("val_loss").factor(0.5).patience(2);
      // as anImprovementResetsTheWait's positional ReduceLROnPlateau("val_loss", 0.5, 2)
      assertEquals(
          List.of(1f, 1f, 1f, 0.5f),
          drive(cb, model, "val_loss", 1.0, 0.9, 0.95, 0.92));
    }
    var e = assertThrows(IllegalArgumentException.class, () -> new ReduceLROnPlateau().factor(1.0));
    assertEquals("ReduceLROnPlateau does not support a factor >= 1.0. Received factor=1.0", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new ReduceLROnPlateau().patience(-1));
    assertEquals("patience must be >= 0, received: -1", e.getMessage());
  }
}
