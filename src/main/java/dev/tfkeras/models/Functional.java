package dev.tfkeras.models;

import dev.tfkeras.function.Trace;
import dev.tfkeras.layers.InputLayer;
import dev.tfkeras.layers.KerasTensor;
import dev.tfkeras.layers.Layer;
import dev.tfkeras.layers.Node;
import dev.tfkeras.runtime.GraphRuntime;
import dev.tfkeras.saving.Config;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TType;

/**
 * A model defined by the functional API: the graph of layer calls from its {@link dev.tfkeras.layers.Input}s to its
 * outputs, replayed on data. Made by {@link Model#of}; built as soon as it is defined, so that
 * {@code summary()} needs no {@code buildFor}. Layers may be shared (called several times), and
 * models may be used as layers.
 *
 * <p>Its config is Keras's ({@link #getConfig()}, {@link #fromConfig}): every layer with the calls
 * made of it ({@code inbound_nodes}), and the model's inputs and outputs as {@code [layer, node,
 * tensor]} references.
 */
public final class Functional extends Model {

  private final List<KerasTensor> inputs;
  private final List<KerasTensor> outputs;
  private final List<Node> nodes;
  private final List<Layer> kerasOrder;

  Functional(String name, List<KerasTensor> inputs, List<KerasTensor> outputs) {
    if (name != null) {
      super.name(name);
    }
    if (inputs.isEmpty() || outputs.isEmpty()) {
      throw new IllegalArgumentException(
          "A functional model needs at least one input and one output, received " + inputs.size()
              + " inputs and " + outputs.size() + " outputs.");
    }
    for (KerasTensor input : inputs) {
      if (!(input.node().layer() instanceof InputLayer)) {
        throw new IllegalArgumentException(
            "Model inputs must come from Input.of(...), received " + input + ".");
      }
    }
    this.inputs = List.copyOf(inputs);
    this.outputs = List.copyOf(outputs);
    this.nodes = order(this.inputs, this.outputs);
    Set<Layer> layers = new LinkedHashSet<>();
    for (Node node : nodes) {
      layers.add(node.layer());
    }
    requireUniqueNames(layers);
    this.kerasOrder = kerasOrder(this.inputs, this.outputs);
    GraphRuntime runtime = inputs.get(0).node().layer().runtime();
    Trace.symbolic(
        runtime,
        "functional",
        () -> {
          Ops ops = Trace.current().ops();
          List<Operand<?>> placeholders = new ArrayList<>();
          for (KerasTensor input : this.inputs) {
            placeholders.add(ops.placeholder(input.dtype(), Placeholder.shape(input.shape())));
          }
          List<Operand<?>> built = applyOutputs(placeholders, false);
          // After this model took its own share of the runtime, it takes over its layers' shares.
          layers.forEach(this::track);
          return built;
        });
  }

  /**
   * The calls needed for the outputs, in an order where every call comes after those it needs (the
   * order they were made in); fails if an output needs an input that is not among the inputs.
   */
  private static List<Node> order(List<KerasTensor> inputs, List<KerasTensor> outputs) {
    Set<Node> inputNodes = new LinkedHashSet<>();
    inputs.forEach(i -> inputNodes.add(i.node()));
    Map<Node, Boolean> visited = new IdentityHashMap<>();
    List<Node> ordered = new ArrayList<>();
    for (KerasTensor output : outputs) {
      visit(output.node(), inputNodes, visited, ordered);
    }
    return ordered;
  }

  private static void visit(Node node, Set<Node> inputNodes, Map<Node, Boolean> visited, List<Node> ordered) {
    if (visited.containsKey(node) || inputNodes.contains(node)) {
      return;
    }
    if (node.layer() instanceof InputLayer) {
      throw new IllegalArgumentException(
          "Graph disconnected: an output needs input '" + node.layer().name() + "', which is not"
              + " among the model's inputs; pass every Input the outputs depend on to Model.of.");
    }
    visited.put(node, true);
    for (KerasTensor input : node.inputs()) {
      visit(input.node(), inputNodes, visited, ordered);
    }
    ordered.add(node);
  }

  /**
   * Keras's order of a functional model's layers ({@code keras/src/ops/function.py} {@code
   * map_graph}): by depth, the number of calls between a layer's deepest call and an output,
   * deepest first; within one depth, in the order a depth-first walk from the outputs first meets
   * them. Inputs that no output needs come last. Keras numbers the weights of a functional model
   * in a file ({@code layers/dense_1}), lists its config's layers and tracks its variables in this
   * order, which differs from the order of the calls when branches meet.
   */
  private static List<Layer> kerasOrder(List<KerasTensor> inputs, List<KerasTensor> outputs) {
    Set<Node> inputNodes = new LinkedHashSet<>();
    inputs.forEach(i -> inputNodes.add(i.node()));
    List<Node> postOrder = new ArrayList<>(); // Keras's nodes_in_decreasing_depth
    Map<Layer, Integer> firstSeen = new IdentityHashMap<>();
    Set<Node> finished = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    for (KerasTensor output : outputs) {
      walk(output.node(), inputNodes, finished, postOrder, firstSeen);
    }
    Set<Node> inGraph = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    inGraph.addAll(postOrder);
    Map<Node, Integer> nodeDepth = new IdentityHashMap<>();
    Map<Layer, Integer> layerDepth = new java.util.LinkedHashMap<>();
    for (int i = postOrder.size() - 1; i >= 0; i--) {
      Node node = postOrder.get(i);
      int depth = Math.max(nodeDepth.getOrDefault(node, 0), layerDepth.getOrDefault(node.layer(), 0));
      layerDepth.put(node.layer(), depth);
      nodeDepth.put(node, depth);
      if (!inputNodes.contains(node) || !(node.layer() instanceof InputLayer)) {
        for (KerasTensor parent : node.inputs()) {
          if (inGraph.contains(parent.node())) {
            nodeDepth.merge(parent.node(), depth + 1, Math::max);
          }
        }
      }
    }
    for (KerasTensor input : inputs) { // inputs no output needs
      if (!layerDepth.containsKey(input.node().layer())) {
        layerDepth.put(input.node().layer(), 0);
        firstSeen.put(input.node().layer(), -1);
      }
    }
    List<Layer> order = new ArrayList<>(layerDepth.keySet());
    order.sort(Comparator.<Layer>comparingInt(layerDepth::get).reversed().thenComparingInt(firstSeen::get));
    return List.copyOf(order);
  }

  /** Keras's {@code _build_map_helper}: depth-first from an output, each node after its inputs. */
  private static void walk(
      Node node, Set<Node> inputNodes, Set<Node> finished, List<Node> postOrder, Map<Layer, Integer> firstSeen) {
    if (finished.contains(node)) {
      return;
    }
    firstSeen.putIfAbsent(node.layer(), firstSeen.size());
    if (!inputNodes.contains(node)) {
      for (KerasTensor input : node.inputs()) {
        walk(input.node(), inputNodes, finished, postOrder, firstSeen);
      }
    }
    finished.add(node);
    postOrder.add(node);
  }

  /** Keras's rule: layers are found (and saved) by name, so no two may share one. */
  private void requireUniqueNames(Set<Layer> layers) {
    Map<String, Integer> counts = new java.util.LinkedHashMap<>();
    inputs.forEach(i -> counts.merge(i.node().layer().name(), 1, Integer::sum));
    layers.forEach(l -> counts.merge(l.name(), 1, Integer::sum));
    counts.forEach(
        (name, count) -> {
          if (count != 1) {
            throw new IllegalArgumentException(
                "The name \"" + name + "\" is used " + count + " times in the model. All operation"
                    + " names should be unique.");
          }
        });
  }

  /**
   * Keras's {@code model.layers} of a functional model: its input layers and every layer it calls
   * (a nested model is one layer), in Keras's order: by depth from the outputs, deepest first (the
   * inputs, then each layer after those it needs), then in the order a walk from the outputs meets
   * them. A chain lists its layers in call order; where branches meet, Keras's order may differ
   * from the order of the calls, and it is the one Keras files use.
   */
  @Override
  public List<Layer> layers() {
    return kerasOrder;
  }

  /** The single symbolic input, Keras's {@code model.input}; see {@link #inputs()} for several. */
  @Override
  public KerasTensor input() {
    if (inputs.size() != 1) {
      throw new IllegalStateException(
          "Model '" + name() + "' has " + inputs.size() + " inputs; use inputs().");
    }
    return inputs.get(0);
  }

  /** The single symbolic output, Keras's {@code model.output}; see {@link #outputs()} for several. */
  @Override
  public KerasTensor output() {
    if (outputs.size() != 1) {
      throw new IllegalStateException(
          "Model '" + name() + "' has " + outputs.size() + " outputs; use outputs().");
    }
    return outputs.get(0);
  }

  /** The names of the inputs (their input layers), the keys of {@code Map}-keyed input data. */
  @Override
  public List<String> inputNames() {
    return inputs.stream().map(i -> i.node().layer().name()).toList();
  }

  /** The symbolic inputs, in the order data is fed. */
  public List<KerasTensor> inputs() {
    return inputs;
  }

  /** The symbolic outputs. */
  public List<KerasTensor> outputs() {
    return outputs;
  }

  @Override
  protected List<Operand<?>> callAll(List<Operand<?>> args, boolean training) {
    if (args.size() != inputs.size()) {
      throw new IllegalArgumentException(
          "Model '" + name() + "' expects " + inputs.size() + " input(s), received " + args.size()
              + ": pass a List with one array per input, in the order of Model.of's inputs.");
    }
    Map<KerasTensor, Operand<?>> values = new IdentityHashMap<>();
    for (int i = 0; i < inputs.size(); i++) {
      values.put(inputs.get(i), asDtype(args.get(i), inputs.get(i).dtype()));
    }
    for (Node node : nodes) {
      List<Operand<?>> nodeInputs = new ArrayList<>();
      for (KerasTensor input : node.inputs()) {
        nodeInputs.add(values.get(input));
      }
      boolean nodeTraining = node.training() != null ? node.training() : training;
      List<Operand<?>> results = node.layer().applyOutputs(nodeInputs, nodeTraining);
      for (int i = 0; i < node.outputs().size(); i++) {
        values.put(node.outputs().get(i), results.get(i));
      }
    }
    List<Operand<?>> results = new ArrayList<>();
    for (KerasTensor output : outputs) {
      results.add(values.get(output));
    }
    return results;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private Operand<?> asDtype(Operand<?> value, Class<? extends TType> dtype) {
    return value.type() == dtype ? value : tf().dtypes.cast((Operand) value, dtype);
  }

  @Override
  List<String> outputNames(int count) {
    return outputNames();
  }

  /** The names of the outputs (their layers), the prefixes of their logs and keys of Map-keyed targets. */
  @Override
  public List<String> outputNames() {
    return outputs.stream().map(o -> o.node().layer().name()).toList();
  }

  @Override
  List<Summary.Row> summaryRows() {
    List<Summary.Row> rows = new ArrayList<>();
    boolean chain = inputs.size() == 1;
    Set<Layer> seen = new LinkedHashSet<>();
    for (KerasTensor input : inputs) {
      Layer layer = input.node().layer();
      rows.add(new Summary.Row(layer, layer.name(), "InputLayer", layer.outputShapes(), "-"));
    }
    for (Node node : nodes) {
      chain &= node.inputs().size() == 1 && seen.add(node.layer());
      List<String> from = new ArrayList<>();
      for (KerasTensor input : node.inputs()) {
        from.add(input.node().layer().name() + "[" + input.node().index() + "][" + input.index() + "]");
      }
      Layer layer = node.layer();
      List<org.tensorflow.ndarray.Shape> shapes = node.outputs().stream().map(KerasTensor::shape).toList();
      rows.add(new Summary.Row(layer, layer.name(), layer.getClass().getSimpleName(), shapes, String.join(", ", from)));
    }
    if (chain) {
      rows.replaceAll(r -> new Summary.Row(r.layer(), r.name(), r.type(), r.outputShapes(), null));
    }
    return rows;
  }

  // ---- config ---------------------------------------------------------------------------------

  /**
   * Keras's {@code Functional.get_config()}: {@code name}, {@code trainable}, {@code layers} (each
   * layer serialized, with its {@code name} and the calls made of it in this model, {@code
   * inbound_nodes}, whose arguments are Keras tensors {@code {"class_name": "__keras_tensor__",
   * "config": {shape, dtype, keras_history}}}), {@code input_layers} and {@code output_layers}.
   */
  @Override
  public Config getConfig() {
    // The calls of each layer inside this model, in call order, as Keras keeps them (_nodes).
    Map<Layer, List<Node>> calls = new IdentityHashMap<>();
    for (Node node : nodes) {
      calls.computeIfAbsent(node.layer(), l -> new ArrayList<>()).add(node);
    }
    calls.values().forEach(list -> list.sort(Comparator.comparingInt(Node::index)));
    List<Config> layers = new ArrayList<>();
    for (Layer layer : layers()) {
      Config entry;
      List<Config> inbound = new ArrayList<>();
      if (layer instanceof InputLayer) {
        entry = Models.inputLayer(inputs.stream().filter(i -> i.node().layer() == layer).findFirst().orElseThrow());
      } else {
        entry = Models.serialize(layer);
        for (Node node : calls.getOrDefault(layer, List.of())) {
          inbound.add(nodeConfig(node, calls));
        }
      }
      entry.put("name", layer.name());
      entry.put("inbound_nodes", inbound);
      layers.add(entry);
    }
    return new Config()
        .put("name", name())
        .put("trainable", isTrainable())
        .put("layers", layers)
        .put("input_layers", endpoints(inputs, calls))
        .put("output_layers", endpoints(outputs, calls));
  }

  /** Keras writes a functional model's build_config with no shape: it is built from its config. */
  @Override
  public Config getBuildConfig() {
    return new Config().put("input_shape", null);
  }

  /**
   * Keras's node index of a call in this model's config: its rank among the layer's calls kept
   * here, plus one for a nested Functional, whose node 0 is its own (functional.py get_config).
   */
  private static int nodeIndex(Node node, Map<Layer, List<Node>> calls) {
    if (node.layer() instanceof InputLayer) {
      return 0;
    }
    int rank = calls.get(node.layer()).indexOf(node);
    return node.layer() instanceof Functional ? rank + 1 : rank;
  }

  private static List<Object> history(KerasTensor tensor, Map<Layer, List<Node>> calls) {
    return List.of(tensor.node().layer().name(), nodeIndex(tensor.node(), calls), tensor.index());
  }

  private static Object endpoints(List<KerasTensor> tensors, Map<Layer, List<Node>> calls) {
    if (tensors.size() == 1) {
      return history(tensors.get(0), calls);
    }
    return tensors.stream().map(t -> history(t, calls)).toList();
  }

  private static Config nodeConfig(Node node, Map<Layer, List<Node>> calls) {
    List<Object> args = new ArrayList<>();
    if (node.inputs().size() == 1) {
      args.add(kerasTensor(node.inputs().get(0), calls));
    } else {
      args.add(node.inputs().stream().map(t -> kerasTensor(t, calls)).toList());
    }
    Config kwargs = new Config();
    if (node.training() != null) {
      kwargs.put("training", node.training());
    }
    return new Config().put("args", args).put("kwargs", kwargs);
  }

  private static Config kerasTensor(KerasTensor tensor, Map<Layer, List<Node>> calls) {
    Config config = new Config()
        .put("shape", Models.shape(tensor.shape()))
        .put("dtype", Models.dtype(tensor.dtype()))
        .put("keras_history", history(tensor, calls));
    return new Config().put("class_name", "__keras_tensor__").put("config", config);
  }

  /**
   * The functional model a config from {@link #getConfig()} (or a Keras file, in Keras 3's node
   * form) describes, built, with new weights: each layer rebuilt (tfkeras's by Keras's class
   * names, custom ones through {@link dev.tfkeras.saving.CustomObjects}) and called as its {@code
   * inbound_nodes} say. Keras's {@code Model.from_config} of a functional config.
   *
   * @throws IllegalArgumentException for an unknown class or key, or a call referring to a tensor
   *     not defined before it; nothing stays half-built then
   */
  public static Functional fromConfig(Config config) {
    config.describes("Functional");
    String name = config.getString("name", null);
    boolean trainable = config.getBoolean("trainable", true);
    List<Object> entries = config.getList("layers");
    Object inputLayers = config.get("input_layers");
    Object outputLayers = config.get("output_layers");
    Models.requireFloat32(config);
    config.checkAllRead();
    String where = "Functional model '" + name + "'";
    if (entries == null || inputLayers == null || outputLayers == null) {
      throw new IllegalArgumentException(where + ": its config needs `layers`, `input_layers` and `output_layers`.");
    }
    Map<String, List<List<KerasTensor>>> nodeOutputs = new HashMap<>();
    List<Layer> built = new ArrayList<>();
    try {
      for (Object element : entries) {
        Config entry = Models.entry(element, where);
        Config inner = entry.getConfig("config");
        String className = entry.getString("class_name", null);
        String layerName = entry.has("name") ? entry.getString("name", null) : inner == null ? null : inner.name();
        List<List<KerasTensor>> outputs = new ArrayList<>();
        nodeOutputs.put(layerName, outputs);
        if ("InputLayer".equals(className)) {
          outputs.add(List.of(Models.input(inner)));
          continue;
        }
        Layer layer = Models.layer(entry, where);
        built.add(layer);
        if (layer instanceof Functional nested) {
          // A nested Functional's node 0 is its own (inputs to outputs): the calls here count from 1.
          outputs.add(nested.outputs());
        }
        List<Object> inbound = entry.getList("inbound_nodes");
        for (Object nodeElement : inbound == null ? List.<Object>of() : inbound) {
          if (!(nodeElement instanceof Config node) || !node.has("args")) {
            throw new IllegalArgumentException(
                where + ": layer '" + layerName + "' has an inbound node in a form tfkeras does not read: " + nodeElement + ".");
          }
          List<Object> args = node.getList("args");
          Config kwargs = node.getConfig("kwargs");
          Boolean training = null;
          if (kwargs != null && !kwargs.keys().isEmpty()) {
            if (!(kwargs.keys().size() == 1 && kwargs.has("training"))) {
              throw new IllegalArgumentException(
                  "Layer '" + layerName + "' is called with arguments " + kwargs.keys() + " that tfkeras"
                      + " does not read from Keras configs yet.");
            }
            training = kwargs.getBoolean("training", false);
          }
          List<KerasTensor> nodeInputs = new ArrayList<>();
          collectTensors(args.get(0), nodeOutputs, nodeInputs, layerName);
          boolean list = args.get(0) instanceof List;
          if (training != null) {
            outputs.add(list ? layer.applyWithTraining(nodeInputs, training) : layer.applyAll(nodeInputs.get(0), training));
          } else {
            outputs.add(list ? layer.applyAll(nodeInputs) : layer.applyAll(nodeInputs.get(0)));
          }
        }
      }
      List<KerasTensor> inputs = endpoints(inputLayers, nodeOutputs);
      List<KerasTensor> outputs = endpoints(outputLayers, nodeOutputs);
      Functional model = name != null ? Model.of(name, inputs, outputs) : Model.of(inputs, outputs);
      if (!trainable) {
        model.setTrainable(false);
      }
      return model;
    } catch (RuntimeException e) {
      Models.closeAll(built);
      throw e;
    }
  }

  private static void collectTensors(
      Object arg, Map<String, List<List<KerasTensor>>> nodeOutputs, List<KerasTensor> into, String layer) {
    if (arg instanceof List<?> list) {
      for (Object e : list) {
        collectTensors(e, nodeOutputs, into, layer);
      }
      return;
    }
    if (!(arg instanceof Config tensor) || tensor.getConfig("config") == null) {
      throw new IllegalArgumentException(
          "The input of layer '" + layer + "' is not a Keras tensor ({\"class_name\": \"__keras_tensor__\", ...}): " + arg + ".");
    }
    into.add(tensorAt(tensor.getConfig("config").getList("keras_history"), nodeOutputs, "the input of layer '" + layer + "'"));
  }

  private static KerasTensor tensorAt(List<?> history, Map<String, List<List<KerasTensor>>> nodeOutputs, String what) {
    if (history == null || history.size() < 3 || !(history.get(0) instanceof String source)
        || !(history.get(1) instanceof Number node) || !(history.get(2) instanceof Number index)) {
      throw new IllegalArgumentException(
          what + " is not a [layer, node, tensor] reference: " + history + ".");
    }
    List<List<KerasTensor>> calls = nodeOutputs.get(source);
    if (calls == null || node.intValue() >= calls.size() || index.intValue() >= calls.get(node.intValue()).size()) {
      throw new IllegalArgumentException(
          "config.json: " + what + " refers to layer '" + source + "' node " + node.intValue() + " tensor "
              + index.intValue() + ", which is not defined before it.");
    }
    return calls.get(node.intValue()).get(index.intValue());
  }

  private static List<KerasTensor> endpoints(Object spec, Map<String, List<List<KerasTensor>>> nodeOutputs) {
    List<?> array = spec instanceof List<?> l ? l : List.of();
    List<KerasTensor> out = new ArrayList<>();
    if (!array.isEmpty() && !(array.get(0) instanceof List)) {
      out.add(tensorAt(array, nodeOutputs, "a model endpoint"));
      return out;
    }
    for (Object e : array) {
      out.add(tensorAt(e instanceof List<?> l ? l : null, nodeOutputs, "a model endpoint"));
    }
    return out;
  }
}
