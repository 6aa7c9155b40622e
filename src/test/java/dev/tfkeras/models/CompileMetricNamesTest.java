package dev.tfkeras.models;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
