package dev.tfkeras.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.callbacks.Callback;
import dev.tfkeras.callbacks.History;
import dev.tfkeras.data.Dataset;
import dev.tfkeras.function.TfFunction;
import dev.tfkeras.layers.Activation;
import dev.tfkeras.layers.Dense;
import dev.tfkeras.layers.Flatten;
import dev.tfkeras.losses.MeanSquaredError;
import dev.tfkeras.losses.SparseCategoricalCrossentropy;
import dev.tfkeras.metrics.SparseCategoricalAccuracy;
import dev.tfkeras.optimizers.Adam;
import dev.tfkeras.runtime.GraphRuntime;
import dev.tfkeras.testing.FreshRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** Keras's array form of fit, evaluate and predict, end to end on data made in the test. */
@ExtendWith(FreshRuntime.class)
class FitArraysTest {

  /** y = 3 x1 - 2 x2 + 1 + noise (std 0.5): a Dense layer and MSE recover the plane. */
  @Test
  void regressionRecoversThePlaneDownToTheNoise() {
    GraphRuntime.setRandomSeed(7);
    int n = 2000;
    double noiseStd = 0.5;
    Random random = new Random(1);
    float[][] x = new float[n][2];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      x[i][0] = (float) (random.nextDouble() * 4 - 2);
      x[i][1] = (float) (random.nextDouble() * 4 - 2);
      y[i] = (float) (3 * x[i][0] - 2 * x[i][1] + 1 + noiseStd * random.nextGaussian());
    }
    try (var model = new Sequential(new Dense(1))) {
      model.compile(new Adam(0.05f), new MeanSquaredError());
      History history = model.fit(x, y, new FitOptions().epochs(15).verbose(0));
      List<Double> losses = history.get("loss");
      assertEquals(15, losses.size());
      double mse = model.evaluate(x, y).get("loss");
      double noiseVariance = noiseStd * noiseStd;
      assertTrue(Math.abs(mse - noiseVariance) < 0.2 * noiseVariance, "final MSE " + mse);
      float[][] grid = {{0, 0}, {1, 0}, {0, 1}, {-1.5f, 1.5f}};
      float[][] predicted = model.predict(grid);
      for (int i = 0; i < grid.length; i++) {
        double expected = 3 * grid[i][0] - 2 * grid[i][1] + 1;
        assertEquals(expected, predicted[i][0], 0.1, "prediction at " + List.of(grid[i][0], grid[i][1]));
      }
    }
  }

  /** A sigmoid classifier compiled with Keras's strings, on boolean targets of shape (N,). */
  @Test
  void binaryClassificationWithSigmoidAndBinaryCrossentropy() {
    GraphRuntime.setRandomSeed(8);
    int n = 1200;
    Random random = new Random(3);
    float[][] x = new float[n][2];
    boolean[] y = new boolean[n];
    for (int i = 0; i < n; i++) {
      x[i][0] = (float) random.nextGaussian();
      x[i][1] = (float) random.nextGaussian();
      y[i] = x[i][0] * x[i][0] + x[i][1] * x[i][1] < 1.2; // inside a circle: not linear
    }
    try (var model = new Sequential(new Dense(16, Activation.RELU), new Dense(1, Activation.SIGMOID))) {
      model.compile(new Adam(0.02f), "binary_crossentropy", "accuracy");
      History history = model.fit(x, y, new FitOptions().epochs(30).verbose(0).validationSplit(0.2));
      Map<String, Double> scores = model.evaluate(x, y);
      assertTrue(scores.get("accuracy") >= 0.95, "accuracy " + scores);
      assertTrue(history.get("val_accuracy").get(29) >= 0.93, "validation accuracy " + history.get("val_accuracy"));
      float[][] p = model.predict(new float[][] {{0, 0}, {2.5f, 2.5f}});
      assertTrue(p[0][0] > 0.9 && p[1][0] < 0.1, java.util.Arrays.deepToString(p));
    }
  }

  /** A model with two inputs: a float vector and an int scalar feature, fed from two arrays. */
  static class TwoInputs extends Model {
    final Dense vector = new Dense(8, Activation.RELU);
    final Dense scalar = new Dense(8, Activation.RELU);
    final Dense head = new Dense(1);

    @Override
    protected Operand<TFloat32> call(List<Operand<?>> inputs, boolean training) {
      var tf = TfFunction.ops();
      Operand<TFloat32> joined =
          tf.concat(List.of(vector.apply(inputs.get(0)), scalar.apply(inputs.get(1))), tf.constant(-1));
      return head.apply(joined);
    }
  }

  @Test
  void aTwoInputModelTrainsFromTwoArrays() {
    GraphRuntime.setRandomSeed(3);
    int n = 512;
    Random random = new Random(2);
    float[][] vectors = new float[n][3];
    int[][] counts = new int[n][1]; // int32 input, cast to float32 by the first layer
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < 3; j++) {
        vectors[i][j] = (float) random.nextGaussian();
      }
      counts[i][0] = random.nextInt(5);
      y[i] = vectors[i][0] - vectors[i][2] + 0.5f * counts[i][0];
    }
    try (var model = new TwoInputs()) {
      model.compile(new Adam(0.02f), new MeanSquaredError());
      List<Object> x = List.of(vectors, counts);
      double before = model.evaluate(x, y).get("loss");
      model.fit(x, y, new FitOptions().epochs(20).batchSize(32).verbose(0));
      double after = model.evaluate(x, y).get("loss");
      assertTrue(after < 0.05 * before, "loss " + before + " -> " + after);
      assertEquals("[[-1, 3], [-1, 1]]", model.inputShapes().toString(), "Shape.equals is false with unknown dimensions");
      assertEquals(n, model.predict(x).length);
    }
  }

  /**
   * Imbalanced classes, x | 0 ~ N(0, 1) (90%), x | 1 ~ N(2, 1) (10%). Unweighted, the best
   * boundary is where 0.1 N(x; 2) = 0.9 N(x; 0): x = 1 + ln(9) / 2 = 2.10. With class 1 weighing 9,
   * it is where 0.9 N(x; 2) = 0.9 N(x; 0): x = 1. A softmax regression learns each boundary.
   */
  @Test
  void classWeightShiftsTheDecisionBoundaryAsTheWeightsImply() {
    int n = 6000;
    Random random = new Random(5);
    float[][] x = new float[n][1];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = random.nextDouble() < 0.1 ? 1 : 0;
      x[i][0] = (float) (random.nextGaussian() + 2 * y[i]);
    }
    double unweighted = boundary(x, y, null);
    double weighted = boundary(x, y, Map.of(1, 9.0));
    assertEquals(1 + Math.log(9) / 2, unweighted, 0.3, "unweighted boundary");
    assertEquals(1.0, weighted, 0.3, "weighted boundary");
  }

  private static double boundary(float[][] x, int[] y, Map<Integer, Double> classWeight) {
    GraphRuntime.setRandomSeed(11);
    try (var model = new Sequential(new Dense(2))) {
      model.compile(new Adam(0.05f), new SparseCategoricalCrossentropy(true));
      FitOptions options = new FitOptions().epochs(12).batchSize(128).verbose(0);
      if (classWeight != null) {
        options.classWeight(classWeight);
      }
      model.fit(x, y, options);
      float[][] grid = new float[401][1];
      for (int i = 0; i < grid.length; i++) {
        grid[i][0] = -1 + i * 0.01f;
      }
      float[][] logits = model.predict(grid);
      for (int i = 0; i < grid.length; i++) {
        if (logits[i][1] > logits[i][0]) {
          return grid[i][0];
        }
      }
      return Double.NaN;
    }
  }

  @Test
  void validationSplitHoldsOutTheLastExamplesBeforeShuffling() {
    GraphRuntime.setRandomSeed(4);
    int n = 40;
    Random random = new Random(9);
    float[][] x = new float[n][4];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = i % 3;
      for (int j = 0; j < 4; j++) {
        x[i][j] = (float) random.nextGaussian() + y[i];
      }
    }
    try (var model = new Sequential(new Dense(3))) {
      model.compile(new Adam(), new SparseCategoricalCrossentropy(true), new SparseCategoricalAccuracy("accuracy"));
      History history = model.fit(x, y, new FitOptions().epochs(2).batchSize(8).validationSplit(0.25).verbose(0));
      float[][] lastX = java.util.Arrays.copyOfRange(x, 30, 40);
      int[] lastY = java.util.Arrays.copyOfRange(y, 30, 40);
      Map<String, Double> held = model.evaluate(lastX, lastY);
      assertEquals(held.get("loss"), history.get("val_loss").get(1), 1e-6);
      assertEquals(held.get("accuracy"), history.get("val_accuracy").get(1), 1e-6);
      var e =
          assertThrows(
              IllegalArgumentException.class,
              () -> model.fit(new float[1][4], new int[1], new FitOptions().validationSplit(0.5).verbose(0)));
      assertEquals(
          "validationSplit=0.5 of 1 examples leaves no example for training; use more data or a"
              + " split that leaves examples on both sides.",
          e.getMessage());
    }
  }

  @Test
  void initialEpochResumesTheEpochCount() {
    try (var model = new Sequential(new Dense(1))) {
      model.compile(new Adam(), new MeanSquaredError());
      List<Integer> epochs = new ArrayList<>();
      Callback probe =
          new Callback() {
            @Override
            public void onEpochBegin(int epoch) {
              epochs.add(epoch);
            }
          };
      History history =
          model.fit(new float[][] {{1}, {2}}, new float[] {1, 2}, new FitOptions().epochs(5).initialEpoch(3).verbose(0).callbacks(probe));
      assertEquals(List.of(3, 4), epochs);
      assertEquals(2, history.get("loss").size());
      var e =
          assertThrows(
              IllegalArgumentException.class,
              () -> model.fit(new float[][] {{1}}, new float[] {1}, new FitOptions().epochs(2).initialEpoch(2).verbose(0)));
      assertEquals(
          "initialEpoch (2) must be smaller than epochs (2), the index of the last epoch to train;"
              + " nothing would be trained.",
          e.getMessage());
    }
  }

  @Test
  void stepsPerEpochReadsOnAcrossEpochsAndStopsWhenDataRunsOut() {
    float[][] x = new float[10][1];
    float[] y = new float[10];
    try (var model = new Sequential(new Dense(1))) {
      model.compile(new Adam(), new MeanSquaredError());
      int[] steps = {0};
      Callback counter =
          new Callback() {
            @Override
            public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
              steps[0]++;
            }
          };
      Dataset forever = Dataset.fromTensorSlices(x, y).batch(2).repeat();
      model.fit(forever, new FitOptions().epochs(3).stepsPerEpoch(4).verbose(0).callbacks(counter));
      assertEquals(12, steps[0]);
      steps[0] = 0;
      History history =
          model.fit(Dataset.fromTensorSlices(x, y).batch(2), new FitOptions().epochs(3).stepsPerEpoch(3).verbose(0).callbacks(counter));
      assertEquals(5, steps[0], "5 batches in all: 3 in epoch 1, 2 in epoch 2, then out of data");
      assertEquals(2, history.get("loss").size());
      var e = assertThrows(IllegalArgumentException.class, () -> model.fit(forever, 1));
      assertTrue(e.getMessage().startsWith("The training dataset repeats forever"), e.getMessage());
    }
  }

  @Test
  void emptyDataIsAnErrorNotAZeroLoss() {
    try (var model = new Sequential(new Dense(1))) {
      model.compile(new Adam(), new MeanSquaredError());
      Dataset data = Dataset.fromTensorSlices(new float[][] {{1}, {2}}, new float[] {1, 2}).batch(2);
      var fit = assertThrows(IllegalArgumentException.class, () -> model.fit(data.take(0), 1, null, 0));
      assertTrue(fit.getMessage().startsWith("fit received an empty dataset: it yields 0 batches"), fit.getMessage());
      var evaluate = assertThrows(IllegalArgumentException.class, () -> model.evaluate(data.skip(1)));
      assertTrue(evaluate.getMessage().startsWith("The evaluation data yielded no batch"), evaluate.getMessage());
    }
  }

  @Test
  void uint8ImagesTrainAndPredictWithoutConversionByTheUser() {
    GraphRuntime.setRandomSeed(2);
    int n = 64;
    byte[][][] images = new byte[n][4][4];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = i % 2;
      for (int r = 0; r < 4; r++) {
        for (int c = 0; c < 4; c++) {
          images[i][r][c] = (byte) ((r < 2) == (labels[i] == 1) ? 1 : 0);
        }
      }
    }
    try (var model = new Sequential(new Flatten(), new Dense(2))) {
      model.compile(new Adam(0.01f), new SparseCategoricalCrossentropy(true), new SparseCategoricalAccuracy("accuracy"));
      model.fit(images, labels, new FitOptions().epochs(10).batchSize(16).verbose(0));
      assertEquals(1.0, model.evaluate(images, labels).get("accuracy"));
      float[][] logits = model.predict(images);
      assertTrue(logits[1][1] > logits[1][0]);
    }
  }

  @Test
  void badTargetsAreClearErrorsAtTheCall() {
    float[][] x = {{0.1f, 0.2f}, {0.3f, 0.4f}};
    try (var model = new Sequential(new Dense(1, Activation.SIGMOID))) {
      model.compile("adam", "sparse_categorical_crossentropy");
      var e = assertThrows(IllegalArgumentException.class, () -> model.fit(x, new int[] {0, 1}, new FitOptions().verbose(0)));
      assertTrue(e.getMessage().contains("binary_crossentropy"), e.getMessage());
    }
    for (boolean fromLogits : new boolean[] {true, false}) {
      try (var model = new Sequential(new Dense(3, fromLogits ? Activation.LINEAR : Activation.SOFTMAX))) {
        model.compile(new Adam(), new SparseCategoricalCrossentropy(fromLogits));
        var e = assertThrows(IllegalArgumentException.class, () -> model.fit(x, new int[] {0, 3}, new FitOptions().verbose(0)));
        assertTrue(
            e.getMessage().startsWith("Received a label value of 3 which is outside the valid range of [0, 3)."),
            "fromLogits=" + fromLogits + ": " + e.getMessage());
      }
    }
    try (var model = new Sequential(new Dense(3))) {
      model.compile("adam", "mse");
      var e = assertThrows(IllegalArgumentException.class, () -> model.fit(x, new float[][] {{1, 2}, {3, 4}}, new FitOptions().verbose(0)));
      assertTrue(e.getMessage().contains("(None, 3)") && e.getMessage().contains("(None, 2)"), e.getMessage());
    }
  }

  @Test
  void fitRefusesDataWithoutTargetsAndDatasetsAsArrays() {
    try (var model = new Sequential(new Dense(1))) {
      model.compile(new Adam(), new MeanSquaredError());
      Dataset inputsOnly = Dataset.fromTensorSlices(new float[][] {{1}}).batch(1);
      var e = assertThrows(IllegalArgumentException.class, () -> model.fit(inputsOnly, 1));
      assertTrue(e.getMessage().startsWith("The training data has no targets"), e.getMessage());
      var asArray = assertThrows(IllegalArgumentException.class, () -> model.fit(inputsOnly, new float[] {1}));
      assertTrue(asArray.getMessage().startsWith("x is a Dataset"), asArray.getMessage());
    }
  }
}
