package dev.tfkeras.saving.keras;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.tfkeras.layers.Input;
import dev.tfkeras.layers.KerasTensor;
import dev.tfkeras.layers.Layer;
import dev.tfkeras.models.Model;
import dev.tfkeras.models.Sequential;
import dev.tfkeras.variables.Variable;
import io.jhdf.api.Dataset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TType;

/**
 * Builds a tfkeras model from a Keras 3 config ({@code Sequential} or {@code Functional}, nested
 * models included) and loads its weights by Keras's structure: each model's layers are numbered
 * by snake-case class name in layer order ({@code layers/dense}, {@code layers/dense_1}, not by
 * the layers' own names), a nested model's under its own path ({@code
 * layers/functional/layers/dense/vars/0}), each layer's variables in Keras's order (trainable,
 * then non-trainable) under {@code vars/0, 1, ...}. A Sequential's InputLayer is not one of its
 * layers; a Functional's is (and holds no variables).
 */
public final class KerasModelReader {

  private static final org.apache.logging.log4j.Logger LOG =
      org.apache.logging.log4j.LogManager.getLogger(KerasModelReader.class);
  private static final Pattern NON_WORD = Pattern.compile("\\W+");
  private static final Pattern UPPER_WORD = Pattern.compile("(.)([A-Z][a-z]+)");
  private static final Pattern LOWER_UPPER = Pattern.compile("([a-z])([A-Z])");

  /** A layer built from the file, with the Keras class name its weights are filed under. */
  private record Built(Layer layer, String className, List<Built> children) {}

  private final KerasArchive archive;

  private KerasModelReader(KerasArchive archive) {
    this.archive = archive;
  }

  /**
   * The model described by {@code archive}, with its weights. On failure nothing built escapes:
   * a model already built is closed before the exception is thrown.
   */
  public static Model read(KerasArchive archive) throws KerasFormatException {
    KerasModelReader reader = new KerasModelReader(archive);
    Built built = null;
    try {
      JsonObject config = archive.config();
      String version = archive.kerasVersion();
      if (version != null && version.startsWith("2.")) {
        config = KerasLegacyConfig.convert(config); // tf.keras 2.13+'s .keras: Keras 2 layer configs
      }
      built = reader.model(config, "config.json");
      reader.loadWeights(built, "");
      Model model = (Model) built.layer();
      if (config.has("compile_config") && config.get("compile_config").isJsonObject()) {
        reader.compile(model, config.getAsJsonObject("compile_config"));
      }
      return model;
    } catch (RuntimeException | KerasFormatException e) {
      if (built != null) {
        ((Model) built.layer()).close();
      }
      if (e instanceof KerasFormatException k) {
        throw k;
      }
      throw new KerasFormatException(archive.file() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Compiles the model as its {@code compile_config} says and restores the optimizer's state
   * from {@code optimizer/vars}, so that {@code fit} continues where Keras stopped.
   */
  private void compile(Model model, JsonObject compileConfig) throws KerasFormatException {
    try {
      KerasCompile.apply(model, compileConfig);
    } catch (RuntimeException e) {
      // Keras's deserialize_keras_object warns and returns the model uncompiled likewise
      LOG.warn("{}: compile() was not called as part of model loading: config.json's compile_config"
          + " cannot be applied ({}). The model and its weights are loaded; compile it yourself to train it.",
          archive.file(), e.getMessage());
      return;
    }
    Map<String, TType> state = KerasWeights.optimizerState(model, archive.weights(), archive.file(), "model.weights.h5");
    try {
      if (!state.isEmpty()) {
        model.optimizer().restoreState(state);
      }
    } finally {
      state.values().forEach(TType::close);
    }
  }

  /** Keras's {@code naming.to_snake_case}: {@code MaxPooling2D} → {@code max_pooling2d}. */
  static String snakeCase(String className) {
    String name = NON_WORD.matcher(className).replaceAll("");
    name = UPPER_WORD.matcher(name).replaceAll("$1_$2");
    return LOWER_UPPER.matcher(name).replaceAll("$1_$2").toLowerCase(java.util.Locale.ROOT);
  }

  // ---- building ---------------------------------------------------------------------------------

  /**
   * The model a Keras 3 config describes ({@code class_name} and {@code config}), built, its
   * weights fresh; the legacy {@code .h5} reader's way in, after {@link KerasLegacyConfig}.
   */
  static Model build(JsonObject serialized, String where) {
    return (Model) new KerasModelReader(null).model(serialized, where).layer();
  }

  private Built model(JsonObject serialized, String where) {
    String className = string(serialized, "class_name", where);
    JsonObject config = object(serialized, "config", where);
    return switch (className) {
      case "Sequential" -> sequential(config, serialized);
      case "Functional", "Model" -> functional(config);
      default -> throw new IllegalArgumentException(
          "The model in " + where + " is a '" + className + "'; tfkeras reads Sequential and"
              + " Functional models (a subclassed model needs its class, through a later registry"
              + " of custom objects).");
    };
  }

  private Built layerOrModel(JsonObject entry) {
    String className = string(entry, "class_name", "a layer entry");
    if (className.equals("Sequential") || className.equals("Functional") || className.equals("Model")) {
      return model(entry, "layer entry " + entry.getAsJsonObject("config").get("name"));
    }
    return new Built(KerasLayers.build(className, object(entry, "config", className)), className, null);
  }

  private Built sequential(JsonObject config, JsonObject serialized) {
    KerasTensor input = null;
    List<Built> children = new ArrayList<>();
    for (JsonElement element : config.getAsJsonArray("layers")) {
      JsonObject entry = element.getAsJsonObject();
      if (string(entry, "class_name", "a Sequential layer").equals("InputLayer")) {
        input = input(entry.getAsJsonObject("config"));
      } else {
        children.add(layerOrModel(entry));
      }
    }
    if (input == null) {
      long[] shape = shape(config.get("build_input_shape"));
      if (shape == null && serialized.has("build_config")) {
        shape = shape(serialized.getAsJsonObject("build_config").get("input_shape"));
      }
      if (shape == null) {
        throw new IllegalArgumentException(
            "Sequential model '" + config.get("name") + "' has no InputLayer and no build_input_shape:"
                + " it was saved unbuilt, so its weights cannot be placed.");
      }
      input = Input.of(Arrays.copyOfRange(shape, 1, shape.length));
    }
    Sequential model = new Sequential();
    if (config.has("name") && !config.get("name").isJsonNull()) {
      model.name(config.get("name").getAsString()); // before the build, which fixes names
    }
    model.add(input);
    children.forEach(child -> model.add(child.layer()));
    model.apply(input);
    trainable(model, config);
    return new Built(model, "Sequential", children);
  }

  private Built functional(JsonObject config) {
    Map<String, Built> byName = new LinkedHashMap<>();
    Map<String, List<List<KerasTensor>>> nodeOutputs = new HashMap<>();
    List<Built> children = new ArrayList<>();
    for (JsonElement element : config.getAsJsonArray("layers")) {
      JsonObject entry = element.getAsJsonObject();
      String className = string(entry, "class_name", "a Functional layer");
      String name = entry.has("name") ? entry.get("name").getAsString()
          : entry.getAsJsonObject("config").get("name").getAsString();
      List<List<KerasTensor>> outputs = new ArrayList<>();
      nodeOutputs.put(name, outputs);
      if (className.equals("InputLayer")) {
        outputs.add(List.of(input(entry.getAsJsonObject("config"))));
        children.add(new Built(null, className, null));
        continue;
      }
      Built built = layerOrModel(entry);
      byName.put(name, built);
      children.add(built);
      if (built.className().equals("Functional")) {
        // A nested Functional's node 0 is its own (inputs to outputs): the calls here count from 1.
        outputs.add(((dev.tfkeras.models.Functional) built.layer()).outputs());
      }
      for (JsonElement node : entry.getAsJsonArray("inbound_nodes")) {
        List<KerasTensor> inputs = new ArrayList<>();
        JsonArray args = node.getAsJsonObject().getAsJsonArray("args");
        collectTensors(args.get(0), nodeOutputs, inputs, name);
        if (node.getAsJsonObject().has("kwargs")
            && !node.getAsJsonObject().getAsJsonObject("kwargs").keySet().isEmpty()) {
          JsonObject kwargs = node.getAsJsonObject().getAsJsonObject("kwargs");
          if (!(kwargs.keySet().size() == 1 && kwargs.has("training"))) {
            throw new IllegalArgumentException(
                "Layer '" + name + "' is called with arguments " + kwargs.keySet() + " that tfkeras"
                    + " does not read from Keras files yet.");
          }
        }
        boolean list = args.get(0).isJsonArray();
        outputs.add(list ? built.layer().applyAll(inputs) : built.layer().applyAll(inputs.get(0)));
      }
    }
    List<KerasTensor> inputs = endpoints(config.get("input_layers"), nodeOutputs);
    List<KerasTensor> outputs = endpoints(config.get("output_layers"), nodeOutputs);
    Model model =
        config.has("name") && !config.get("name").isJsonNull()
            ? Model.of(config.get("name").getAsString(), inputs, outputs)
            : Model.of(inputs, outputs);
    trainable(model, config);
    return new Built(model, "Functional", children);
  }

  private static void collectTensors(
      JsonElement arg, Map<String, List<List<KerasTensor>>> nodeOutputs, List<KerasTensor> into, String layer) {
    if (arg.isJsonArray()) {
      for (JsonElement e : arg.getAsJsonArray()) {
        collectTensors(e, nodeOutputs, into, layer);
      }
      return;
    }
    JsonObject tensor = arg.getAsJsonObject();
    JsonArray history = tensor.getAsJsonObject("config").getAsJsonArray("keras_history");
    into.add(tensorAt(history, nodeOutputs, "the input of layer '" + layer + "'"));
  }

  private static KerasTensor tensorAt(JsonArray history, Map<String, List<List<KerasTensor>>> nodeOutputs, String what) {
    String source = history.get(0).getAsString();
    int node = history.get(1).getAsInt();
    int index = history.get(2).getAsInt();
    List<List<KerasTensor>> nodes = nodeOutputs.get(source);
    if (nodes == null || node >= nodes.size() || index >= nodes.get(node).size()) {
      throw new IllegalArgumentException(
          "config.json: " + what + " refers to layer '" + source + "' node " + node + " tensor " + index
              + ", which is not defined before it.");
    }
    return nodes.get(node).get(index);
  }

  private static List<KerasTensor> endpoints(JsonElement spec, Map<String, List<List<KerasTensor>>> nodeOutputs) {
    JsonArray array = spec.getAsJsonArray();
    List<KerasTensor> out = new ArrayList<>();
    if (!array.isEmpty() && array.get(0).isJsonPrimitive()) {
      out.add(tensorAt(array, nodeOutputs, "a model endpoint"));
      return out;
    }
    for (JsonElement e : array) {
      out.add(tensorAt(e.getAsJsonArray(), nodeOutputs, "a model endpoint"));
    }
    return out;
  }

  private static KerasTensor input(JsonObject config) {
    long[] batchShape = shape(config.has("batch_shape") ? config.get("batch_shape") : config.get("batch_input_shape"));
    if (batchShape == null) {
      throw new IllegalArgumentException("InputLayer " + config.get("name") + " has no batch_shape.");
    }
    if (config.has("sparse") && config.get("sparse").getAsBoolean()
        || config.has("ragged") && config.get("ragged").getAsBoolean()) {
      throw new IllegalArgumentException("InputLayer " + config.get("name") + " is sparse or ragged: not supported.");
    }
    String dtype = KerasLayers.dtypeName(config.get("dtype"));
    Class<? extends TType> type = switch (dtype) {
      case "float32" -> TFloat32.class;
      case "int32" -> TInt32.class;
      case "int64" -> TInt64.class;
      default -> throw new IllegalArgumentException(
          "InputLayer " + config.get("name") + " has dtype '" + dtype + "'; tfkeras reads float32, int32 and int64 inputs.");
    };
    String name = config.has("name") ? config.get("name").getAsString() : null;
    return Input.named(name, type, Arrays.copyOfRange(batchShape, 1, batchShape.length));
  }

  private static long[] shape(JsonElement value) {
    if (value == null || value.isJsonNull() || !value.isJsonArray()) {
      return null;
    }
    JsonArray array = value.getAsJsonArray();
    long[] out = new long[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).isJsonNull() ? -1 : array.get(i).getAsLong();
    }
    return out;
  }

  private static void trainable(Model model, JsonObject config) {
    if (config.has("trainable") && !config.get("trainable").getAsBoolean()) {
      model.setTrainable(false);
    }
  }

  private static String string(JsonObject object, String key, String where) {
    JsonElement value = object.get(key);
    if (value == null || !value.isJsonPrimitive()) {
      throw new IllegalArgumentException("config.json: " + where + " lacks `" + key + "`.");
    }
    return value.getAsString();
  }

  private static JsonObject object(JsonObject object, String key, String where) {
    JsonElement value = object.get(key);
    if (value == null || !value.isJsonObject()) {
      throw new IllegalArgumentException("config.json: " + where + " lacks the object `" + key + "`.");
    }
    return value.getAsJsonObject();
  }

  // ---- weights ----------------------------------------------------------------------------------

  private void loadWeights(Built model, String prefix) throws KerasFormatException {
    Map<String, Integer> used = new HashMap<>();
    for (Built child : model.children()) {
      String base = snakeCase(child.className());
      Integer count = used.get(base);
      String key = count == null ? base : base + "_" + (count + 1);
      used.put(base, count == null ? 0 : count + 1);
      String path = prefix + "layers/" + key;
      if (child.layer() == null) {
        continue; // a Functional's InputLayer: no variables
      }
      if (child.children() != null) {
        loadWeights(child, path + "/");
      } else {
        for (KerasWeights.Entry leaf : KerasWeights.leaves(child.layer(), path)) {
          loadLayer(leaf.layer(), child.className(), leaf.path());
        }
      }
    }
  }

  private void loadLayer(Layer layer, String className, String path) throws KerasFormatException {
    List<Variable<TFloat32>> variables = layer.weights();
    List<Dataset> stored = archive.variables(path);
    if (stored.size() != variables.size()) {
      throw new KerasFormatException(
          archive.file() + ": layer '" + layer.name() + "' (" + className + ") has " + variables.size()
              + " variable(s) in tfkeras but model.weights.h5 holds " + stored.size() + " at " + path + ".");
    }
    List<float[]> values = new ArrayList<>(stored.size());
    for (int i = 0; i < stored.size(); i++) {
      Dataset dataset = stored.get(i);
      Variable<TFloat32> variable = variables.get(i);
      Shape fileShape = Shape.of(dataset.getDimensionsAsLong());
      if (!fileShape.equals(variable.shape())) {
        throw new KerasFormatException(
            archive.file() + ": layer '" + layer.name() + "' (" + className + ") variable " + i + " ('"
                + variable.path() + "') has shape " + Layer.format(variable.shape()) + " in the model but "
                + Layer.format(fileShape) + " in model.weights.h5 at " + path + "/" + dataset.getName() + ".");
      }
      values.add(floats(dataset, path));
    }
    layer.setWeights(values);
  }

  private float[] floats(Dataset dataset, String path) throws KerasFormatException {
    Object flat;
    try {
      flat = dataset.getDataFlat();
    } catch (RuntimeException e) {
      throw new KerasFormatException(
          archive.file() + ": model.weights.h5 is damaged at " + path + "/" + dataset.getName() + ": " + e.getMessage(), e);
    }
    if (flat instanceof float[] floats) {
      return floats;
    }
    if (flat instanceof double[] doubles) {
      float[] out = new float[doubles.length];
      for (int i = 0; i < out.length; i++) {
        out[i] = (float) doubles[i];
      }
      return out;
    }
    if (flat instanceof long[] longs) {
      // an integer variable of Keras's (Normalization's int64 count), held in float32 by tfkeras
      float[] out = new float[longs.length];
      for (int i = 0; i < out.length; i++) {
        out[i] = longs[i];
      }
      return out;
    }
    if (flat instanceof Number number) {
      return new float[] {number.floatValue()};
    }
    throw new KerasFormatException(
        archive.file() + ": model.weights.h5 holds " + dataset.getJavaType() + " at " + path + "/"
            + dataset.getName() + "; tfkeras layers hold float32 weights.");
  }
}
