package dev.tfkeras.saving.keras;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;

/**
 * A Keras 2 model config (tf.keras's {@code model_config} in a legacy {@code .h5} file) rewritten
 * in Keras 3's form, as Keras 3 reads it ({@code functional_from_config}'s legacy branch, {@code
 * Sequential.from_config}, the layers' {@code batch_input_shape} argument):
 *
 * <ul>
 *   <li>a Sequential whose first layer carries {@code batch_input_shape} (or Keras 1's {@code
 *       input_dim}) gets an {@code InputLayer} of that shape and dtype first;
 *   <li>a functional layer's inbound nodes {@code [["input_1", 0, 0, {}], ...]} become {@code
 *       {"args": [tensor], "kwargs": {}}} with {@code keras_history} tensors (one input is passed
 *       alone, several as a list); a nested Sequential's calls, which tf.keras 2 numbers from 1,
 *       are numbered from 0 as in Keras 3;
 *   <li>{@code batch_input_shape} is dropped from every other layer (Keras 3 uses it only to make
 *       the input); BatchNormalization's {@code axis} written as a one-element list becomes an int.
 * </ul>
 *
 * Configs already in Keras 3's form (Keras 3's own legacy {@code .h5} writer) pass unchanged.
 */
final class KerasLegacyConfig {

  private KerasLegacyConfig() {}

  /** The Keras 3 form of a serialized model or layer ({@code class_name}, {@code config}). */
  static JsonObject convert(JsonObject serialized) {
    JsonObject out = serialized.deepCopy();
    String className = out.has("class_name") ? out.get("class_name").getAsString() : "";
    if (!out.has("config") || !out.get("config").isJsonObject()) {
      return out;
    }
    JsonObject config = out.getAsJsonObject("config");
    switch (className) {
      case "Sequential" -> sequential(config);
      case "Functional", "Model" -> functional(config);
      default -> layer(className, config);
    }
    return out;
  }

  private static void sequential(JsonObject config) {
    JsonElement layers = config.get("layers");
    if (layers == null || !layers.isJsonArray()) {
      return; // Keras 1 wrote the list itself as the config; KerasModelReader names what is missing
    }
    JsonArray converted = new JsonArray();
    boolean hasInput = false;
    for (JsonElement element : layers.getAsJsonArray()) {
      JsonObject entry = element.getAsJsonObject();
      String className = entry.has("class_name") ? entry.get("class_name").getAsString() : "";
      JsonObject layerConfig = entry.has("config") && entry.get("config").isJsonObject() ? entry.getAsJsonObject("config") : null;
      if (className.equals("InputLayer")) {
        hasInput = true;
      } else if (!hasInput && converted.isEmpty() && layerConfig != null) {
        JsonElement shape = inputShape(className, layerConfig);
        if (shape != null) {
          JsonObject input = new JsonObject();
          input.add("batch_input_shape", shape);
          input.add("dtype", layerConfig.has("dtype") ? layerConfig.get("dtype") : JsonNull.INSTANCE);
          JsonObject inputEntry = new JsonObject();
          inputEntry.addProperty("class_name", "InputLayer");
          inputEntry.add("config", input);
          converted.add(inputEntry);
          hasInput = true;
        }
      }
      converted.add(convert(entry));
    }
    config.add("layers", converted);
  }

  /** The batch shape a Sequential's first layer declares: {@code batch_input_shape}, or Keras 1's {@code input_dim}. */
  private static JsonElement inputShape(String className, JsonObject config) {
    JsonElement shape = config.get("batch_input_shape");
    if (shape != null && shape.isJsonArray()) {
      return shape;
    }
    JsonElement dim = config.get("input_dim");
    if (!className.equals("Embedding") && dim != null && dim.isJsonPrimitive()) {
      JsonArray out = new JsonArray();
      out.add(JsonNull.INSTANCE);
      out.add(dim);
      return out;
    }
    return null;
  }

  private static void functional(JsonObject config) {
    JsonElement layers = config.get("layers");
    if (layers == null || !layers.isJsonArray()) {
      return;
    }
    // tf.keras 2 numbers a nested Sequential's calls from 1, as a Functional's (its node 0 links
    // its own input to its output: Sequential subclasses Functional there); Keras 3 from 0.
    java.util.Set<String> sequentials = new java.util.HashSet<>();
    boolean legacyNodes = false;
    for (JsonElement element : layers.getAsJsonArray()) {
      JsonObject entry = element.getAsJsonObject();
      if (entry.has("class_name") && entry.get("class_name").getAsString().equals("Sequential")) {
        sequentials.add(entry.has("name") ? entry.get("name").getAsString()
            : entry.getAsJsonObject("config").get("name").getAsString());
      }
      JsonElement nodes = entry.get("inbound_nodes");
      if (nodes != null && nodes.isJsonArray() && !nodes.getAsJsonArray().isEmpty()
          && nodes.getAsJsonArray().get(0).isJsonArray()) {
        legacyNodes = true;
      }
    }
    if (!legacyNodes) {
      sequentials.clear();
    }
    JsonArray converted = new JsonArray();
    for (JsonElement element : layers.getAsJsonArray()) {
      JsonObject entry = convert(element.getAsJsonObject());
      JsonElement nodes = entry.get("inbound_nodes");
      if (nodes != null && nodes.isJsonArray()) {
        JsonArray out = new JsonArray();
        for (JsonElement node : nodes.getAsJsonArray()) {
          out.add(node.isJsonArray() ? node(node.getAsJsonArray(), sequentials) : node);
        }
        entry.add("inbound_nodes", out);
      }
      converted.add(entry);
    }
    config.add("layers", converted);
    for (String key : new String[] {"input_layers", "output_layers"}) {
      JsonElement endpoints = config.get(key);
      if (endpoints != null && endpoints.isJsonArray() && !sequentials.isEmpty()) {
        JsonArray array = endpoints.getAsJsonArray();
        if (!array.isEmpty() && array.get(0).isJsonPrimitive()) {
          config.add(key, history(array, sequentials));
        } else {
          JsonArray out = new JsonArray();
          array.forEach(e -> out.add(history(e.getAsJsonArray(), sequentials)));
          config.add(key, out);
        }
      }
    }
  }

  /** {@code [name, node, index]}, the node of a tf.keras 2 nested Sequential counted as Keras 3 counts it. */
  private static JsonArray history(JsonArray spec, java.util.Set<String> sequentials) {
    JsonArray history = new JsonArray();
    for (int i = 0; i < Math.min(3, spec.size()); i++) {
      history.add(spec.get(i));
    }
    if (history.size() == 3 && sequentials.contains(history.get(0).getAsString()) && history.get(1).getAsInt() > 0) {
      history.set(1, new com.google.gson.JsonPrimitive(history.get(1).getAsInt() - 1));
    }
    return history;
  }

  /** {@code [["dense", 0, 0, {}], ...]} → {@code {"args": [tensor or [tensors]], "kwargs": {...}}}. */
  private static JsonObject node(JsonArray inputs, java.util.Set<String> sequentials) {
    JsonArray tensors = new JsonArray();
    JsonObject kwargs = new JsonObject();
    for (JsonElement input : inputs) {
      JsonArray spec = input.getAsJsonArray();
      JsonArray history = history(spec, sequentials);
      JsonObject tensorConfig = new JsonObject();
      tensorConfig.add("keras_history", history);
      JsonObject tensor = new JsonObject();
      tensor.addProperty("class_name", "__keras_tensor__");
      tensor.add("config", tensorConfig);
      tensors.add(tensor);
      if (spec.size() > 3 && spec.get(3).isJsonObject()) {
        spec.get(3).getAsJsonObject().entrySet().forEach(e -> kwargs.add(e.getKey(), e.getValue()));
      }
    }
    JsonArray args = new JsonArray();
    args.add(tensors.size() == 1 ? tensors.get(0) : tensors);
    JsonObject out = new JsonObject();
    out.add("args", args);
    out.add("kwargs", kwargs);
    return out;
  }

  private static void layer(String className, JsonObject config) {
    if (className.equals("InputLayer")) {
      return;
    }
    config.remove("batch_input_shape");
    if (!className.equals("Embedding")) {
      config.remove("input_dim");
    }
    JsonElement axis = config.get("axis");
    if (className.equals("BatchNormalization") && axis != null && axis.isJsonArray() && axis.getAsJsonArray().size() == 1) {
      config.add("axis", axis.getAsJsonArray().get(0));
    }
  }
}
