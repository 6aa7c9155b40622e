package dev.tfkeras.saving.keras;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.tfkeras.activations.ActivationFunction;
import dev.tfkeras.activations.Activations;
import dev.tfkeras.layers.Activation;
import dev.tfkeras.layers.AveragePooling2D;
import dev.tfkeras.layers.BatchNormalization;
import dev.tfkeras.layers.Bidirectional;
import dev.tfkeras.layers.Conv2D;
import dev.tfkeras.layers.Dense;
import dev.tfkeras.layers.Dropout;
import dev.tfkeras.layers.Embedding;
import dev.tfkeras.layers.Flatten;
import dev.tfkeras.layers.GlobalAveragePooling2D;
import dev.tfkeras.layers.InputLayer;
import dev.tfkeras.layers.KerasTensor;
import dev.tfkeras.layers.GRU;
import dev.tfkeras.layers.LSTM;
import dev.tfkeras.layers.Layer;
import dev.tfkeras.layers.MaxPooling2D;
import dev.tfkeras.layers.Node;
import dev.tfkeras.layers.Padding;
import dev.tfkeras.layers.Pooling2D;
import dev.tfkeras.layers.Rescaling;
import dev.tfkeras.layers.RNN;
import dev.tfkeras.layers.Reshape;
import dev.tfkeras.models.Functional;
import dev.tfkeras.models.Model;
import dev.tfkeras.models.Sequential;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
 * keys of Keras 3's {@code get_config()} — the keys {@link KerasLayers} reads back. Initializers are
 * written as Keras's defaults (the weights saved beside them override them on load).
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
    if (layer.getClass().getPackageName().equals("dev.tfkeras.layers") && KerasLayers.supported().contains(name)) {
      return name;
    }
    throw new IllegalArgumentException(
        "Layer '" + layer.name() + "' is a " + layer.getClass().getName() + ", which tfkeras cannot"
            + " write to a .keras file yet; it writes Sequential and Functional models of "
            + String.join(", ", KerasLayers.supported()) + ". Save it with saveWeights(directory) or"
            + " export(directory) instead.");
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

  /** One layer (or nested model) as an entry of a model's {@code layers} list. */
  static JsonObject layer(Layer layer) {
    String className = className(layer);
    if (layer instanceof Model model) {
      return model(model);
    }
    JsonObject c = new JsonObject();
    c.addProperty("name", layer.name());
    c.addProperty("trainable", layer.isTrainable());
    c.add("dtype", dtypePolicy());
    if (layer instanceof Dense d) {
        c.addProperty("units", d.units());
        c.addProperty("activation", activation(d.activation(), d));
        c.addProperty("use_bias", d.useBias());
        c.add("kernel_initializer", initializer("GlorotUniform", true));
        c.add("bias_initializer", initializer("Zeros", false));
        nulls(c, "kernel_regularizer", "bias_regularizer", "kernel_constraint", "bias_constraint");
    } else if (layer instanceof Conv2D d) {
        c.addProperty("filters", d.filters());
        c.add("kernel_size", ints(d.kernelSize()));
        c.add("strides", ints(d.strides()));
        c.addProperty("padding", padding(d.padding(), d));
        c.addProperty("data_format", "channels_last");
        c.add("dilation_rate", ints(d.dilationRate()));
        c.addProperty("groups", d.groups());
        c.addProperty("activation", activation(d.activation(), d));
        c.addProperty("use_bias", d.useBias());
        c.add("kernel_initializer", initializer("GlorotUniform", true));
        c.add("bias_initializer", initializer("Zeros", false));
        nulls(c, "kernel_regularizer", "bias_regularizer", "activity_regularizer", "kernel_constraint", "bias_constraint");
    } else if (layer instanceof MaxPooling2D p) {
        pooling(c, p);
    } else if (layer instanceof AveragePooling2D p) {
        pooling(c, p);
    } else if (layer instanceof Flatten f) {
        c.addProperty("data_format", "channels_last");
    } else if (layer instanceof Dropout d) {
        c.addProperty("rate", d.rate());
        c.add("seed", d.seed() == null ? JsonNull.INSTANCE : new JsonPrimitive(d.seed()));
        c.add("noise_shape", JsonNull.INSTANCE);
    } else if (layer instanceof Activation a) {
        c.addProperty("activation", activation(a.function(), a));
    } else if (layer instanceof Reshape r) {
        JsonArray target = new JsonArray();
        for (long dim : r.targetShape()) {
          target.add(dim);
        }
        c.add("target_shape", target);
    } else if (layer instanceof Rescaling r) {
        c.addProperty("scale", r.scale());
        c.addProperty("offset", r.offset());
    } else if (layer instanceof GlobalAveragePooling2D g) {
        c.addProperty("data_format", "channels_last");
        c.addProperty("keepdims", g.keepdims());
    } else if (layer instanceof BatchNormalization b) {
        c.addProperty("axis", b.axis());
        c.addProperty("momentum", b.momentum());
        c.addProperty("epsilon", b.epsilon());
        c.addProperty("center", b.center());
        c.addProperty("scale", b.scale());
        c.add("beta_initializer", initializer("Zeros", false));
        c.add("gamma_initializer", initializer("Ones", false));
        c.add("moving_mean_initializer", initializer("Zeros", false));
        c.add("moving_variance_initializer", initializer("Ones", false));
        nulls(c, "beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint");
        c.addProperty("synchronized", false);
    } else if (layer instanceof Embedding e) {
        c.addProperty("input_dim", e.inputDim());
        c.addProperty("output_dim", e.outputDim());
        JsonObject uniform = initializer("RandomUniform", true);
        uniform.getAsJsonObject("config").addProperty("minval", -0.05);
        uniform.getAsJsonObject("config").addProperty("maxval", 0.05);
        c.add("embeddings_initializer", uniform);
        nulls(c, "embeddings_regularizer", "activity_regularizer", "embeddings_constraint");
        c.addProperty("mask_zero", e.maskZero());
    } else if (layer instanceof RNN<?> r) {
        recurrent(c, r);
    } else if (layer instanceof Bidirectional b) {
        // keras.layers.Bidirectional.get_config: merge_mode, then both directions serialized
        c.add("merge_mode", b.mergeMode() == Bidirectional.MergeMode.NONE ? JsonNull.INSTANCE
            : new JsonPrimitive(b.mergeMode().name().toLowerCase(Locale.ROOT)));
        c.add("layer", layer(b.forwardLayer()));
        c.add("backward_layer", layer(b.backwardLayer()));
    } else {
        throw new IllegalStateException("No config writer for " + className);
    }
    JsonObject out = serialized("keras.layers", className, c);
    if (layer.isBuilt() && layer.inputShapes().size() == 1) {
      out.add("build_config", buildConfig(layer.inputShape()));
    }
    return out;
  }

  /**
   * An LSTM's, GRU's or SimpleRNN's config as Keras 3's {@code get_config}: the RNN base's keys,
   * then the layer's own (keras/src/layers/rnn/lstm.py, gru.py, simple_rnn.py).
   */
  private static void recurrent(JsonObject c, RNN<?> r) {
    c.addProperty("return_sequences", r.isReturnSequences());
    c.addProperty("return_state", r.isReturnState());
    c.addProperty("go_backwards", r.isGoBackwards());
    c.addProperty("stateful", false);
    c.addProperty("unroll", false);
    c.addProperty("zero_output_for_mask", r.isZeroOutputForMask());
    c.addProperty("units", r.units());
    c.addProperty("activation", activation(r.activation(), r));
    if (r instanceof LSTM l) {
      c.addProperty("recurrent_activation", activation(l.recurrentActivation(), r));
    } else if (r instanceof GRU g) {
      c.addProperty("recurrent_activation", activation(g.recurrentActivation(), r));
    }
    c.addProperty("use_bias", r.useBias());
    c.add("kernel_initializer", initializer("GlorotUniform", true));
    JsonObject orthogonal = initializer("Orthogonal", true);
    orthogonal.getAsJsonObject("config").addProperty("gain", 1.0);
    c.add("recurrent_initializer", orthogonal);
    c.add("bias_initializer", initializer("Zeros", false));
    if (r instanceof LSTM l) {
      c.addProperty("unit_forget_bias", l.unitForgetBias());
    }
    nulls(c, "kernel_regularizer", "recurrent_regularizer", "bias_regularizer", "activity_regularizer",
        "kernel_constraint", "recurrent_constraint", "bias_constraint");
    c.addProperty("dropout", 0.0);
    c.addProperty("recurrent_dropout", 0.0);
    if (r instanceof GRU g) {
      c.addProperty("reset_after", g.resetAfter());
    }
    if (!(r instanceof dev.tfkeras.layers.SimpleRNN)) {
      c.add("seed", JsonNull.INSTANCE);
    }
  }

  private static void pooling(JsonObject c, Pooling2D<?> p) {
    c.add("pool_size", ints(p.poolSize()));
    c.addProperty("padding", padding(p.padding(), p));
    c.add("strides", ints(p.strides()));
    c.addProperty("data_format", "channels_last");
  }

  private static void nulls(JsonObject c, String... keys) {
    for (String key : keys) {
      c.add(key, JsonNull.INSTANCE);
    }
  }

  private static JsonObject initializer(String className, boolean seeded) {
    JsonObject config = new JsonObject();
    if (seeded) {
      config.add("seed", JsonNull.INSTANCE);
    }
    return serialized("keras.initializers", className, config);
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

  private static String activation(ActivationFunction function, Layer layer) {
    if (function instanceof Activations named) {
      return named.kerasName();
    }
    throw new IllegalArgumentException(
        "Layer '" + layer.name() + "' has an activation that Keras cannot name (" + function + "): a"
            + " .keras file names activations by Keras's identifiers (Activations.RELU, \"gelu\"...);"
            + " configured or custom activations are not written yet.");
  }

  private static String padding(Padding padding, Layer layer) {
    if (padding != Padding.VALID && padding != Padding.SAME) {
      throw new IllegalArgumentException(
          "Layer '" + layer.name() + "' has padding " + padding + "; Keras's 2D layers take 'valid' or 'same'.");
    }
    return padding.name().toLowerCase(Locale.ROOT);
  }

  private static JsonArray ints(int[] values) {
    JsonArray out = new JsonArray();
    for (int v : values) {
      out.add(v);
    }
    return out;
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
