package dev.tfkeras.callbacks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.SyntheticData;
import dev.tfkeras.io.Npy;
import dev.tfkeras.layers.Dense;
import dev.tfkeras.models.Model;
import dev.tfkeras.models.Sequential;
import dev.tfkeras.models.TestModels;
import dev.tfkeras.saving.WeightsArchive;
import dev.tfkeras.testing.FreshRuntime;
import dev.tfkeras.variables.Variable;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

@ExtendWith(FreshRuntime.class)
class ModelCheckpointTest {

  @TempDir Path tmp;

  /** The weights stored in {@code dir/weights.npz}, in the model's variable order. */
  static List<float[]> saved(Model model, Path dir) throws IOException {
    Map<String, Npy.Array> arrays = WeightsArchive.read(dir.resolve("weights.npz"));
    List<float[]> values = new ArrayList<>();
    for (Variable<TFloat32> v : model.variables()) {
      Npy.Array array = arrays.get(v.path());
      float[] data = new float[(int) v.size()];
      array.data().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
      values.add(data);
    }
    return values;
  }

  /** Sets the weights to {@code epoch + 1} and ends the epoch with {@code key: value}. */
  private static List<List<float[]>> drive(ModelCheckpoint cb, Model model, String key, double... values) {
    cb.setModel(model);
    cb.onTrainBegin();
    List<List<float[]>> perEpoch = new ArrayList<>();
    for (int epoch = 0; epoch < values.length; epoch++) {
      TestModels.fill(model, epoch + 1);
      perEpoch.add(TestModels.weights(model));
      cb.onEpochEnd(epoch, Map.of(key, values[epoch]));
    }
    cb.onTrainEnd(Map.of());
    return perEpoch;
  }

  private static Sequential tinyModel() {
    var model = new Sequential(new Dense(2));
    model.buildFor(Shape.of(-1, 3));
    return model;
  }

  @Test
  void saveBestOnlyKeepsTheBestEpochNotTheLast() throws IOException {
    try (var model = tinyModel()) {
      Path dir = tmp.resolve("best");
      var cb = new ModelCheckpoint(dir, "val_loss", true);
      assertNull(cb.best());
      var perEpoch = drive(cb, model, "val_loss", 0.5, 0.3, 0.4, 0.35);
      assertEquals(0.3, cb.best());
      assertTrue(TestModels.sameWeights(perEpoch.get(1), saved(model, dir)), "epoch 1's weights");
      assertFalse(TestModels.sameWeights(perEpoch.get(3), saved(model, dir)));
      assertArrayEquals(new float[] {2f, 2f}, saved(model, dir).get(1), "bias of epoch 1");
    }
  }

  @Test
  void saveBestOnlyMaximisesAccuracy() throws IOException {
    try (var model = tinyModel()) {
      Path dir = tmp.resolve("acc");
      var cb = new ModelCheckpoint(dir, "val_accuracy", true);
      var perEpoch = drive(cb, model, "val_accuracy", 0.5, 0.7, 0.6, 0.7);
      assertEquals(0.7, cb.best());
      assertTrue(TestModels.sameWeights(perEpoch.get(1), saved(model, dir)), "a tie does not replace the best");
    }
  }

  @Test
  void fluentSettersWithKerassNames() throws IOException {
    try (var model = tinyModel()) {
      Path dir = tmp.resolve("fluent");
      // saveBestOnlyMaximisesAccuracy, set fluently; mode "max" as "auto" decides for accuracy
      var cb = new ModelCheckpoint(dir).monitor("val_accuracy").mode("max").saveBestOnly(true);
      var perEpoch = drive(cb, model, "val_accuracy", 0.5, 0.7, 0.6, 0.7);
      assertEquals(0.7, cb.best());
      assertTrue(TestModels.sameWeights(perEpoch.get(1), saved(model, dir)));
    }
    assertThrows(IllegalArgumentException.class, () -> new ModelCheckpoint(tmp).mode("biggest"));
  }

  @Test
  void withoutSaveBestOnlyEveryEpochOverwritesTheCheckpoint() throws IOException {
    try (var model = tinyModel()) {
      Path dir = tmp.resolve("every");
      var cb = new ModelCheckpoint(dir);
      var perEpoch = drive(cb, model, "val_loss", 0.5, 0.3, 0.4);
      assertTrue(TestModels.sameWeights(perEpoch.get(2), saved(model, dir)), "the last epoch");
      try (var files = Files.list(dir)) {
        assertEquals(List.of("weights.npz"), files.map(p -> p.getFileName().toString()).toList());
      }
    }
  }

  @Test
  void inARealFitTheCheckpointHoldsTheEpochWithTheLowestValidationLoss() throws IOException {
    var train = new SyntheticData(96, 21);
    var validation = new SyntheticData(64, 22);
    try (var model = new TestModels.SmallCnn()) {
      TestModels.compile(model);
      Path dir = tmp.resolve("fit");
      List<List<float[]>> atEpochEnd = new ArrayList<>();
      var snapshot = new Callback() {
        @Override
        public void onEpochEnd(int epoch, Map<String, Double> logs) {
          atEpochEnd.add(TestModels.weights(model()));
        }
      };
      var cb = new ModelCheckpoint(dir, "val_loss", true);
      History history = model.fit(train.dataset().batch(32), 3, validation.dataset().batch(32), 0, snapshot, cb);
      List<Double> valLoss = history.get("val_loss");
      int best = valLoss.indexOf(valLoss.stream().min(Double::compare).orElseThrow());
      assertEquals(valLoss.get(best), cb.best());
      assertTrue(TestModels.sameWeights(atEpochEnd.get(best), saved(model, dir)), "epoch " + best + " of " + valLoss);
      Map<String, Npy.Array> arrays = WeightsArchive.read(dir.resolve("weights.npz"));
      assertEquals(1 + best, arrays.get("optimizer/adam/iterations").data().getLong() / 3,
          "optimizer state of that epoch (3 steps per epoch)");
    }
  }

  @Test
  void nonFiniteWeightsOrLossNeverReplaceAGoodCheckpoint() throws IOException {
    try (var model = tinyModel();
        var log = new dev.tfkeras.testing.LogCapture(ModelCheckpoint.class)) {
      Path dir = tmp.resolve("every");
      var cb = new ModelCheckpoint(dir);
      cb.setModel(model);
      cb.onTrainBegin();
      TestModels.fill(model, 1f);
      cb.onEpochEnd(0, Map.of("loss", 0.5));
      byte[] good = Files.readAllBytes(dir.resolve("weights.npz"));

      TestModels.fill(model, Float.NaN);
      cb.onEpochEnd(1, Map.of("loss", 0.4));
      TestModels.fill(model, 2f);
      cb.onEpochEnd(2, Map.of("loss", Double.NaN));
      TestModels.fill(model, Float.POSITIVE_INFINITY);
      cb.onEpochEnd(3, Map.of("loss", 0.3));

      assertArrayEquals(good, Files.readAllBytes(dir.resolve("weights.npz")), "epoch 1's checkpoint, byte for byte");
      assertEquals(
          List.of(
              "Epoch 2: not saving to " + dir + ": weight dense/kernel holds NaN. The previous checkpoint is kept.",
              "Epoch 3: not saving to " + dir + ": the loss is NaN. The previous checkpoint is kept.",
              "Epoch 4: not saving to " + dir + ": weight dense/kernel holds Infinity. The previous checkpoint is kept."),
          log.warnings());
    }
  }

  @Test
  void aFitThatDivergesKeepsTheLastGoodCheckpoint() throws IOException {
    var train = new SyntheticData(96, 23);
    try (var model = new TestModels.SmallCnn()) {
      TestModels.compile(model);
      Path dir = tmp.resolve("fit");
      List<byte[]> afterEpoch = new ArrayList<>();
      var bytes = new Callback() {
        @Override
        public void onEpochEnd(int epoch, Map<String, Double> logs) {
          try {
            afterEpoch.add(Files.readAllBytes(dir.resolve("weights.npz")));
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }
      };
      // epoch 1 trains normally; from epoch 2 a huge learning rate makes the loss non-finite
      var diverge = new LearningRateScheduler((epoch, rate) -> epoch == 0 ? 0.001f : 1e30f);
      var stop = new TerminateOnNaN();
      History history = model.fit(train.dataset().batch(32), 3, null, 0, diverge, new ModelCheckpoint(dir), bytes, stop);
      assertTrue(stop.terminated(), "training diverged: " + history.get("loss"));
      assertTrue(Double.isFinite(history.get("loss").get(0)));
      assertArrayEquals(afterEpoch.get(0), Files.readAllBytes(dir.resolve("weights.npz")), "epoch 1's checkpoint");
      Map<String, Npy.Array> arrays = WeightsArchive.read(dir.resolve("weights.npz"));
      assertEquals(3L, arrays.get("optimizer/adam/iterations").data().getLong(), "3 steps: epoch 1");
    }
  }
}
