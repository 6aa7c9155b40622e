package dev.tfkeras.saving.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.tfkeras.callbacks.ReduceLROnPlateau;
import dev.tfkeras.layers.Dense;
import dev.tfkeras.layers.Input;
import dev.tfkeras.losses.Huber;
import dev.tfkeras.metrics.AUC;
import dev.tfkeras.metrics.PredictionMetric;
import dev.tfkeras.metrics.RootMeanSquaredError;
import dev.tfkeras.models.CompileConfig;
import dev.tfkeras.models.FitOptions;
import dev.tfkeras.models.Model;
import dev.tfkeras.models.Sequential;
import dev.tfkeras.optimizers.RMSprop;
import dev.tfkeras.optimizers.SGD;
import dev.tfkeras.optimizers.schedules.ExponentialDecay;
import dev.tfkeras.saving.Config;
import dev.tfkeras.testing.FreshRuntime;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compile config of a .keras file, written and read through the optimizers', schedules',
 * losses' and metrics' own configs: settings that the identifiers cannot carry survive a save and
 * load, and a learning rate the training loop changed is saved as its current value.
 */
@ExtendWith(FreshRuntime.class)
class KerasCompileConfigTest {

  @TempDir Path dir;

  private static Sequential trainable() {
    return new Sequential(Input.of(3), new Dense(4, "relu"), new Dense(1));
  }

  @Test
  void aScheduleAndSerializedLossAndMetricsSurviveSaveAndLoad() throws Exception {
    float[][] x = KerasSaveTest.random(16, 3, 41);
    float[][] y = KerasSaveTest.random(16, 1, 42);
    FitOptions oneStep = new FitOptions().epochs(1).batchSize(16).shuffle(false).verbose(0);
    Path file = dir.resolve("scheduled.keras");
    try (Sequential model = trainable()) {
      model.compile(new SGD(new ExponentialDecay(0.1, 2, 0.5, true).name("halving")),
          new Huber(0.5).name("huber"), new RootMeanSquaredError("rmse"), new AUC("auc", 20, AUC.Curve.PR,
              AUC.Summation.MINORING, true));
      model.fit(x, y, oneStep);
      model.fit(x, y, oneStep);
      model.save(file);
      CompileConfig saved = model.compileConfig().orElseThrow();
      try (Model loaded = Model.load(file)) {
        CompileConfig read = loaded.compileConfig().orElseThrow();
        assertEquals(saved.optimizer().getConfig(), read.optimizer().getConfig());
        assertEquals(saved.losses().get(0).getConfig(), read.losses().get(0).getConfig());
        List<PredictionMetric> metrics = read.metrics().get(0);
        assertEquals(List.of(saved.metrics().get(0).get(0).getConfig(), saved.metrics().get(0).get(1).getConfig()),
            List.of(metrics.get(0).getConfig(), metrics.get(1).getConfig()));
        assertEquals(2, loaded.optimizer().iterations());
        assertEquals(0.05f, loaded.optimizer().learningRate()); // 0.1 · 0.5^floor(2 / 2)
        model.fit(x, y, oneStep);
        loaded.fit(x, y, oneStep);
        KerasSaveTest.assertSameWeights(model, loaded);
      }
    }
    JsonObject compile = KerasSaveTest.config(file).getAsJsonObject("compile_config");
    Config optimizer = Config.fromJson(compile.getAsJsonObject("optimizer").toString());
    assertEquals("keras.optimizers.schedules", optimizer.getConfig("config").getConfig("learning_rate").getString("module", null));
    assertEquals(Config.fromJson("{\"module\": \"keras.losses\", \"class_name\": \"Huber\", \"config\": {\"name\": \"huber\","
        + " \"reduction\": \"sum_over_batch_size\", \"delta\": 0.5}, \"registered_name\": null}"),
        Config.fromJson(compile.get("loss").toString()));
    // rmse is not the identifier's default name, so the metric is written with its config
    assertEquals("RootMeanSquaredError", compile.getAsJsonArray("metrics").get(0).getAsJsonObject().get("class_name").getAsString());
  }

  @Test
  void aLearningRateReducedDuringFitIsSavedAsItsCurrentValue() throws Exception {
    float[][] x = KerasSaveTest.random(16, 3, 51);
    float[][] y = KerasSaveTest.random(16, 1, 52);
    Path file = dir.resolve("reduced.keras");
    float reduced;
    try (Sequential model = trainable()) {
      model.compile(new RMSprop(0.08).momentum(0.5), "mse", "mae");
      // a minDelta no loss can beat: every epoch after the first is a plateau
      model.fit(x, y, new FitOptions().epochs(3).batchSize(16).shuffle(false).verbose(0)
          .callbacks(new ReduceLROnPlateau("loss", 0.5, 0).minDelta(1e9)));
      reduced = model.optimizer().learningRate();
      assertTrue(reduced < 0.08f, "ReduceLROnPlateau reduced nothing: " + reduced);
      model.save(file);
    }
    JsonObject compile = KerasSaveTest.config(file).getAsJsonObject("compile_config");
    assertEquals((double) reduced,
        compile.getAsJsonObject("optimizer").getAsJsonObject("config").get("learning_rate").getAsDouble());
    assertEquals("\"mean_squared_error\"", compile.get("loss").toString());
    assertEquals("[\"mae\"]", compile.get("metrics").toString());
    try (Model loaded = Model.load(file)) {
      assertInstanceOf(RMSprop.class, loaded.optimizer());
      assertEquals(reduced, loaded.optimizer().learningRate());
      assertEquals(3, loaded.optimizer().iterations());
    }
  }

  @Test
  void tfKeras2OptimizerBookkeepingKeysAreReadPast() {
    // tf.keras 2.11+ writes is_legacy_optimizer and jit_compile into an optimizer's config
    JsonObject compile = com.google.gson.JsonParser.parseString("{\"optimizer\": {\"class_name\": \"Adam\", \"config\":"
        + " {\"name\": \"Adam\", \"learning_rate\": 0.002, \"is_legacy_optimizer\": false, \"jit_compile\": true,"
        + " \"beta_1\": 0.8}}, \"loss\": \"mse\", \"metrics\": [{\"class_name\": \"MeanMetricWrapper\", \"config\":"
        + " {\"name\": \"mae\", \"dtype\": \"float32\", \"fn\": \"mean_absolute_error\"}}]}").getAsJsonObject();
    try (Sequential model = trainable()) {
      KerasCompile.apply(model, compile);
      CompileConfig read = model.compileConfig().orElseThrow();
      assertEquals("Adam", read.optimizer().name());
      assertEquals(0.8f, ((dev.tfkeras.optimizers.Adam) read.optimizer()).beta1());
      assertEquals("mae", read.metrics().get(0).get(0).name());
    }
  }

  @Test
  void kerasFunctionsAreReadAsTheirIdentifiers() {
    // compile(loss=keras.losses.mean_absolute_error, metrics=[keras.metrics.mean_squared_error]) in Keras 3
    JsonObject compile = com.google.gson.JsonParser.parseString("{\"optimizer\": \"rmsprop\", \"loss\": {\"module\":"
        + " \"keras.losses\", \"class_name\": \"function\", \"config\": \"mean_absolute_error\", \"registered_name\":"
        + " \"mean_absolute_error\"}, \"metrics\": [{\"module\": \"keras.metrics\", \"class_name\": \"function\","
        + " \"config\": \"mean_squared_error\", \"registered_name\": \"mean_squared_error\"}]}").getAsJsonObject();
    try (Sequential model = trainable()) {
      KerasCompile.apply(model, compile);
      CompileConfig read = model.compileConfig().orElseThrow();
      assertInstanceOf(dev.tfkeras.losses.MeanAbsoluteError.class, read.losses().get(0));
      assertInstanceOf(dev.tfkeras.metrics.MeanSquaredError.class, read.metrics().get(0).get(0));
      assertInstanceOf(RMSprop.class, read.optimizer());
    }
  }
}
