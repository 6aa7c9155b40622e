package dev.tfkeras.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.SyntheticData;
import dev.tfkeras.data.Dataset;
import dev.tfkeras.losses.Loss;
import dev.tfkeras.losses.Reduction;
import dev.tfkeras.metrics.SparseCategoricalAccuracy;
import dev.tfkeras.models.Model;
import dev.tfkeras.models.StepData;
import dev.tfkeras.models.TestModels;
import dev.tfkeras.optimizers.Adam;
import dev.tfkeras.testing.FreshRuntime;
import dev.tfkeras.variables.Variable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TNumber;

/** Callbacks inside real fits on synthetic 8x8 images: order of hooks, logs, and their effects. */
@ExtendWith(FreshRuntime.class)
class FitCallbacksTest {

  static final SyntheticData TRAIN = new SyntheticData(100, 5); // batches of 32: 32, 32, 32, 4
  static final SyntheticData VALIDATION = new SyntheticData(64, 6);

  @TempDir Path tmp;

  /** Records every hook as text, and the logs it received. */
  static class Recorder extends Callback {
    final String tag;
    final List<String> events;
    final List<Map<String, Double>> epochLogs = new ArrayList<>();
    final Map<Integer, Map<String, Double>> lastBatchLogs = new LinkedHashMap<>();
    Map<String, Double> trainEndLogs;
    Model seen;

    Recorder(String tag, List<String> events) {
      this.tag = tag;
      this.events = events;
    }

    @Override
    public void onTrainBegin() {
      seen = model();
      events.add(tag + "trainBegin");
    }

    @Override
    public void onEpochBegin(int epoch) {
      events.add(tag + "epochBegin " + epoch);
    }

    @Override
    public void onTrainBatchBegin(int batch) {
      events.add(tag + "batchBegin " + batch);
    }

    @Override
    public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
      events.add(tag + "batchEnd " + batch + " " + logs.keySet());
      lastBatchLogs.put(batch, new LinkedHashMap<>(logs));
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
      events.add(tag + "epochEnd " + epoch + " " + logs.keySet());
      epochLogs.add(new LinkedHashMap<>(logs));
    }

    @Override
    public void onTrainEnd(Map<String, Double> logs) {
      events.add(tag + "trainEnd " + logs.keySet());
      trainEndLogs = new LinkedHashMap<>(logs);
    }
  }

  @Test
  void hooksRunInKerasOrderOncePerBatchAndEpoch() {
    try (var model = new TestModels.SmallCnn()) {
      TestModels.compile(model);
      List<String> events = new ArrayList<>();
      var a = new Recorder("", events);
      var b = new Recorder("b:", new ArrayList<>());
      Dataset train = TRAIN.dataset().batch(32);
      assertEquals(4, train.cardinality());
      History history = model.fit(train, 2, VALIDATION.dataset().batch(32), 0, a, b);

      List<String> expected = new ArrayList<>();
      expected.add("trainBegin");
      String trainKeys = "[loss, accuracy]";
      String epochKeys = "[loss, accuracy, val_loss, val_accuracy]";
      for (int epoch = 0; epoch < 2; epoch++) {
        expected.add("epochBegin " + epoch);
        for (int batch = 0; batch < 4; batch++) {
          expected.add("batchBegin " + batch);
          expected.add("batchEnd " + batch + " " + trainKeys);
        }
        expected.add("epochEnd " + epoch + " " + epochKeys);
      }
      expected.add("trainEnd " + epochKeys);
      assertEquals(expected, events);
      assertEquals(expected.size(), b.events.size(), "every callback sees every hook");
      assertSame(model, a.seen);

      // the last batch's running values are the epoch's training values; trainEnd gets the last epoch's logs
      for (String key : List.of("loss", "accuracy")) {
        assertEquals(a.lastBatchLogs.get(3).get(key), a.epochLogs.get(1).get(key), key);
      }
      assertEquals(a.epochLogs.get(1), a.trainEndLogs);
      // History holds the same numbers, per key and epoch
      assertEquals(List.of("loss", "accuracy", "val_loss", "val_accuracy"), List.copyOf(history.history().keySet()));
      assertEquals(List.of(0, 1), history.epochs());
      for (String key : history.history().keySet()) {
        assertEquals(List.of(a.epochLogs.get(0).get(key), a.epochLogs.get(1).get(key)), history.get(key), key);
      }
      // evaluate() on the validation data after training gives the last val_ values
      Map<String, Double> scores = model.evaluate(VALIDATION.dataset().batch(32));
      assertEquals(history.get("val_loss").get(1), scores.get("loss"), 1e-6);
      assertEquals(history.get("val_accuracy").get(1), scores.get("accuracy"), 1e-9);
    }
  }

  @Test
  void historyNamesTheKeysItHasForAnUnknownKey() {
    try (var model = new TestModels.SmallCnn()) {
      TestModels.compile(model);
      History history = model.fit(TRAIN.dataset().batch(50), 1, null, 0);
      assertEquals(List.of("loss", "accuracy"), List.copyOf(history.history().keySet()));
      assertEquals(1, history.get("loss").size());
      var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> history.get("val_loss"));
      assertEquals("No history for 'val_loss'. Recorded keys: [loss, accuracy].", e.getMessage());
    }
  }

  @Test
  void stopTrainingFromABatchCallbackStopsMidEpoch() {
    try (var model = new TestModels.SmallCnn()) {
      TestModels.compile(model);
      List<String> events = new ArrayList<>();
      var recorder = new Recorder("", events);
      var stopper = new Callback() {
        @Override
        public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
          if (batch == 1) {
            model().stopTraining();
          }
        }
      };
      History history = model.fit(TRAIN.dataset().batch(32), 3, null, 0, stopper, recorder);
      assertEquals(
          List.of("trainBegin", "epochBegin 0", "batchBegin 0", "batchEnd 0 [loss, accuracy]",
              "batchBegin 1", "batchEnd 1 [loss, accuracy]", "epochEnd 0 [loss, accuracy]",
              "trainEnd [loss, accuracy]"),
          events);
      assertEquals(List.of(0), history.epochs());
      assertEquals(2, model.optimizer().iterations(), "two steps ran");
      assertTrue(model.isStopTrainingRequested());

      // the next fit starts with the request cleared
      History again = model.fit(TRAIN.dataset().batch(32), 2, null, 0);
      assertEquals(List.of(0, 1), again.epochs());
      assertFalse(model.isStopTrainingRequested());
      assertEquals(2 + 2 * 4, model.optimizer().iterations());
    }
  }

  @Test
  void csvLoggerWritesTheHeaderAndOneRowPerEpochWithTheHistoryValues() throws IOException {
    Path csv = tmp.resolve("logs/training.csv");
    Files.createDirectories(csv.getParent());
    Files.writeString(csv, "left over from an earlier run\n");
    try (var model = new TestModels.SmallCnn()) {
      TestModels.compile(model);
      var logger = new CsvLogger(csv);
      History history = model.fit(TRAIN.dataset().batch(32), 3, VALIDATION.dataset().batch(32), 0, logger);
      List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
      assertEquals(4, lines.size(), String.join("\n", lines));
      assertEquals("epoch,loss,accuracy,val_loss,val_accuracy", lines.get(0));
      for (int epoch = 0; epoch < 3; epoch++) {
        String[] cells = lines.get(epoch + 1).split(",");
        assertEquals(5, cells.length, lines.get(epoch + 1));
        assertEquals(Integer.toString(epoch), cells[0]);
        List<String> keys = List.of("loss", "accuracy", "val_loss", "val_accuracy");
        for (int k = 0; k < keys.size(); k++) {
          assertEquals(history.get(keys.get(k)).get(epoch), Double.parseDouble(cells[k + 1]), 0.0,
              "row " + epoch + " " + keys.get(k) + " round-trips exactly");
        }
      }
      // a second fit replaces the file
      model.fit(TRAIN.dataset().batch(32), 1, null, 0, logger);
      lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
      assertEquals(2, lines.size());
      assertEquals("epoch,loss,accuracy", lines.get(0));
      assertTrue(lines.get(1).startsWith("0,"), lines.get(1));
    }
  }

  /** Counts how often fit traces the train step. */
  static class CountingCnn extends TestModels.SmallCnn {
    int trainStepTraces;

    @Override
    protected Map<String, Operand<?>> trainStep(StepData data) {
      trainStepTraces++;
      return super.trainStep(data);
    }
  }

  @SuppressWarnings("unchecked")
  private static float learningRateInGraph(Model model) {
    for (Variable<?> v : model.optimizer().variables()) {
      if (v.path().equals("adam/learning_rate")) {
        try (TFloat32 value = ((Variable<TFloat32>) v).value()) {
          return value.getFloat();
        }
      }
    }
    throw new AssertionError("no adam/learning_rate in " + model.optimizer().variables());
  }

  private static double maxChange(List<float[]> before, List<float[]> after) {
    double max = 0;
    for (int i = 0; i < before.size(); i++) {
      for (int j = 0; j < before.get(i).length; j++) {
        max = Math.max(max, Math.abs(after.get(i)[j] - before.get(i)[j]));
      }
    }
    return max;
  }

  @Test
  void learningRateSchedulerSetsTheRateUsedByEachEpochWithoutRetracing() {
    try (var model = new CountingCnn()) {
      TestModels.compile(model, new Adam(0.01f));
      float[] rates = {0.01f, 1e-30f, 0.004f};
      List<Integer> scheduledEpochs = new ArrayList<>();
      List<Float> currentRates = new ArrayList<>();
      var scheduler = new LearningRateScheduler((epoch, current) -> {
        scheduledEpochs.add(epoch);
        currentRates.add(current);
        return rates[epoch];
      });
      List<Float> inGraph = new ArrayList<>();
      List<List<float[]>> atEpochBegin = new ArrayList<>();
      List<List<float[]>> atEpochEnd = new ArrayList<>();
      var probe = new Callback() {
        @Override
        public void onEpochBegin(int epoch) {
          if (epoch > 0) {
            atEpochBegin.add(TestModels.weights(model()));
          }
        }

        @Override
        public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
          if (batch == 0) {
            inGraph.add(learningRateInGraph(model()));
          }
        }

        @Override
        public void onEpochEnd(int epoch, Map<String, Double> logs) {
          atEpochEnd.add(TestModels.weights(model()));
        }
      };
      model.fit(TRAIN.dataset().batch(32), 3, null, 0, scheduler, probe);

      assertEquals(List.of(0, 1, 2), scheduledEpochs);
      assertEquals(List.of(0.01f, 0.01f, 1e-30f), currentRates, "the schedule sees the current rate");
      assertEquals(List.of(0.01f, 1e-30f, 0.004f), inGraph, "the steps of each epoch read that epoch's rate");
      assertEquals(0.004f, model.optimizer().learningRate());
      assertEquals(1, model.trainStepTraces, "changing the rate does not retrace the step");
      // epoch 1 ran at 1e-30: Adam moved no weight by more than ~4 * 1e-30
      assertTrue(maxChange(atEpochBegin.get(0), atEpochEnd.get(1)) < 1e-25,
          "epoch 1 barely moved: " + maxChange(atEpochBegin.get(0), atEpochEnd.get(1)));
      assertTrue(maxChange(atEpochBegin.get(1), atEpochEnd.get(2)) > 1e-3, "epoch 2 trained at 0.004");
    }
  }

  /** Mean squared logits, plus NaN (0/0) for every sample labelled 3. */
  static final class NanForLabel3 extends Loss {
    NanForLabel3() {
      super(Reduction.SUM_OVER_BATCH_SIZE);
    }

    @Override
    protected Operand<TFloat32> perSample(Ops tf, Operand<? extends TNumber> labels, Operand<TFloat32> predictions) {
      Operand<TFloat32> squares = tf.math.mean(tf.math.square(predictions), tf.constant(1));
      Operand<TFloat32> poisoned =
          tf.dtypes.cast(tf.math.equal(tf.dtypes.cast(labels, TInt32.class), tf.constant(3)), TFloat32.class);
      Operand<TFloat32> zero = tf.zerosLike(poisoned);
      return tf.math.add(squares, tf.math.div(zero, tf.math.sub(tf.onesLike(poisoned), poisoned)));
    }
  }

  @Test
  void terminateOnNanStopsAtTheFirstBatchWhoseLossIsNan() {
    var data = new SyntheticData(128, 3);
    int[] labels = new int[128];
    labels[70] = 3; // in batch 2 (examples 64..95)
    Dataset poisoned = Dataset.fromTensorSlices(
        NdArrays.wrap(Shape.of(128, 8, 8, 1), DataBuffers.of(data.images, true, false)),
        NdArrays.wrap(Shape.of(128), DataBuffers.of(labels, true, false)));
    try (var model = new TestModels.SmallCnn()) {
      model.compile(new Adam(), new NanForLabel3(), new SparseCategoricalAccuracy("accuracy"));
      var terminate = new TerminateOnNaN();
      List<String> events = new ArrayList<>();
      var recorder = new Recorder("", events);
      History history = model.fit(poisoned.batch(32), 5, null, 0, terminate, recorder);

      assertTrue(terminate.terminated());
      assertEquals(List.of(0, 1, 2), recorder.lastBatchLogs.keySet().stream().toList(), "batches run");
      assertFalse(recorder.lastBatchLogs.get(1).get("loss").isNaN(), "batch 1 was finite");
      assertTrue(recorder.lastBatchLogs.get(2).get("loss").isNaN());
      assertEquals(List.of(0), history.epochs(), "fit returned after the epoch it stopped in");
      assertTrue(history.get("loss").get(0).isNaN());
      assertEquals("trainEnd [loss, accuracy]", events.get(events.size() - 1));
    }
  }

  @Test
  void terminateOnNanLetsFiniteTrainingRun() {
    try (var model = new TestModels.SmallCnn()) {
      TestModels.compile(model);
      var terminate = new TerminateOnNaN();
      History history = model.fit(TRAIN.dataset().batch(32), 2, null, 0, terminate);
      assertFalse(terminate.terminated());
      assertEquals(List.of(0, 1), history.epochs());
    }
  }
}
