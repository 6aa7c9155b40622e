package dev.tfkeras.saving.keras;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import dev.tfkeras.layers.InputLayer;
import dev.tfkeras.layers.KerasTensor;
import dev.tfkeras.layers.Layer;
import dev.tfkeras.layers.Node;
import dev.tfkeras.models.Functional;
import dev.tfkeras.models.Model;
import dev.tfkeras.models.Sequential;
import dev.tfkeras.saving.Serialization;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TType;

/**
 * A tfkeras model as Keras 3's {@code config.json}: each object serialized as {@code
 * serialization_lib.serialize_keras_object} does ({@code module}, {@code class_name}, {@code
 * config}, {@code registered_name}, {@code build_config}), each layer's {@code config} with the
 * keys of Keras 3's {@code get_config()}, as the layer's own {@code getConfig()} gives them (its
 * real initializers, regularizers, constraints and activations) and its {@code fromConfig} reads
 * them back.
 */
final class KerasConfigWriter {

  private KerasConfigWriter() {}

  /** Keras's class name for a tfkeras layer or model, e.g. {@code Conv2D}, {@code Functional}. */
  static String className(Layer layer) {
    if (layer instanceof Sequential) {
      return "Sequential";
    }
    if (layer instanceof Functional) {
      return "Functional";
    }
    String name = layer.getClass().getSimpleName();
    if (layer.getClass().getPackageName().startsWith("dev.tfkeras.layers") && KerasLayers.supported().contains(name)
        || dev.tfkeras.saving.CustomObjects.registeredName(layer.getClass()) != null) {
      return name;
    }
    throw new IllegalArgumentException(
        "Layer '" + layer.name() + "' is a " + layer.getClass().getName() + ", which tfkeras cannot"
            + " write to a .keras file yet; it writes Sequential and Functional models of "
            + String.join(", ", KerasLayers.supported()) + ", and layers registered with"
            + " CustomObjects.register(\"" + name + "\", " + name + "::fromConfig). Register it, or save it"
            + " with saveWeights(directory) or export(directory) instead.");
  }

  /** The serialized model, as {@code config.json} holds it (without {@code compile_config}). */
  static JsonObject model(Model model) {
    if (model instanceof Sequential sequential) {
      return sequential(sequential);
    }
    if (model instanceof Functional functional) {
      return functional(functional);
    }
    throw new IllegalArgumentException(
        "Model '" + model.name() + "' is a subclassed model (" + model.getClass().getName() + "):"
            + " Keras files hold Sequential and Functional models by their config; save its weights"
            + " with saveWeights(\"" + model.name() + ".weights.h5\") instead.");
  }

  private static JsonObject serialized(String module, String className, JsonObject config) {
    JsonObject out = new JsonObject();
    out.addProperty("module", module);
    out.addProperty("class_name", className);
    out.add("config", config);
    out.add("registered_name", JsonNull.INSTANCE);
    return out;
  }

  private static JsonObject sequential(Sequential model) {
    JsonObject config = new JsonObject();
    config.addProperty("name", model.name());
    config.addProperty("trainable", model.isTrainable());
    config.add("dtype", dtypePolicy());
    JsonArray layers = new JsonArray();
    KerasTensor input = model.input();
    layers.add(inputLayer(input));
    for (Layer layer : children(model)) {
      layers.add(layer(layer));
    }
    config.add("layers", layers);
    config.add("build_input_shape", shape(input.shape()));
    JsonObject out = serialized("keras", "Sequential", config);
    out.add("build_config", buildConfig(input.shape()));
    return out;
  }

  /** A model's layers as Keras saves them under {@code layers/}: InputLayers left out. */
  static List<Layer> children(Model model) {
    return model.layers().stream().filter(l -> !(l instanceof InputLayer)).toList();
  }

  private static JsonObject functional(Functional model) {
    JsonObject config = new JsonObject();
    config.addProperty("name", model.name());
    config.addProperty("trainable", model.isTrainable());
    // The calls of each layer inside this model, in call order, as Keras keeps them (_nodes).
    Map<Layer, List<Node>> nodes = new IdentityHashMap<>();
    for (KerasTensor output : model.outputs()) {
      collect(output.node(), model, nodes);
    }
    nodes.values().forEach(list -> list.sort(java.util.Comparator.comparingInt(Node::index)));
    JsonArray layers = new JsonArray();
    for (Layer layer : model.layers()) {
      JsonObject entry;
      JsonArray inbound = new JsonArray();
      if (layer instanceof InputLayer) {
        KerasTensor input = model.inputs().stream().filter(i -> i.node().layer() == layer).findFirst().orElseThrow();
        entry = inputLayer(input);
      } else {
        entry = layer(layer);
        for (Node node : nodes.getOrDefault(layer, List.of())) {
          inbound.add(node(node, nodes));
        }
      }
      entry.addProperty("name", layer.name());
      entry.add("inbound_nodes", inbound);
      layers.add(entry);
    }
    config.add("layers", layers);
    config.add("input_layers", endpoints(model.inputs(), nodes));
    config.add("output_layers", endpoints(model.outputs(), nodes));
    JsonObject out = serialized("keras.src.models.functional", "Functional", config);
    out.addProperty("registered_name", "Functional");
    JsonObject build = new JsonObject();
    build.add("input_shape", JsonNull.INSTANCE);
    out.add("build_config", build);
    return out;
  }

  private static void collect(Node node, Functional model, Map<Layer, List<Node>> nodes) {
    if (node.layer() instanceof InputLayer) {
      return;
    }
    List<Node> calls = nodes.computeIfAbsent(node.layer(), l -> new ArrayList<>());
    if (calls.contains(node)) {
      return;
    }
    calls.add(node);
    for (KerasTensor input : node.inputs()) {
      collect(input.node(), model, nodes);
    }
  }

  /**
   * Keras's node index of a call in this model's config: its rank among the layer's calls kept
   * here, plus one for a nested Functional, whose node 0 is its own (functional.py get_config).
   */
  private static int nodeIndex(Node node, Map<Layer, List<Node>> nodes) {
    if (node.layer() instanceof InputLayer) {
      return 0;
    }
    int rank = nodes.get(node.layer()).indexOf(node);
    return node.layer() instanceof Functional ? rank + 1 : rank;
  }

  private static JsonArray history(KerasTensor tensor, Map<Layer, List<Node>> nodes) {
    JsonArray history = new JsonArray();
    history.add(tensor.node().layer().name());
    history.add(nodeIndex(tensor.node(), nodes));
    history.add(tensor.index());
    return history;
  }

  private static JsonElement endpoints(List<KerasTensor> tensors, Map<Layer, List<Node>> nodes) {
    if (tensors.size() == 1) {
      return history(tensors.get(0), nodes);
    }
    JsonArray out = new JsonArray();
    tensors.forEach(t -> out.add(history(t, nodes)));
    return out;
  }

  private static JsonObject node(Node node, Map<Layer, List<Node>> nodes) {
    JsonArray args = new JsonArray();
    if (node.inputs().size() == 1) {
      args.add(kerasTensor(node.inputs().get(0), nodes));
    } else {
      JsonArray list = new JsonArray();
      node.inputs().forEach(t -> list.add(kerasTensor(t, nodes)));
      args.add(list);
    }
    JsonObject kwargs = new JsonObject();
    if (node.training() != null) {
      kwargs.addProperty("training", node.training());
    }
    JsonObject out = new JsonObject();
    out.add("args", args);
    out.add("kwargs", kwargs);
    return out;
  }

  private static JsonObject kerasTensor(KerasTensor tensor, Map<Layer, List<Node>> nodes) {
    JsonObject config = new JsonObject();
    config.add("shape", shape(tensor.shape()));
    config.addProperty("dtype", dtype(tensor.dtype()));
    config.add("keras_history", history(tensor, nodes));
    JsonObject out = new JsonObject();
    out.addProperty("class_name", "__keras_tensor__");
    out.add("config", config);
    return out;
  }

  private static JsonObject inputLayer(KerasTensor input) {
    JsonObject config = new JsonObject();
    config.add("batch_shape", shape(input.shape()));
    config.addProperty("dtype", dtype(input.dtype()));
    config.addProperty("sparse", false);
    config.addProperty("ragged", false);
    config.addProperty("name", input.node().layer().name());
    return serialized("keras.layers", "InputLayer", config);
  }

  /**
   * One layer (or nested model) as an entry of a model's {@code layers} list: the layer as {@link
   * Serialization#serialize} writes it, its own {@code getConfig()} with its {@code build_config}.
   */
  static JsonObject layer(Layer layer) {
    className(layer);
    if (layer instanceof Model model) {
      return model(model);
    }
    return JsonParser.parseString(Serialization.serialize(layer).toJson()).getAsJsonObject();
  }

  private static JsonObject dtypePolicy() {
    JsonObject config = new JsonObject();
    config.addProperty("name", "float32");
    return serialized("keras", "DTypePolicy", config);
  }

  private static JsonObject buildConfig(Shape inputShape) {
    JsonObject build = new JsonObject();
    build.add("input_shape", shape(inputShape));
    return build;
  }

  /** A shape as Keras writes it: unknown sizes (the batch) as null. */
  static JsonArray shape(Shape shape) {
    JsonArray out = new JsonArray();
    for (long dim : shape.asArray()) {
      out.add(dim < 0 ? JsonNull.INSTANCE : new JsonPrimitive(dim));
    }
    return out;
  }

  static String dtype(Class<? extends TType> type) {
    Map<Class<?>, String> names = new LinkedHashMap<>();
    names.put(TFloat32.class, "float32");
    names.put(TInt32.class, "int32");
    names.put(TInt64.class, "int64");
    String name = names.get(type);
    if (name == null) {
      throw new IllegalArgumentException(
          "Inputs of dtype " + type.getSimpleName() + " are not written to .keras files; tfkeras writes"
              + " float32, int32 and int64 inputs.");
    }
    return name;
  }
}
