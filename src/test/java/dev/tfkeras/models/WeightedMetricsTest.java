package dev.tfkeras.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.callbacks.History;
import dev.tfkeras.data.Dataset;
import dev.tfkeras.layers.Dense;
import dev.tfkeras.layers.Input;
import dev.tfkeras.layers.KerasTensor;
import dev.tfkeras.losses.MeanAbsoluteError;
import dev.tfkeras.losses.MeanSquaredError;
import dev.tfkeras.metrics.BinaryAccuracy;
import dev.tfkeras.metrics.PredictionMetric;
import dev.tfkeras.optimizers.SGD;
import dev.tfkeras.testing.FreshRuntime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code weightedMetrics}: updated with the sample weights while {@code metrics} ignore them, named
 * as Keras's {@code CompileMetrics.result} names them. The data are Keras's
 * compile_utils_test.py {@code test_single_output_case}: two batches of three predictions against
 * the same targets with sample weights {@code [1, 0, 1]}, fed through an identity Dense layer so the
 * model predicts its input. Its values (mse 0.055833336, weighted 0.0725) are Keras's; the others
 * are computed by hand below and were checked against Keras 3.15.1's {@code evaluate}.
 */
@ExtendWith(FreshRuntime.class)
class WeightedMetricsTest {

  static final float[][] Y_TRUE = {{0.1f, 0.2f}, {0.3f, 0.4f}, {0.5f, 0.6f}, {0.1f, 0.2f}, {0.3f, 0.4f}, {0.5f, 0.6f}};
  static final float[][] Y_PRED = {{0.4f, 0.1f}, {0.2f, 0.6f}, {0.6f, 0.1f}, {0.3f, 0.2f}, {0.1f, 0.4f}, {0.2f, 0.3f}};
  static final float[] WEIGHTS = {1, 0, 1, 1, 0, 1};

  /** A Dense layer without bias named {@code name} on {@code input}, added to {@code layers}. */
  private static KerasTensor dense(KerasTensor input, String name, List<Dense> layers) {
    Dense dense = new Dense(2).useBias(false);
    dense.name(name);
    layers.add(dense);
    return dense.apply(input);
  }

  private static Model identity() {
    List<Dense> layers = new java.util.ArrayList<>();
    KerasTensor input = Input.of(2);
    Model model = Model.of(List.of(input), List.of(dense(input, "out", layers)));
    layers.get(0).setWeights(List.of((Object) new float[][] {{1, 0}, {0, 1}}));
    return model;
  }

  /** Outputs {@code first} (the input) and {@code second} (twice the input). */
  private static Model twoOutputs() {
    List<Dense> layers = new java.util.ArrayList<>();
    KerasTensor input = Input.of(2);
    Model model = Model.of(
        List.of(input), List.of(dense(input, "first", layers), dense(input, "second", layers)));
    layers.get(0).setWeights(List.of((Object) new float[][] {{1, 0}, {0, 1}}));
    layers.get(1).setWeights(List.of((Object) new float[][] {{2, 0}, {0, 2}}));
    return model;
  }

  @Test
  void metricsIgnoreSampleWeightsAndWeightedMetricsUseThem() {
    try (Model model = identity()) {
      model.compile(new CompileOptions().optimizer(new SGD()).loss("mse")
          .metrics(new dev.tfkeras.metrics.MeanSquaredError())
          .weightedMetrics(new dev.tfkeras.metrics.MeanSquaredError()));
      Map<String, Double> logs = model.evaluate(Y_PRED, Y_TRUE, WEIGHTS, 3);
      assertEquals(List.of("loss", "mean_squared_error", "weighted_mean_squared_error"), List.copyOf(logs.keySet()));
      // Keras: (0.05 + 0.025 + 0.13 + 0.02 + 0.02 + 0.09) / 6 unweighted; (0.05 + 0.13 + 0.02 + 0.09) / 4 weighted
      assertEquals(0.055833336, logs.get("mean_squared_error"), 1e-6);
      assertEquals(0.0725, logs.get("weighted_mean_squared_error"), 1e-6);
      // the loss is weighted, summed over the batch of 3: ((0.05 + 0.13) / 3 + (0.02 + 0.09) / 3) / 2
      assertEquals(0.048333332, logs.get("loss"), 1e-6);
    }
  }

  @Test
  void aDatasetOfXYAndWeightsWeighsWeightedMetricsOnly() {
    try (Model model = identity()) {
      model.compile(new CompileOptions().optimizer(new SGD()).loss("mse").metrics("mse").weightedMetrics("mse"));
      Map<String, Double> logs = model.evaluate(Dataset.fromTensorSlices(Y_PRED, Y_TRUE, WEIGHTS).batch(3));
      assertEquals(0.055833336, logs.get("mse"), 1e-6);
      assertEquals(0.0725, logs.get("weighted_mse"), 1e-6);
    }
  }

  @Test
  void withoutSampleWeightsBothAreTheUnweightedValue() {
    try (Model model = identity()) {
      model.compile(new CompileOptions().optimizer(new SGD()).loss("mse").metrics("mse").weightedMetrics("mse"));
      Map<String, Double> logs = model.evaluate(Y_PRED, Y_TRUE, 3);
      assertEquals(List.of("loss", "mse", "weighted_mse"), List.copyOf(logs.keySet()));
      assertEquals(0.055833336, logs.get("mse"), 1e-6);
      assertEquals(0.055833336, logs.get("weighted_mse"), 1e-6);
    }
  }

  @Test
  void fitUpdatesWeightedMetricsWithTheSampleWeights() {
    try (Model model = identity()) {
      // a frozen model keeps the identity, so the epoch's logs are the two batches' values
      model.setTrainable(false);
      model.compile(new CompileOptions().optimizer(new SGD()).loss("mse").metrics("mae").weightedMetrics("mae"));
      History history = model.fit(Y_PRED, Y_TRUE,
          new FitOptions().epochs(1).batchSize(3).shuffle(false).verbose(0).sampleWeight(WEIGHTS));
      // |error| averaged per example: 0.2, 0.15, 0.3, 0.1, 0.1, 0.3
      assertEquals(1.15 / 6, history.history().get("mae").get(0), 1e-6);
      assertEquals(0.9 / 4, history.history().get("weighted_mae").get(0), 1e-6);
    }
  }

  @Test
  void classWeightsWeighWeightedMetricsOnly() {
    // Keras turns class_weight into sample weights, which only weighted metrics see (Keras 3.15.1: 0.25, 0.375)
    KerasTensor input = Input.of(1);
    Dense dense = new Dense(1).useBias(false);
    try (Model model = Model.of(List.of(input), List.of(dense.apply(input)))) {
      dense.setWeights(List.of((Object) new float[][] {{1}}));
      model.setTrainable(false);
      model.compile(new CompileOptions().optimizer(new SGD()).loss("mse")
          .metrics(new BinaryAccuracy()).weightedMetrics(new BinaryAccuracy()));
      float[][] x = {{0.9f}, {0.2f}, {0.7f}, {0.6f}};
      float[] y = {1, 1, 0, 0}; // right only for the first: class weights 3, 3, 1, 1
      History history = model.fit(x, y,
          new FitOptions().epochs(1).batchSize(4).shuffle(false).verbose(0).classWeight(Map.of(0, 1.0, 1, 3.0)));
      assertEquals(0.25, history.get("binary_accuracy").get(0), 1e-6);
      assertEquals(3.0 / 8, history.get("weighted_binary_accuracy").get(0), 1e-6);
    }
  }

  @Test
  void onlyWeightedMetricsKeepTheirOwnNames() {
    try (Model model = identity()) {
      model.compile(new CompileOptions().optimizer(new SGD()).loss("mse").weightedMetrics("mae", "mse"));
      Map<String, Double> logs = model.evaluate(Y_PRED, Y_TRUE, WEIGHTS, 3);
      assertEquals(List.of("loss", "mae", "mse"), List.copyOf(logs.keySet()));
      assertEquals(0.0725, logs.get("mse"), 1e-6);
      assertEquals(0.9 / 4, logs.get("mae"), 1e-6);
    }
  }

  @Test
  void aNameTakenTwiceIsNumberedAsKerasNumbersIt() {
    // CompileMetrics.result: the first clash is weighted_<name>, the next weighted_<name>_1 (as Keras 3.15.1 logs them)
    try (Model model = identity()) {
      model.compile(new CompileOptions().optimizer(new SGD()).loss("mse").metrics("mse").weightedMetrics("mse", "mse"));
      Map<String, Double> logs = model.evaluate(Y_PRED, Y_TRUE, WEIGHTS, 3);
      assertEquals(List.of("loss", "mse", "weighted_mse", "weighted_mse_1"), List.copyOf(logs.keySet()));
      assertEquals(0.0725, logs.get("weighted_mse_1"), 1e-6);
    }
  }

  @Test
  void perOutputMapsAreNamedWithTheOutputPrefix() {
    try (Model model = twoOutputs()) {
      model.compile(new CompileOptions().optimizer(new SGD())
          .loss(List.of(new MeanSquaredError(), new MeanAbsoluteError()))
          .metrics(Map.of("first", List.of(new dev.tfkeras.metrics.MeanAbsoluteError("mae"))))
          .weightedMetrics(Map.of(
              "first", List.of(new dev.tfkeras.metrics.MeanAbsoluteError("mae")),
              "second", List.of(new dev.tfkeras.metrics.MeanSquaredError("mse")))));
      Map<String, Double> logs = model.evaluate(Y_PRED, List.of(Y_TRUE, Y_TRUE), WEIGHTS, 3);
      assertEquals(
          List.of("loss", "first_loss", "second_loss", "first_mae", "first_weighted_mae", "second_mse"),
          List.copyOf(logs.keySet()));
      // Keras 3.15.1 evaluate of the same model and data
      assertEquals(0.19166667, logs.get("first_mae"), 1e-6);
      assertEquals(0.225, logs.get("first_weighted_mae"), 1e-6);
      // twice the input: squared errors 0.245, 0.325, 0.325, 0.145, 0.085, 0.005; weighted (0.245 + 0.325 + 0.145 + 0.005) / 4
      assertEquals(0.18, logs.get("second_mse"), 1e-6);
      assertEquals(0.26500001, logs.get("loss"), 1e-6);
    }
  }

  @Test
  void perOutputListsAndTheSameWeightsForEveryOutput() {
    try (Model model = twoOutputs()) {
      model.compile(new CompileOptions().optimizer(new SGD()).loss("mse")
          .weightedMetrics(List.of(List.<PredictionMetric>of(), List.of(new dev.tfkeras.metrics.MeanSquaredError("mse")))));
      Map<String, Double> logs = model.evaluate(Y_PRED, List.of(Y_TRUE, Y_TRUE), WEIGHTS, 3);
      assertEquals(0.18, logs.get("second_mse"), 1e-6);
      assertEquals(model.compileConfig().orElseThrow().weightedMetrics().get(1).get(0).name(), "mse");
    }
  }

  @Test
  void oneMetricObjectInBothListsIsRefused() {
    try (Model model = identity()) {
      var mse = new dev.tfkeras.metrics.MeanSquaredError();
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> model.compile(new CompileOptions().loss("mse").metrics(mse).weightedMetrics(mse)));
      assertTrue(e.getMessage().contains("The metric object 'mean_squared_error' was given to compile twice"), e.getMessage());
      assertTrue(model.compileConfig().isEmpty());
    }
  }

  @Test
  void aMapNamingNoOutputIsRefusedNamingTheOutputs() {
    try (Model model = twoOutputs()) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> model.compile(new CompileOptions().loss("mse").weightedMetrics(Map.of("third", List.of(
              new dev.tfkeras.metrics.MeanSquaredError())))));
      assertTrue(e.getMessage().contains("Unknown output name 'third'"), e.getMessage());
      assertTrue(e.getMessage().contains("'first', 'second'"), e.getMessage());
    }
  }

  @Test
  void theDefaultOptimizerIsKerasRmsprop() {
    try (Model model = identity()) {
      model.compile(new CompileOptions().loss("mse"));
      assertEquals("RMSprop", model.optimizer().getClass().getSimpleName());
    }
  }
}
