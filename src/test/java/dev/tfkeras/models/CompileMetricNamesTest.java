package dev.tfkeras.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.layers.Dense;
import dev.tfkeras.layers.Input;
import dev.tfkeras.layers.KerasTensor;
import dev.tfkeras.metrics.MeanAbsoluteError;
import dev.tfkeras.metrics.Metrics;
import dev.tfkeras.optimizers.SGD;
import dev.tfkeras.testing.FreshRuntime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The log names of compiled metrics, as Keras 3's {@code CompileMetrics.result} gives them, and
 * how a list of metrics is spread over a model's outputs, as its {@code _build_metrics_set}. The
 * data: x = [1, 2, 3, 4], y = [1, 1, 2, 5]; output {@code a} predicts x (mae and mse 0.75),
 * output {@code b} predicts 0 (mae 2.25, mse 7.75). Keras 3.15.1's {@code evaluate} gave the same
 * keys and values.
 */
@ExtendWith(FreshRuntime.class)
class CompileMetricNamesTest {

  static final float[][] X = {{1}, {2}, {3}, {4}};
  static final float[][] Y = {{1}, {1}, {2}, {5}};

  private static KerasTensor dense(KerasTensor input, String name, float kernel, List<Dense> layers) {
    Dense dense = new Dense(1);
    dense.name(name);
    KerasTensor out = dense.apply(input);
    dense.setWeights(List.of((Object) new float[][] {{kernel}}, new float[] {0}));
    layers.add(dense);
    return out;
  }

  private static Model oneOutput() {
    KerasTensor input = Input.of(1);
    return Model.of(List.of(input), List.of(dense(input, "d", 1, new java.util.ArrayList<>())));
  }

  private static Model twoOutputs() {
    KerasTensor input = Input.of(1);
    List<Dense> layers = new java.util.ArrayList<>();
    return Model.of(List.of(input), List.of(dense(input, "a", 1, layers), dense(input, "b", 0, layers)));
  }

  /**
   * {@code metrics=["mae", "mae", MeanAbsoluteError(name="mae")], weighted_metrics=["mae", "mae"]}:
   * Keras logs mae, mae_1, mae_2, weighted_mae, weighted_mae_1 (all 0.75).
   */
  @Test
  void repeatedMetricNamesGetKerasSuffixes() {
    try (Model model = oneOutput()) {
      model.compile(new CompileOptions().optimizer(new SGD()).loss("mse")
          .metrics(Metrics.get("mae"), Metrics.get("mae"), new MeanAbsoluteError("mae"))
          .weightedMetrics("mae", "mae"));
      Map<String, Double> logs = model.evaluate(X, Y);
      assertEquals(List.of("loss", "mae", "mae_1", "mae_2", "weighted_mae", "weighted_mae_1"), List.copyOf(logs.keySet()));
      for (double value : logs.values()) {
        assertEquals(0.75, value, 1e-6);
      }
    }
  }

  /** Per output lists, the same name in each: prefixed by the output, so no suffix is needed. */
  @Test
  void repeatedNamesWithinOneOutputOfSeveral() {
    try (Model model = twoOutputs()) {
      model.compile(new CompileOptions().optimizer(new SGD()).loss("mse")
          .metrics(List.of(List.of(Metrics.get("mae"), Metrics.get("mae")), List.of(Metrics.get("mae")))));
      Map<String, Double> logs = model.evaluate(X, List.of(Y, Y));
      assertEquals(List.of("loss", "a_loss", "b_loss", "a_mae", "a_mae_1", "b_mae"), List.copyOf(logs.keySet()));
      assertEquals(0.75, logs.get("a_mae_1"), 1e-6);
      assertEquals(2.25, logs.get("b_mae"), 1e-6);
    }
  }

  /**
   * A flat list with one metric per output, {@code metrics=["mae", "mse"]}: Keras gives the first
   * to output a, the second to output b (logs a_mae 0.75, b_mse 7.75, loss 0.75 + 7.75).
   */
  @Test
  void flatListWithOneMetricPerOutputIsSpreadOverTheOutputs() {
    try (Model model = twoOutputs()) {
      model.compile(new CompileOptions().optimizer(new SGD()).loss("mse").metrics("mae", "mse"));
      Map<String, Double> logs = model.evaluate(X, List.of(Y, Y));
      assertEquals(List.of("loss", "a_loss", "b_loss", "a_mae", "b_mse"), List.copyOf(logs.keySet()));
      assertEquals(0.75, logs.get("a_mae"), 1e-6);
      assertEquals(7.75, logs.get("b_mse"), 1e-6);
      assertEquals(8.5, logs.get("loss"), 1e-6);
    }
  }

  /**
   * A flat list of another length than the outputs, {@code metrics=["mae"]} or {@code ["mae",
   * "mse", "acc"]} on two outputs: Keras 3.15.1's ValueError at the first step, word for word.
   */
  @Test
  void flatListOfAnotherLengthIsKerasError() {
    try (Model model = twoOutputs()) {
      model.compile(new SGD(), dev.tfkeras.losses.Losses.get("mse"), Metrics.get("mae"));
      var e = assertThrows(IllegalArgumentException.class, () -> model.evaluate(X, List.of(Y, Y)));
      assertEquals("tuple arity mismatch; expected: 2, got: 1; tuple: ('mae',).\nInvalid `metrics`. `metrics`"
          + " should contain metrics objects and either be a dict or a list matching the output names of the"
          + " functional model ['a', 'b'] or match the output structure of the model: ['X', 'X'].\nReceived:"
          + " metrics=['mae']", e.getMessage().substring(0, e.getMessage().indexOf("\n", e.getMessage().indexOf("Received"))));
      assertTrue(e.getMessage().endsWith("or a map keyed by output name."), e.getMessage());
      model.compile(new CompileOptions().optimizer(new SGD()).loss("mse").weightedMetrics("mae", "mse", "acc"));
      e = assertThrows(IllegalArgumentException.class, () -> model.evaluate(X, List.of(Y, Y)));
      assertTrue(e.getMessage().startsWith("tuple arity mismatch; expected: 2, got: 3; tuple: ('mae', 'mse',"
          + " 'acc').\nInvalid `weighted_metrics`. `weighted_metrics` should contain"), e.getMessage());
      assertTrue(e.getMessage().contains("Received: weighted_metrics=['mae', 'mse', 'acc']"), e.getMessage());
    }
  }

  /** One output: a flat list of any length applies to it, as Keras's single-output case. */
  @Test
  void flatListOnOneOutputAppliesToIt() {
    try (Model model = oneOutput()) {
      model.compile(new SGD(), dev.tfkeras.losses.Losses.get("mse"), Metrics.get("mae"), Metrics.get("mse"));
      Map<String, Double> logs = model.evaluate(X, Y);
      assertEquals(List.of("loss", "mae", "mse"), List.copyOf(logs.keySet()));
    }
  }
}
