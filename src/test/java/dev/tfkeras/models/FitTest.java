package dev.tfkeras.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.SyntheticData;
import dev.tfkeras.callbacks.History;
import dev.tfkeras.layers.Activation;
import dev.tfkeras.layers.Conv2D;
import dev.tfkeras.layers.Dense;
import dev.tfkeras.layers.Flatten;
import dev.tfkeras.losses.SparseCategoricalCrossentropy;
import dev.tfkeras.metrics.SparseCategoricalAccuracy;
import dev.tfkeras.optimizers.Adam;
import dev.tfkeras.testing.FreshRuntime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(FreshRuntime.class)
class FitTest {

  static final SyntheticData TRAIN = new SyntheticData(512, 1);
  static final SyntheticData TEST = new SyntheticData(128, 2);

  static Sequential smallCnn() {
    return new Sequential(
        new Conv2D(8, 3, Activation.RELU), new Flatten(), new Dense(16, Activation.RELU), new Dense(4));
  }

  static void compile(Model model) {
    model.compile(new Adam(), new SparseCategoricalCrossentropy(true), new SparseCategoricalAccuracy("accuracy"));
  }

  @Test
  void fitEvaluatePredictOnSyntheticImages() {
    try (var model = smallCnn()) {
      compile(model);
      History history =
          model.fit(TRAIN.dataset().shuffle(512, 3).batch(32), 3, TEST.dataset().batch(32), 0);
      assertEquals(List.of("loss", "accuracy", "val_loss", "val_accuracy"), List.copyOf(history.history().keySet()));
      assertEquals(List.of(0, 1, 2), history.epochs());
      List<Double> losses = history.get("loss");
      assertTrue(losses.get(2) < losses.get(0), "loss decreases: " + losses);
      assertTrue(history.get("val_accuracy").get(2) >= 0.95, history.toString());

      Map<String, Double> scores = model.evaluate(TEST.dataset().batch(50));
      assertEquals(List.of("loss", "accuracy"), List.copyOf(scores.keySet()));
      assertEquals(history.get("val_accuracy").get(2), scores.get("accuracy"), 1e-6, "partial batches count right");

      float[][] logits = model.predict(TEST.dataset().batch(40));
      assertEquals(TEST.count, logits.length);
      int correct = 0;
      for (int i = 0; i < logits.length; i++) {
        int best = 0;
        for (int k = 1; k < 4; k++) {
          best = logits[i][k] > logits[i][best] ? k : best;
        }
        correct += best == TEST.labels[i] ? 1 : 0;
      }
      assertEquals(scores.get("accuracy"), correct / (double) TEST.count, 1e-6, "predict keeps order");
    }
  }

  @Test
  void fitBeforeCompileSaysWhatToDo() {
    try (var model = smallCnn()) {
      var e = assertThrows(IllegalStateException.class, () -> model.fit(TRAIN.dataset().batch(32), 1));
      assertEquals(
          "You must call compile() before fit(): model.compile(optimizer, loss, metrics...), e.g."
              + " model.compile(new Adam(), new SparseCategoricalCrossentropy(true), new"
              + " SparseCategoricalAccuracy(\"accuracy\")).",
          e.getMessage());
    }
  }
}
