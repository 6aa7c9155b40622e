package dev.tfkeras.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.autodiff.GradientTape;
import dev.tfkeras.callbacks.Callback;
import dev.tfkeras.callbacks.History;
import dev.tfkeras.function.TfFunction;
import dev.tfkeras.layers.Dense;
import dev.tfkeras.metrics.Mean;
import dev.tfkeras.metrics.MeanAbsoluteError;
import dev.tfkeras.metrics.Metric;
import dev.tfkeras.optimizers.Adam;
import dev.tfkeras.runtime.GraphRuntime;
import dev.tfkeras.testing.FreshRuntime;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.types.TFloat32;

/**
 * Keras's guide "Customizing what happens in fit()", first example ported: a model whose {@code
 * trainStep} computes its own loss and updates its own {@code Mean} loss tracker and {@code
 * MeanAbsoluteError}, listed in {@code metrics()}, compiled with an optimizer only. {@code fit}
 * shows the step's logs, resets the trackers each epoch, and runs each step in one session call.
 */
@ExtendWith(FreshRuntime.class)
class CustomTrainStepTest {

  static final int N = 64;
  static final int BATCH = 16;
  static final int FEATURES = 3;

  /** The guide's CustomModel, with one Dense unit as its body. */
  static class CustomModel extends Model {
    final Dense dense = new Dense(1);
    final Mean lossTracker = new Mean("loss");
    final MeanAbsoluteError maeMetric = new MeanAbsoluteError("mae");

    @Override
    protected Operand<TFloat32> call(Operand<TFloat32> x, boolean training) {
      return dense.apply(x);
    }

    @Override
    protected Map<String, Operand<?>> trainStep(StepData data) {
      var tf = TfFunction.ops();
      var y = tf.dtypes.cast(data.y(), TFloat32.class);
      var tape = new GradientTape();
      Operand<TFloat32> yPred;
      Operand<TFloat32> loss;
      try (tape) {
        yPred = apply(data.x(), true);
        // keras.losses.mean_squared_error: the mean over the last axis, one value per example
        loss = tf.math.mean(tf.math.squaredDifference(y, yPred), tf.constant(-1));
      }
      var gradients = tape.gradient(loss, trainableVariables());
      optimizer().applyGradients(gradients, trainableVariables());
      lossTracker.update(loss);
      maeMetric.update(y, yPred);
      Map<String, Operand<?>> logs = new LinkedHashMap<>();
      logs.put("loss", lossTracker.resultOperand());
      logs.put("mae", maeMetric.resultOperand());
      return logs;
    }

    @Override
    public List<Metric> metrics() {
      return List.of(lossTracker, maeMetric);
    }
  }

  static float[][] features() {
    Random random = new Random(3);
    float[][] x = new float[N][FEATURES];
    for (float[] row : x) {
      for (int j = 0; j < FEATURES; j++) {
        row[j] = (float) random.nextGaussian();
      }
    }
    return x;
  }

  static float[][] targets(float[][] x) {
    float[][] y = new float[N][1];
    for (int i = 0; i < N; i++) {
      y[i][0] = 2 * x[i][0] - x[i][1] + 0.5f * x[i][2] + 1;
    }
    return y;
  }

  /** Records, before each step, the prediction of every example of the step's batch by hand. */
  static final class HandComputed extends Callback {
    final float[][] x;
    final float[][] y;
    final List<double[]> epochs = new ArrayList<>(); // per epoch: sum of squared, sum of absolute errors
    final List<Long> sessionRunsPerStep = new ArrayList<>();
    final List<Map<String, Double>> batchLogs = new ArrayList<>();
    private long runsAtBegin;
    private double[] sums;

    HandComputed(float[][] x, float[][] y) {
      this.x = x;
      this.y = y;
    }

    @Override
    public void onEpochBegin(int epoch) {
      sums = new double[2];
      epochs.add(sums);
    }

    @Override
    public void onTrainBatchBegin(int batch) {
      Model model = model();
      if (model.isBuilt()) {
        List<FloatNdArray> weights = model.getWeights(); // kernel (3, 1), bias (1)
        for (int i = batch * BATCH; i < (batch + 1) * BATCH; i++) {
          double prediction = weights.get(1).getFloat(0);
          for (int j = 0; j < FEATURES; j++) {
            prediction += x[i][j] * (double) weights.get(0).getFloat(j, 0);
          }
          double error = prediction - y[i][0];
          sums[0] += error * error;
          sums[1] += Math.abs(error);
        }
      } else {
        sums[0] = Double.NaN; // the first step builds the model: its weights are unknown here
      }
      runsAtBegin = GraphRuntime.current().sessionRuns();
    }

    @Override
    public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
      sessionRunsPerStep.add(GraphRuntime.current().sessionRuns() - runsAtBegin);
      batchLogs.add(logs);
    }
  }

  @Test
  void fitShowsTheStepsOwnLogsResetEachEpochInOneSessionCallPerStep() {
    float[][] x = features();
    float[][] y = targets(x);
    PrintStream stdout = System.out;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    HandComputed hand = new HandComputed(x, y);
    History history;
    try (var model = new CustomModel()) {
      model.compile(new Adam(0.05f));
      System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
      try {
        history =
            model.fit(x, y, new FitOptions().epochs(3).batchSize(BATCH).shuffle(false).verbose(2).callbacks(hand));
      } finally {
        System.setOut(stdout);
      }
    }

    assertEquals(List.of("loss", "mae"), List.copyOf(history.history().keySet()), "the step's logs, in order");
    String bar = printed.toString(StandardCharsets.UTF_8);
    assertTrue(bar.contains("loss: ") && bar.contains("mae: "), bar);
    assertFalse(bar.contains("0.0000e+00"), "no loss that nothing computed: " + bar);

    // Epochs 2 and 3 know the weights before every step: their logs are the epoch's means by hand,
    // which they are only if the trackers were reset when the epoch began.
    for (int epoch = 1; epoch < 3; epoch++) {
      double loss = hand.epochs.get(epoch)[0] / N;
      double mae = hand.epochs.get(epoch)[1] / N;
      assertEquals(loss, history.history().get("loss").get(epoch), 1e-5 * Math.max(1, loss), "loss, epoch " + (epoch + 1));
      assertEquals(mae, history.history().get("mae").get(epoch), 1e-5 * Math.max(1, mae), "mae, epoch " + (epoch + 1));
    }
    assertTrue(history.history().get("loss").get(2) < history.history().get("loss").get(0), "it trains");

    // batch logs are the running means of the epoch so far; the last is the epoch's
    int steps = N / BATCH;
    for (int epoch = 0; epoch < 3; epoch++) {
      Map<String, Double> last = hand.batchLogs.get(epoch * steps + steps - 1);
      assertEquals(history.history().get("loss").get(epoch), last.get("loss"));
    }

    // one Session.run per training step, the logs included
    assertEquals(3 * steps, hand.sessionRunsPerStep.size());
    for (int i = 0; i < hand.sessionRunsPerStep.size(); i++) {
      assertEquals(1L, hand.sessionRunsPerStep.get(i), "session runs in step " + i);
    }
  }

  /** A step on inputs alone, as an autoencoder's: the data has no targets. */
  static class Reconstruction extends Model {
    final Dense dense = new Dense(FEATURES);
    final Mean lossTracker = new Mean("loss");

    @Override
    protected Operand<TFloat32> call(Operand<TFloat32> x, boolean training) {
      return dense.apply(x);
    }

    @Override
    protected Map<String, Operand<?>> trainStep(StepData data) {
      var tf = TfFunction.ops();
      var x = tf.dtypes.cast(data.x(), TFloat32.class);
      var tape = new GradientTape();
      Operand<TFloat32> loss;
      try (tape) {
        loss = tf.math.mean(tf.math.squaredDifference(x, apply(x, true)), tf.constant(-1));
      }
      optimizer().applyGradients(tape.gradient(loss, trainableVariables()), trainableVariables());
      lossTracker.update(loss);
      return Map.of("loss", lossTracker.resultOperand());
    }

    @Override
    public List<Metric> metrics() {
      return List.of(lossTracker);
    }
  }

  @Test
  void aStepThatComputesItsOwnLossTrainsOnInputsAlone() {
    try (var model = new Reconstruction()) {
      model.compile(new Adam(0.05f));
      History history = model.fit(dev.tfkeras.data.Dataset.fromTensorSlices(features()).batch(BATCH), 5, null, 0);
      assertEquals(List.of("loss"), List.copyOf(history.history().keySet()));
      List<Double> losses = history.get("loss");
      assertTrue(losses.get(4) < losses.get(0), "it learns to reconstruct: " + losses);
    }
  }

  @Test
  void theDefaultStepWithoutACompiledLossSaysWhatToDo() {
    try (var model = new TestModels.SmallCnn()) {
      model.compile(new Adam());
      var data = new dev.tfkeras.SyntheticData(8, 1);
      var e = assertThrows(IllegalStateException.class, () -> model.fit(data.dataset().batch(4), 1, null, 0));
      assertEquals(
          "No loss to compute. Provide a loss argument in compile(), e.g. model.compile(optimizer,"
              + " new MeanSquaredError()), or override trainStep to compute the loss yourself.",
          e.getMessage());
    }
  }

  @Test
  void aStepReturningNullSaysWhatToReturn() {
    class NoLogs extends TestModels.SmallCnn {
      @Override
      protected Map<String, Operand<?>> trainStep(StepData data) {
        super.trainStep(data);
        return null;
      }
    }
    try (var model = new NoLogs()) {
      TestModels.compile(model);
      var data = new dev.tfkeras.SyntheticData(8, 1);
      var e = assertThrows(IllegalStateException.class, () -> model.fit(data.dataset().batch(4), 1, null, 0));
      assertEquals(
          "The train_step of model '" + model.name() + "' returned null; a step returns its logs, e.g."
              + " return getMetricsResult(), or Map.of() for none.",
          e.getMessage());
    }
  }

  @Test
  void theCompiledStepRunsOnceAndMetricsListsTheCompiledTrackers() {
    var data = new dev.tfkeras.SyntheticData(64, 5);
    try (var model = new TestModels.SmallCnn()) {
      TestModels.compile(model);
      List<Long> runs = new ArrayList<>();
      long[] begin = new long[1];
      Callback counter =
          new Callback() {
            @Override
            public void onTrainBatchBegin(int batch) {
              begin[0] = GraphRuntime.current().sessionRuns();
            }

            @Override
            public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
              runs.add(GraphRuntime.current().sessionRuns() - begin[0]);
            }
          };
      PrintStream stdout = System.out;
      ByteArrayOutputStream printed = new ByteArrayOutputStream();
      System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
      History history;
      try {
        history = model.fit(data.dataset().batch(16), 2, null, 1, counter); // the bar reads every batch's logs
      } finally {
        System.setOut(stdout);
      }
      assertEquals(List.of(1L, 1L, 1L, 1L, 1L, 1L, 1L, 1L), runs);
      assertEquals(List.of("loss", "accuracy"), model.metrics().stream().map(Metric::name).toList());
      assertEquals(List.of("loss", "accuracy"), List.copyOf(history.history().keySet()));
      // the epoch's logs are the metrics' results after its last step
      Map<String, Double> evaluated = model.evaluate(data.dataset().batch(16));
      assertEquals(List.of("loss", "accuracy"), List.copyOf(evaluated.keySet()));
    }
  }
}
