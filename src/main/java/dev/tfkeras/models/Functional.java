package dev.tfkeras.models;

import dev.tfkeras.function.Trace;
import dev.tfkeras.layers.InputLayer;
import dev.tfkeras.layers.KerasTensor;
import dev.tfkeras.layers.Layer;
import dev.tfkeras.layers.Node;
import dev.tfkeras.runtime.GraphRuntime;
import java.util.ArrayList;
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
 */
public final class Functional extends Model {

  private final List<KerasTensor> inputs;
  private final List<KerasTensor> outputs;
  private final List<Node> nodes;

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
          List<Operand<TFloat32>> built = applyAll(placeholders, false);
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
   * Keras's {@code model.layers} of a functional model: its input layers, then every layer it
   * calls, in call order (a nested model is one layer).
   */
  @Override
  public List<Layer> layers() {
    List<Layer> all = new ArrayList<>();
    inputs.forEach(i -> all.add(i.node().layer()));
    all.addAll(super.layers());
    return List.copyOf(all);
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
  protected List<Operand<TFloat32>> callAll(List<Operand<?>> args, boolean training) {
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
      List<Operand<TFloat32>> results = node.layer().applyAll(nodeInputs, nodeTraining);
      for (int i = 0; i < node.outputs().size(); i++) {
        values.put(node.outputs().get(i), results.get(i));
      }
    }
    List<Operand<TFloat32>> results = new ArrayList<>();
    for (KerasTensor output : outputs) {
      results.add(asFloat(values.get(output)));
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
}
