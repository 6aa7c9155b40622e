package dev.tfkeras.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import dev.tfkeras.layers.Conv2D;
import dev.tfkeras.layers.Dense;
import dev.tfkeras.layers.Flatten;
import dev.tfkeras.layers.Input;
import dev.tfkeras.models.Sequential;
import dev.tfkeras.models.TestModels;
import dev.tfkeras.summary.EventFiles;
import dev.tfkeras.testing.FreshRuntime;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.DataClass;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * tfkeras's TensorBoard run against the one Keras 3.15.1 on TensorFlow 2.21 wrote for the same
 * Sequential and options (src/test/resources/tensorboard/make_keras_run.py, committed with its
 * event files): read with the same reader, each run has the same tags at the same steps, and each
 * tag the same plugin, plugin content, data class, dtype, shape and representation; the {@code
 * keras} model summary describes the same model: the same layers with the same config values and
 * build configs, but for keys Keras 3.15.1 adds at their defaults ({@link #KERAS_ONLY_DEFAULTS}).
 *
 * <p>One documented difference: Keras 3.15.1 on TensorFlow 2.21 writes no graph event (its
 * {@code _write_keras_model_train_graph} looks for a {@code function_spec} attribute that
 * TensorFlow 2.21's {@code tf.function} no longer has), tfkeras writes its traced graph once.
 */
@ExtendWith(FreshRuntime.class)
class TensorBoardKerasRunTest {

  @TempDir Path tmp;

  /** What a value is, apart from its numbers. */
  record Kind(String plugin, String content, DataClass dataClass, DataType dtype, List<Long> shape, int contentBytes, int strings) {
    static Kind of(EventFiles.Value v) {
      TensorProto t = v.value().getTensor();
      return new Kind(
          v.plugin(),
          v.value().getMetadata().getPluginData().getContent().toStringUtf8(),
          v.value().getMetadata().getDataClass(),
          t.getDtype(),
          t.getTensorShape().getDimList().stream().map(TensorShapeProto.Dim::getSize).toList(),
          t.getTensorContent().size(),
          t.getStringValCount());
    }
  }

  private static Path kerasRun() throws URISyntaxException {
    return Path.of(TensorBoardKerasRunTest.class.getResource("/tensorboard/keras-3.15.1").toURI());
  }

  @Test
  void tfkerasWritesTheRunKerasWritesForTheSameModelAndOptions() throws Exception {
    Path logs = tmp.resolve("logs");
    try (var model =
        new Sequential(
            Input.of(8, 8, 1),
            new Conv2D(8, 3, "relu").name("conv1"),
            new Flatten().name("flatten"),
            new Dense(16, "relu").name("d1"),
            new Dense(4).name("d2"))) {
      TestModels.compile(model);
      model.fit(
          FitCallbacksTest.TRAIN.dataset().batch(32),
          2,
          FitCallbacksTest.VALIDATION.dataset().batch(32),
          0,
          new TensorBoard(logs).histogramFreq(1).writeImages(true).updateFreq("batch").writeStepsPerSecond(true));
    }
    Path keras = kerasRun();
    assertEquals(runs(keras), runs(logs));
    for (String run : runs(keras)) {
      List<EventFiles.Value> expected = EventFiles.values(keras.resolve(run));
      List<EventFiles.Value> actual = EventFiles.values(logs.resolve(run));
      assertEquals(steps(expected), steps(actual), run + ": tags and their steps");
      assertEquals(kinds(expected), kinds(actual), run + ": kinds of values");
    }
    // the model summary: the same model, layer by layer
    JsonObject expectedModel = kerasModel(keras);
    JsonObject actualModel = kerasModel(logs);
    assertEquals(expectedModel.get("class_name"), actualModel.get("class_name"));
    assertEquals(expectedModel.get("module"), actualModel.get("module"));
    assertEquals(describe(expectedModel, true), describe(actualModel, false));
    // the graph: none from Keras 3.15.1 on TensorFlow 2.21, tfkeras's traced graph once
    assertEquals(0, graphs(keras.resolve("train")));
    assertEquals(1, graphs(logs.resolve("train")));
  }

  private static List<String> runs(Path dir) throws IOException {
    try (var list = Files.list(dir)) {
      return list.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static Map<String, List<Long>> steps(List<EventFiles.Value> values) {
    Map<String, List<Long>> steps = new TreeMap<>();
    values.forEach(v -> steps.computeIfAbsent(v.tag(), t -> new ArrayList<>()).add(v.step()));
    return steps;
  }

  private static Map<String, Kind> kinds(List<EventFiles.Value> values) {
    Map<String, Kind> kinds = new TreeMap<>();
    for (EventFiles.Value v : values) {
      Kind kind = Kind.of(v);
      Kind before = kinds.put(v.tag(), kind);
      assertTrue(before == null || before.equals(kind), v.tag() + " changes kind: " + before + " then " + kind);
    }
    return kinds;
  }

  private static JsonObject kerasModel(Path logDir) throws IOException {
    List<EventFiles.Value> models =
        EventFiles.values(logDir.resolve("train")).stream().filter(v -> v.tag().equals("keras")).toList();
    assertEquals(1, models.size());
    assertEquals(0, models.get(0).step());
    return JsonParser.parseString(models.get(0).value().getTensor().getStringVal(0).toStringUtf8()).getAsJsonObject();
  }

  /**
   * Keys Keras 3.15.1 writes that tfkeras leaves out, by class, each at its default (which Keras
   * reads when the key is absent): Keras versions before them refuse the keys, so tfkeras's files
   * stay loadable by every Keras 3.
   */
  static final Map<String, Map<String, JsonElement>> KERAS_ONLY_DEFAULTS =
      Map.of(
          "InputLayer", Map.of("optional", new JsonPrimitive(false)),
          "Dense", Map.of("quantization_config", JsonNull.INSTANCE),
          "GlorotUniform", Map.of("input_axes", JsonNull.INSTANCE, "output_axes", JsonNull.INSTANCE));

  /** The model's config keys, then each layer's class, full config and build config. */
  private static List<String> describe(JsonObject model, boolean keras) {
    List<String> lines = new ArrayList<>();
    JsonObject config = model.getAsJsonObject("config");
    lines.add("model " + config.get("name") + " " + new TreeSet<>(config.keySet()));
    for (JsonElement e : config.getAsJsonArray("layers")) {
      JsonObject layer = e.getAsJsonObject().deepCopy();
      if (keras) {
        dropKerasOnlyDefaults(layer);
      }
      lines.add(layer.get("class_name") + " " + new TreeMap<>(layer.getAsJsonObject("config").asMap()) + " build_config=" + layer.get("build_config"));
    }
    return lines;
  }

  /** Removes, in every serialized object nested in {@code json}, the keys of KERAS_ONLY_DEFAULTS. */
  private static void dropKerasOnlyDefaults(JsonElement json) {
    if (json.isJsonArray()) {
      json.getAsJsonArray().forEach(TensorBoardKerasRunTest::dropKerasOnlyDefaults);
    } else if (json.isJsonObject()) {
      JsonObject object = json.getAsJsonObject();
      if (object.has("class_name") && object.get("config") instanceof JsonObject config) {
        String className = object.get("class_name").getAsString();
        KERAS_ONLY_DEFAULTS.getOrDefault(className, Map.of()).forEach((key, value) -> {
          assertEquals(value, config.get(key), className + " " + key);
          config.remove(key);
        });
      }
      object.asMap().values().forEach(TensorBoardKerasRunTest::dropKerasOnlyDefaults);
    }
  }

  private static long graphs(Path run) throws IOException {
    return EventFiles.readDir(run).stream().filter(e -> !e.getGraphDef().isEmpty()).count();
  }
}
