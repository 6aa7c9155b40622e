package dev.tfkeras.saving.keras;

import static dev.tfkeras.saving.keras.KerasSaveTest.assertSameWeights;
import static dev.tfkeras.saving.keras.KerasSaveTest.random;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.tfkeras.layers.Dense;
import dev.tfkeras.layers.Input;
import dev.tfkeras.layers.KerasTensor;
import dev.tfkeras.losses.CategoricalCrossentropy;
import dev.tfkeras.losses.Loss;
import dev.tfkeras.losses.MeanAbsoluteError;
import dev.tfkeras.losses.MeanSquaredError;
import dev.tfkeras.metrics.Metrics;
import dev.tfkeras.metrics.PredictionMetric;
import dev.tfkeras.models.CompileConfig;
import dev.tfkeras.models.FitOptions;
import dev.tfkeras.models.Model;
import dev.tfkeras.optimizers.Nadam;
import dev.tfkeras.testing.FreshRuntime;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * compile_config of a model with two named outputs, {@code priority} (1 unit) and {@code
 * department} (4 units), in each form Keras 3's {@code compile} takes and {@code
 * get_compile_config} keeps: dicts by output name, lists per output (compile_utils.py).
 */
@ExtendWith(FreshRuntime.class)
class KerasCompileOutputsTest {

  @TempDir Path dir;

  private static Model twoOutputs() {
    KerasTensor input = Input.of(3);
    KerasTensor hidden = new Dense(4, "relu").apply(input);
    KerasTensor priority = new Dense(1).name("priority").apply(hidden);
    KerasTensor department = new Dense(4).name("department").apply(hidden);
    return Model.of(List.of(input), List.of(priority, department));
  }

  private static JsonObject json(String text) {
    return JsonParser.parseString(text).getAsJsonObject();
  }

  private static List<String> names(List<? extends PredictionMetric> metrics) {
    return metrics.stream().map(PredictionMetric::name).toList();
  }

  @Test
  void dictsByOutputNameAreReadInOutputOrder() {
    // compile(loss={"department": ..., "priority": "mse"}, loss_weights={...}, metrics={"department": ["accuracy"]})
    // as get_compile_config keeps it: the dicts in the order given, not the outputs'
    JsonObject compile = json("{\"optimizer\": \"rmsprop\","
        + " \"loss\": {\"department\": {\"module\": \"keras.losses\", \"class_name\": \"CategoricalCrossentropy\","
        + " \"config\": {\"name\": \"categorical_crossentropy\", \"reduction\": \"sum_over_batch_size\","
        + " \"from_logits\": true, \"label_smoothing\": 0.0, \"axis\": -1}, \"registered_name\": null},"
        + " \"priority\": \"mse\"},"
        + " \"loss_weights\": {\"department\": 0.2, \"priority\": 1.0},"
        + " \"metrics\": {\"department\": [\"accuracy\", \"mae\"]},"
        + " \"weighted_metrics\": null, \"run_eagerly\": false, \"steps_per_execution\": 1, \"jit_compile\": false}");
    try (Model model = twoOutputs()) {
      assertEquals(List.of("priority", "department"), model.outputNames());
      KerasCompile.apply(model, compile);
      CompileConfig read = model.compileConfig().orElseThrow();
      assertInstanceOf(MeanSquaredError.class, read.losses().get(0));
      CategoricalCrossentropy cce = assertInstanceOf(CategoricalCrossentropy.class, read.losses().get(1));
      assertTrue(cce.getConfig().getBoolean("from_logits", false));
      assertEquals(List.of(1.0f, 0.2f), read.lossWeights());
      assertEquals(2, read.metrics().size());
      assertEquals(List.of(), read.metrics().get(0), "an output the metrics dict leaves out has none");
      assertEquals(List.of("accuracy", "mae"), names(read.metrics().get(1)));
    }
  }

  @Test
  void listsWithOneEntryPerOutputAreReadPerOutput() {
    // a flat list of as many metrics as outputs is one metric per output (CompileMetrics' flat case)
    JsonObject compile = json("{\"optimizer\": \"adam\", \"loss\": [\"mse\", \"mae\"], \"loss_weights\": [0.5, 2],"
        + " \"metrics\": [\"mae\", [\"mse\", \"mae\"]], \"weighted_metrics\": []}");
    try (Model model = twoOutputs()) {
      KerasCompile.apply(model, compile);
      CompileConfig read = model.compileConfig().orElseThrow();
      assertInstanceOf(MeanSquaredError.class, read.losses().get(0));
      assertInstanceOf(MeanAbsoluteError.class, read.losses().get(1));
      assertEquals(List.of(0.5f, 2f), read.lossWeights());
      assertEquals(List.of("mae"), names(read.metrics().get(0)));
      assertEquals(List.of("mse", "mae"), names(read.metrics().get(1)));
    }
  }

  @Test
  void oneLossWithANumberWeightForOneOutput() {
    JsonObject compile = json("{\"optimizer\": \"sgd\", \"loss\": \"mse\", \"loss_weights\": 0.5, \"metrics\": [\"mae\", \"mse\"]}");
    try (Model model = single()) {
      KerasCompile.apply(model, compile);
      CompileConfig read = model.compileConfig().orElseThrow();
      assertEquals(List.of(0.5f), read.lossWeights());
      assertEquals(List.of(List.of("mae", "mse")), read.metrics().stream().map(KerasCompileOutputsTest::names).toList());
    }
  }

  private static Model single() {
    KerasTensor input = Input.of(3);
    return Model.of(List.of(input), List.of(new Dense(2).apply(input)));
  }

  @Test
  void settingsThatDoNotFitTheOutputsAreRefusedNamingThem() {
    try (Model model = twoOutputs()) {
      IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> KerasCompile.apply(model,
          json("{\"optimizer\": \"adam\", \"loss\": {\"priority\": \"mse\"}}")));
      assertTrue(missing.getMessage().contains("expected keys [priority, department] in loss dict, but found"
          + " loss.keys()=[priority]"), missing.getMessage());
      IllegalArgumentException weights = assertThrows(IllegalArgumentException.class, () -> KerasCompile.apply(model,
          json("{\"optimizer\": \"adam\", \"loss\": [\"mse\", \"mse\"], \"loss_weights\": [1, 2, 3]}")));
      assertTrue(weights.getMessage().contains("`loss_weights` must match the number of losses, got 2 losses and 3"
          + " weights"), weights.getMessage());
      IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> KerasCompile.apply(model,
          json("{\"optimizer\": \"adam\", \"loss\": \"mse\", \"metrics\": {\"score\": [\"mae\"]}}")));
      assertTrue(unknown.getMessage().contains("names outputs [score] but the model's outputs are [priority,"
          + " department]"), unknown.getMessage());
      IllegalArgumentException flat = assertThrows(IllegalArgumentException.class, () -> KerasCompile.apply(model,
          json("{\"optimizer\": \"adam\", \"loss\": \"mse\", \"metrics\": [\"mae\", \"mse\", \"accuracy\"]}")));
      assertTrue(flat.getMessage().contains("either be a dict or a list matching the output names"), flat.getMessage());
      IllegalArgumentException weighted = assertThrows(IllegalArgumentException.class, () -> KerasCompile.apply(model,
          json("{\"optimizer\": \"adam\", \"loss\": \"mse\", \"weighted_metrics\": {\"score\": [\"mae\"]}}")));
      assertTrue(weighted.getMessage().contains("weighted_metrics names outputs [score] but the model's outputs are"
          + " [priority, department]"), weighted.getMessage());
      assertTrue(model.compileConfig().isEmpty(), "nothing compiled by a refused config");
    }
  }

  @Test
  void aModelCompiledByOutputNameSavesLoadsAndTrainsOnBitwise() throws Exception {
    float[][] x = random(8, 3, 71);
    float[][] priority = random(8, 1, 72);
    float[][] department = random(8, 4, 73);
    Map<String, float[][]> y = Map.of("priority", priority, "department", department);
    FitOptions epoch = new FitOptions().epochs(1).batchSize(4).shuffle(false).verbose(0);
    Path file = dir.resolve("outputs.keras");
    try (Model model = twoOutputs()) {
      Map<String, Loss> losses = Map.of("priority", new MeanSquaredError(), "department", new CategoricalCrossentropy(true));
      model.compile(new Nadam(0.01), losses, Map.of("department", 0.2),
          Map.of("department", List.of(Metrics.get("accuracy"))));
      model.fit(x, y, epoch);
      model.save(file);
      JsonObject written = KerasSaveTest.config(file).getAsJsonObject("compile_config");
      assertEquals("[\"mean_squared_error\",", written.get("loss").toString().substring(0, 22));
      assertEquals("[1.0,0.2]", written.get("loss_weights").toString());
      assertEquals("[[],[\"accuracy\"]]", written.get("metrics").toString());
      assertTrue(written.get("weighted_metrics").isJsonNull());
      try (Model loaded = Model.load(file)) {
        assertEquals(written.toString(), KerasCompile.write(loaded.compileConfig().orElseThrow()).toString());
        loaded.fit(x, y, epoch);
        model.fit(x, y, epoch);
        assertSameWeights(model, loaded);
      }
    }
  }
}
