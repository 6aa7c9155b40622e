package dev.tfkeras.saving.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.tfkeras.layers.Dense;
import dev.tfkeras.layers.Input;
import dev.tfkeras.layers.KerasTensor;
import dev.tfkeras.metrics.MeanAbsoluteError;
import dev.tfkeras.metrics.MeanSquaredError;
import dev.tfkeras.metrics.PredictionMetric;
import dev.tfkeras.models.CompileConfig;
import dev.tfkeras.models.CompileOptions;
import dev.tfkeras.models.Model;
import dev.tfkeras.optimizers.SGD;
import dev.tfkeras.testing.FreshRuntime;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code weighted_metrics} in a {@code .keras} file's compile_config, written and read as Keras 3 does. */
@ExtendWith(FreshRuntime.class)
class KerasWeightedMetricsTest {

  @TempDir Path dir;

  private static final float[][] Y_TRUE = {{0.1f, 0.2f}, {0.3f, 0.4f}, {0.5f, 0.6f}, {0.1f, 0.2f}, {0.3f, 0.4f}, {0.5f, 0.6f}};
  private static final float[][] Y_PRED = {{0.4f, 0.1f}, {0.2f, 0.6f}, {0.6f, 0.1f}, {0.3f, 0.2f}, {0.1f, 0.4f}, {0.2f, 0.3f}};
  private static final float[] WEIGHTS = {1, 0, 1, 1, 0, 1};

  /** Outputs {@code first} (the input) and {@code second} (twice the input), or {@code first} alone. */
  private static Model identity(boolean twoOutputs) {
    KerasTensor input = Input.of(2);
    List<KerasTensor> outputs = new ArrayList<>();
    List<Dense> layers = new ArrayList<>();
    for (String name : twoOutputs ? List.of("first", "second") : List.of("first")) {
      Dense dense = new Dense(2).useBias(false);
      dense.name(name);
      layers.add(dense);
      outputs.add(dense.apply(input));
    }
    Model model = Model.of(List.of(input), outputs);
    for (int i = 0; i < layers.size(); i++) {
      float s = i + 1;
      layers.get(i).setWeights(List.of((Object) new float[][] {{s, 0}, {0, s}}));
    }
    return model;
  }

  private static List<String> names(List<PredictionMetric> metrics) {
    return metrics.stream().map(PredictionMetric::name).toList();
  }

  @Test
  void kerasCompileConfigWithWeightedMetricsByOutputNameIsApplied() {
    // Keras 3.15.1: compile("sgd", ["mse", "mae"], metrics={"first": ["mae"]},
    //   weighted_metrics={"first": ["mae"], "second": [keras.metrics.MeanSquaredError(name="mse")]})
    JsonObject compile = JsonParser.parseString("{\"optimizer\": {\"module\": \"keras.optimizers\", \"class_name\":"
        + " \"SGD\", \"config\": {\"name\": \"sgd_1\", \"learning_rate\": 0.009999999776482582, \"weight_decay\": null,"
        + " \"clipnorm\": null, \"global_clipnorm\": null, \"clipvalue\": null, \"use_ema\": false, \"ema_momentum\":"
        + " 0.99, \"ema_overwrite_frequency\": null, \"loss_scale_factor\": null, \"gradient_accumulation_steps\": null,"
        + " \"momentum\": 0.0, \"nesterov\": false}, \"registered_name\": null}, \"loss\": [\"mse\", \"mae\"],"
        + " \"loss_weights\": null, \"metrics\": {\"first\": [\"mae\"]}, \"weighted_metrics\": {\"first\": [\"mae\"],"
        + " \"second\": [{\"module\": \"keras.metrics\", \"class_name\": \"MeanSquaredError\", \"config\": {\"name\":"
        + " \"mse\", \"dtype\": \"float32\"}, \"registered_name\": null}]}, \"run_eagerly\": false,"
        + " \"steps_per_execution\": 1, \"jit_compile\": false}").getAsJsonObject();
    try (Model model = identity(true)) {
      KerasCompile.apply(model, compile);
      CompileConfig read = model.compileConfig().orElseThrow();
      assertEquals(List.of(List.of("mae"), List.of()), read.metrics().stream().map(KerasWeightedMetricsTest::names).toList());
      assertEquals(List.of(List.of("mae"), List.of("mse")),
          read.weightedMetrics().stream().map(KerasWeightedMetricsTest::names).toList());
      assertInstanceOf(MeanSquaredError.class, read.weightedMetrics().get(1).get(0));
      // the logs of Keras 3.15.1's evaluate(x, [y, y], sample_weight=w, batch_size=3) of this model
      Map<String, Double> logs = model.evaluate(Y_PRED, List.of(Y_TRUE, Y_TRUE), WEIGHTS, 3);
      assertEquals(0.26500001549720764, logs.get("loss"), 1e-6);
      assertEquals(0.19166667759418488, logs.get("first_mae"), 1e-6);
      assertEquals(0.22500000894069672, logs.get("first_weighted_mae"), 1e-6);
      assertEquals(0.18000000715255737, logs.get("second_mse"), 1e-6);
      assertEquals("[[\"mae\"],[\"mse\"]]", KerasCompile.write(read).get("weighted_metrics").toString());
    }
  }

  @Test
  void savedWeightedMetricsLoadAndReportTheSameLogs() throws Exception {
    Path file = dir.resolve("weighted.keras");
    try (Model model = identity(false)) {
      model.compile(new CompileOptions().optimizer(new SGD()).loss("mse").metrics("mse")
          .weightedMetrics(new MeanSquaredError(), new MeanAbsoluteError("abs")));
      Map<String, Double> before = model.evaluate(Y_PRED, Y_TRUE, WEIGHTS, 3);
      assertEquals(List.of("loss", "mse", "mean_squared_error", "abs"), List.copyOf(before.keySet()));
      assertEquals(0.0725, before.get("mean_squared_error"), 1e-6);
      assertEquals(0.055833336, before.get("mse"), 1e-6);
      model.save(file);
      JsonObject written = KerasSaveTest.config(file).getAsJsonObject("compile_config");
      assertEquals(List.of("optimizer", "loss", "loss_weights", "metrics", "weighted_metrics", "run_eagerly",
          "steps_per_execution", "jit_compile"), List.copyOf(written.keySet()));
      assertEquals("[\"mse\"]", written.get("metrics").toString());
      JsonObject abs = written.getAsJsonArray("weighted_metrics").get(1).getAsJsonObject();
      assertEquals("\"mean_squared_error\"", written.getAsJsonArray("weighted_metrics").get(0).toString());
      assertEquals("MeanAbsoluteError", abs.get("class_name").getAsString());
      assertEquals("abs", abs.getAsJsonObject("config").get("name").getAsString());
      try (Model loaded = Model.load(file)) {
        assertEquals(written.toString(), KerasCompile.write(loaded.compileConfig().orElseThrow()).toString());
        assertEquals(before, loaded.evaluate(Y_PRED, Y_TRUE, WEIGHTS, 3));
      }
    }
  }
}
