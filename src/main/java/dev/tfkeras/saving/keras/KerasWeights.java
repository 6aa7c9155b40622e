package dev.tfkeras.saving.keras;

import dev.tfkeras.layers.Layer;
import dev.tfkeras.models.Functional;
import dev.tfkeras.models.Model;
import dev.tfkeras.models.Sequential;
import dev.tfkeras.optimizers.Adadelta;
import dev.tfkeras.optimizers.Adagrad;
import dev.tfkeras.optimizers.Adam;
import dev.tfkeras.optimizers.Adamax;
import dev.tfkeras.optimizers.Ftrl;
import dev.tfkeras.optimizers.Lion;
import dev.tfkeras.optimizers.Nadam;
import dev.tfkeras.optimizers.Optimizer;
import dev.tfkeras.optimizers.Optimizers;
import dev.tfkeras.optimizers.RMSprop;
import dev.tfkeras.optimizers.SGD;
import dev.tfkeras.variables.Variable;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.api.WritableGroup;
import java.lang.reflect.Array;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TType;

/**
 * Keras 3's weights layout ({@code model.weights.h5}, and the weights-only {@code .weights.h5}):
 * each layer's variables under {@code layers/<snake_case class>[_n]/vars/<i>} (numbered per class
 * in layer order, trainable then non-trainable), a nested model's under its own {@code layers/},
 * a subclassed model's layers under their names ({@code conv1/vars/0}, as Keras files a
 * subclassed model's attributes),
 * and the optimizer's under {@code optimizer/vars/<i>} in Keras's order: {@code iterations},
 * {@code learning_rate} (unless a schedule sets it), then the moving averages and slots as the
 * Keras optimizer's {@code build} creates them (see {@link #optimizerOrder}), for every optimizer
 * tfkeras has.
 *
 * <p>Written with jHDF 0.13.0, whose writer produces a file that neither jHDF nor HDF5 can read
 * when it holds an empty group after a dataset; so, as Keras does when a saveable has no state,
 * groups without variables are not written ({@code layers/dropout/vars}, the model's own {@code
 * vars}); Keras reads a missing group as no variables. Each {@code vars} group written carries
 * Keras's {@code name} attribute.
 */
final class KerasWeights {

  private static final Logger LOG = LogManager.getLogger(KerasWeights.class);

  private KerasWeights() {}

  /** A layer holding variables and the group of its {@code vars}. */
  record Entry(String path, Layer layer) {}

  /** The layers of {@code model} with the Keras paths of their variables, nested models walked. */
  static List<Entry> entries(Model model) {
    List<Entry> out = new ArrayList<>();
    walk(model, "", out);
    return out;
  }

  private static void walk(Model model, String prefix, List<Entry> out) {
    if (!(model instanceof Sequential || model instanceof Functional)) {
      walkSubclassed(model, prefix, out);
      return;
    }
    Map<String, Integer> used = new HashMap<>();
    for (Layer child : KerasConfigWriter.children(model)) {
      String base = KerasModelReader.snakeCase(className(child));
      Integer count = used.get(base);
      String key = count == null ? base : base + "_" + (count + 1);
      used.put(base, count == null ? 0 : count + 1);
      visit(child, prefix + "layers/" + key, out);
    }
  }

  /**
   * A subclassed model's layers as Keras 3 saves a subclassed model's tracked attributes: each at
   * the path of its name in the model (in tfkeras the field's name in snake case, {@code conv1},
   * {@code dense_block}, unless named otherwise; layers held elsewhere than a field are named
   * after their class, {@code dense_1}), in Keras's order of attribute names (sorted, names
   * starting with '_' last).
   */
  private static void walkSubclassed(Model model, String prefix, List<Entry> out) {
    List<Layer> layers = new ArrayList<>(model.layers());
    layers.sort(Comparator.comparing(l -> l.name().startsWith("_") ? "~" + l.name() : l.name()));
    for (Layer child : layers) {
      visit(child, prefix + child.name(), out);
    }
  }

  private static void visit(Layer child, String path, List<Entry> out) {
    if (child instanceof Model nested) {
      walk(nested, path + "/", out);
    } else {
      out.addAll(leaves(child, path));
    }
  }

  /**
   * Keras's class name of a layer, by which its weights are filed in a Sequential or functional
   * model ({@code layers/dense_1}): tfkeras's classes bear Keras's names, and a custom class its
   * own.
   */
  static String className(Layer layer) {
    return layer.getClass().getSimpleName();
  }

  /**
   * Where Keras 3 keeps a layer's variables: {@code <path>/vars}; for a recurrent layer, whose
   * variables belong to its {@code cell} attribute, {@code <path>/cell/vars} (the layer's own
   * {@code vars} is then empty); for a Bidirectional, its two copies' at {@code
   * <path>/forward_layer/cell/vars} and {@code <path>/backward_layer/cell/vars}; a
   * TextVectorization's {@code idf_weights} both at {@code <path>/vars} and at its StringLookup's
   * {@code <path>/_lookup_layer/vars}, as Keras walks its {@code _lookup_layer} attribute too.
   */
  static List<Entry> leaves(Layer layer, String path) {
    if (layer instanceof dev.tfkeras.layers.Bidirectional b) {
      return List.of(
          new Entry(path + "/forward_layer/cell/vars", b.forwardLayer()),
          new Entry(path + "/backward_layer/cell/vars", b.backwardLayer()));
    }
    if (layer instanceof dev.tfkeras.layers.RNN<?>) {
      return List.of(new Entry(path + "/cell/vars", layer));
    }
    if (layer instanceof dev.tfkeras.layers.preprocessing.TextVectorization) {
      // Keras saves the wrapped StringLookup's state as well, at its attribute's path
      return List.of(new Entry(path + "/vars", layer), new Entry(path + "/_lookup_layer/vars", layer));
    }
    return List.of(new Entry(path + "/vars", layer));
  }

  /** tf.keras 2.13's name for {@code layers} in model.weights.h5, which Keras 3 reads as well. */
  static final String LAYERS_2_13 = "_layer_checkpoint_dependencies";

  /** Writes the model's weights, and its optimizer's state when {@code withOptimizer}, to {@code file}. */
  static void write(Model model, Path file, boolean withOptimizer) {
    List<Entry> entries = entries(model);
    try (WritableHdfFile hdf = HdfFile.write(file)) {
      Map<String, WritableGroup> groups = new HashMap<>();
      for (Entry entry : entries) {
        List<Variable<TFloat32>> variables = entry.layer().weights();
        if (variables.isEmpty()) {
          continue;
        }
        WritableGroup vars = group(hdf, groups, entry.path());
        for (int i = 0; i < variables.size(); i++) {
          try (TFloat32 value = variables.get(i).value()) {
            Object data = array(value);
            if (keptAsInteger(entry.layer(), variables.get(i))) {
              data = (long) value.getFloat();
            }
            vars.putDataset(datasetName(entry.layer(), i), data);
          }
        }
        vars.putAttribute("name", entry.layer().name());
      }
      if (withOptimizer && model.compileConfig().isPresent()) {
        Optimizer optimizer = model.optimizer();
        WritableGroup vars = group(hdf, groups, "optimizer/vars");
        List<Object> values = optimizerValues(optimizer, trainableInKerasOrder(model));
        for (int i = 0; i < values.size(); i++) {
          vars.putDataset(Integer.toString(i), values.get(i));
        }
        vars.putAttribute("name", optimizer.name());
      }
    }
  }

  /**
   * The name of a layer's i-th variable in its {@code vars}: its index, but {@code idf_weights} for
   * the lookup layers' only variable (their TF-IDF weights), as their {@code save_own_variables}
   * stores it.
   */
  private static String datasetName(Layer layer, int i) {
    boolean lookup = layer instanceof dev.tfkeras.layers.preprocessing.IndexLookup<?, ?>
        || layer instanceof dev.tfkeras.layers.preprocessing.TextVectorization;
    return lookup ? "idf_weights" : Integer.toString(i);
  }

  /**
   * Whether Keras keeps this variable as an integer: Normalization's {@code count} (int64 in Keras,
   * float32 in tfkeras, where every weight is float32), written as Keras writes it.
   */
  private static boolean keptAsInteger(Layer layer, Variable<TFloat32> variable) {
    return layer instanceof dev.tfkeras.layers.preprocessing.Normalization && variable.path().endsWith("/count")
        && variable.shape().numDimensions() == 0;
  }

  private static WritableGroup group(WritableHdfFile hdf, Map<String, WritableGroup> groups, String path) {
    WritableGroup group = null;
    StringBuilder sofar = new StringBuilder();
    for (String part : path.split("/")) {
      sofar.append('/').append(part);
      WritableGroup parent = group;
      group = groups.computeIfAbsent(sofar.toString(), p -> parent == null ? hdf.putGroup(part) : parent.putGroup(part));
    }
    return group;
  }

  /** A float tensor as a Java array of its rank (jHDF writes the shape from the array's nesting). */
  private static Object array(TFloat32 value) {
    long[] shape = value.shape().asArray();
    float[] flat = new float[Math.toIntExact(value.shape().size())];
    value.copyTo(DataBuffers.of(flat, false, false));
    if (shape.length == 0) {
      return flat[0];
    }
    int[] dims = new int[shape.length];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = Math.toIntExact(shape[i]);
    }
    Object out = Array.newInstance(float.class, dims);
    fill(out, flat, new int[] {0});
    return out;
  }

  private static void fill(Object array, float[] flat, int[] at) {
    if (array instanceof float[] row) {
      System.arraycopy(flat, at[0], row, 0, row.length);
      at[0] += row.length;
      return;
    }
    for (int i = 0; i < Array.getLength(array); i++) {
      fill(Array.get(array, i), flat, at);
    }
  }

  /**
   * The model's trainable variables in the order Keras gives them to its optimizer (Keras's {@code
   * trainable_variables}): model by model, each layer's in {@link Model#layers()} order, which for
   * a functional model is Keras's depth order rather than the order of the calls.
   */
  static List<Variable<TFloat32>> trainableInKerasOrder(Model model) {
    List<Variable<TFloat32>> trainable = model.trainableVariables();
    java.util.Set<Variable<TFloat32>> wanted = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    wanted.addAll(trainable);
    java.util.Set<Object> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    List<Variable<TFloat32>> out = new ArrayList<>();
    collectTrainable(model, wanted, seen, out);
    for (Variable<TFloat32> variable : trainable) {
      if (seen.add(variable)) {
        out.add(variable); // a model's own variable, should it have one
      }
    }
    return out;
  }

  private static void collectTrainable(
      Layer layer, java.util.Set<Variable<TFloat32>> wanted, java.util.Set<Object> seen, List<Variable<TFloat32>> out) {
    if (!seen.add(layer)) {
      return;
    }
    if (layer instanceof Model model) {
      model.layers().forEach(child -> collectTrainable(child, wanted, seen, out));
      return;
    }
    if (!layer.isBuilt()) {
      return;
    }
    for (Variable<TFloat32> variable : layer.weights()) {
      if (wanted.contains(variable) && seen.add(variable)) {
        out.add(variable);
      }
    }
  }

  /**
   * The tfkeras paths of the optimizer's state in Keras 3's order, the order of its {@code
   * optimizer.variables} (base_optimizer.py): {@code iterations}, {@code learning_rate} unless a
   * schedule sets it, the moving {@code average} of every variable when {@code use_ema} (the base
   * {@code build}), then the slots the optimizer's {@code build} creates: for the names created
   * together ({@code add_optimizer_variables(vars, ["momentum", "velocity"])}) one of each per
   * variable, interleaved, then the next names; last, Nadam's {@code u_product}, a scalar its
   * {@code build} creates after its slots.
   *
   * @throws IllegalArgumentException for an optimizer class that is not one of tfkeras's
   */
  static List<String> optimizerOrder(Optimizer optimizer, List<Variable<TFloat32>> trainable) {
    String n = optimizer.name() + "/";
    List<String> order = new ArrayList<>();
    order.add(n + "iterations");
    if (optimizer.learningRateSchedule().isEmpty()) {
      order.add(n + "learning_rate");
    }
    List<List<String>> groups = new ArrayList<>();
    if (optimizer.useEma()) {
      groups.add(List.of("average"));
    }
    groups.addAll(slotGroups(optimizer));
    for (List<String> slots : groups) {
      for (Variable<TFloat32> variable : trainable) {
        for (String slot : slots) {
          order.add(n + variable.path() + "/" + slot);
        }
      }
    }
    if (optimizer instanceof Nadam) {
      order.add(n + "u_product");
    }
    return order;
  }

  /**
   * {@code order} as a file saved by Keras 3.0 to 3.9 holds it, given the ranks of the file's
   * variables: their Nadam created {@code u_product} at the start of its {@code build}, before its
   * slots (Keras 3.10 creates it after them), so a scalar where the first slot belongs and none
   * last tells that order; any other order is returned as it is.
   */
  static List<String> orderOfFile(List<String> order, List<Integer> ranks) {
    String last = order.get(order.size() - 1);
    if (!last.endsWith("/u_product") || ranks.size() != order.size() || ranks.get(ranks.size() - 1) == 0) {
      return order;
    }
    int firstSlot = -1;
    for (int i = 0; i < order.size(); i++) {
      if (order.get(i).endsWith("/momentum")) {
        firstSlot = i;
        break;
      }
    }
    if (firstSlot < 0 || ranks.get(firstSlot) != 0) {
      return order;
    }
    List<String> old = new ArrayList<>(order.subList(0, order.size() - 1));
    old.add(firstSlot, last);
    return old;
  }

  /**
   * The slot names (tfkeras's) of each {@code add_optimizer_variables} call of the optimizer's
   * Keras {@code build}, in order: Adam's {@code momentum, velocity} are tfkeras's {@code m, v}.
   */
  private static List<List<String>> slotGroups(Optimizer optimizer) {
    List<List<String>> groups = new ArrayList<>();
    if (optimizer instanceof Adam adam) { // and AdamW
      groups.add(List.of("m", "v"));
      if (adam.amsgrad()) {
        groups.add(List.of("v_hat"));
      }
    } else if (optimizer instanceof SGD sgd) {
      if (sgd.momentum() != 0) {
        groups.add(List.of("momentum"));
      }
    } else if (optimizer instanceof RMSprop rms) {
      groups.add(List.of("velocity"));
      if (rms.momentum() > 0) {
        groups.add(List.of("momentum"));
      }
      if (rms.centered()) {
        groups.add(List.of("average_gradient"));
      }
    } else if (optimizer instanceof Nadam) {
      groups.add(List.of("momentum", "velocity"));
    } else if (optimizer instanceof Adagrad) {
      groups.add(List.of("accumulator"));
    } else if (optimizer instanceof Adadelta) {
      groups.add(List.of("accumulated_grad", "accumulated_delta_var"));
    } else if (optimizer instanceof Adamax) {
      groups.add(List.of("momentum", "norm"));
    } else if (optimizer instanceof Ftrl) {
      groups.add(List.of("accumulator", "linear"));
    } else if (optimizer instanceof Lion) {
      groups.add(List.of("momentum"));
    } else {
      throw new IllegalArgumentException(
          "Optimizer '" + optimizer.name() + "' (" + optimizer.getClass().getName() + ") has no known"
              + " Keras variable layout, so its state cannot be written to or read from a Keras file:"
              + " compile with one of tfkeras's optimizers (" + String.join(", ", Optimizers.classNames())
              + "), or save with the optimizer left out.");
    }
    return groups;
  }

  /**
   * The optimizer's state as Keras saves it, in {@link #optimizerOrder}: {@code iterations} and
   * {@code learning_rate} always; the rest once built (as Keras, whose optimizer builds on its
   * first step), each value from its variable or, before the first step of a restored optimizer,
   * from the state it restored. Keras builds slots for every trainable variable; tfkeras creates
   * them at a variable's first gradient, so a slot of a variable that never had one is written
   * with the value Keras starts it from.
   */
  private static List<Object> optimizerValues(Optimizer optimizer, List<Variable<TFloat32>> trainable) {
    Map<String, Variable<?>> byPath = new LinkedHashMap<>();
    optimizer.variables().forEach(v -> byPath.put(v.path(), v));
    List<String> order = optimizerOrder(optimizer, trainable);
    List<Object> values = new ArrayList<>();
    values.add(optimizer.iterations());
    if (optimizer.learningRateSchedule().isEmpty()) {
      values.add(optimizer.learningRate());
    }
    Map<String, Variable<TFloat32>> owners = new HashMap<>();
    trainable.forEach(v -> owners.put(optimizer.name() + "/" + v.path(), v));
    List<Object> state = new ArrayList<>();
    boolean built = false;
    for (String path : order.subList(values.size(), order.size())) {
      Variable<?> variable = byPath.get(path);
      try (TType value = variable != null ? variable.value() : optimizer.restoredValue(path).orElse(null)) {
        if (value != null) {
          built = true;
          state.add(array((TFloat32) value));
        } else {
          Variable<TFloat32> owner = owners.get(path.substring(0, path.lastIndexOf('/')));
          if (owner == null) {
            return values; // an own scalar missing (Nadam's u_product): not built
          }
          state.add(initialSlot(optimizer, path.substring(path.lastIndexOf('/') + 1), owner.shape().asArray()));
        }
      }
    }
    if (built) {
      values.addAll(state);
    }
    // not built (compiled, never trained): Keras then saves iterations and learning_rate only
    return values;
  }

  /** A slot as Keras's build creates it: Adagrad's and Ftrl's accumulators from their initial value, else zeros. */
  private static Object initialSlot(Optimizer optimizer, String slot, long[] shape) {
    float initial = 0f;
    if (slot.equals("accumulator") && optimizer instanceof Adagrad adagrad) {
      initial = adagrad.initialAccumulatorValue();
    } else if (slot.equals("accumulator") && optimizer instanceof Ftrl ftrl) {
      initial = ftrl.initialAccumulatorValue();
    }
    long size = 1;
    for (long d : shape) {
      size *= d;
    }
    float[] flat = new float[Math.toIntExact(size)];
    java.util.Arrays.fill(flat, initial);
    try (TFloat32 value = TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(flat, true, false))) {
      return array(value);
    }
  }

  /**
   * Reads every layer's variables from {@code weights} and checks their count and shapes before
   * assigning any; returns the optimizer state found (tfkeras path → tensor, closed by the
   * caller), empty when the file holds none or holds another optimizer's (skipped with a warning,
   * as Keras does).
   */
  static Map<String, TType> read(Model model, HdfFile weights, Path file, String part) throws KerasFormatException {
    List<Entry> entries = entries(model);
    List<List<float[]>> values = new ArrayList<>();
    for (Entry entry : entries) {
      List<Variable<TFloat32>> variables = entry.layer().weights();
      List<Dataset> stored = datasets(weights, entry.path());
      if (stored.size() != variables.size()) {
        throw new KerasFormatException(
            file + ": layer '" + entry.layer().name() + "' (" + className(entry.layer())
                + ") has " + variables.size() + " variable(s) in the model but " + part + " holds "
                + stored.size() + " at " + entry.path() + ". Load weights saved from the same architecture.");
      }
      List<float[]> layerValues = new ArrayList<>();
      for (int i = 0; i < stored.size(); i++) {
        Shape fileShape = Shape.of(stored.get(i).getDimensionsAsLong());
        Variable<TFloat32> variable = variables.get(i);
        if (!fileShape.equals(variable.shape())) {
          throw new KerasFormatException(
              file + ": layer '" + entry.layer().name() + "' (" + className(entry.layer()) + ") variable " + i + " ('" + variable.path()
                  + "') has shape " + Layer.format(variable.shape()) + " in the model but "
                  + Layer.format(fileShape) + " in " + part + " at " + entry.path() + "/" + i + ".");
        }
        layerValues.add(floats(stored.get(i), file, part, entry.path()));
      }
      values.add(layerValues);
    }
    for (int i = 0; i < entries.size(); i++) {
      if (!values.get(i).isEmpty()) {
        entries.get(i).layer().setWeights(values.get(i));
      }
    }
    return optimizerState(model, weights, file, part);
  }

  static Map<String, TType> optimizerState(Model model, HdfFile weights, Path file, String part)
      throws KerasFormatException {
    List<Dataset> stored = datasets(weights, "optimizer/vars");
    if (stored.isEmpty() || model.compileConfig().isEmpty()) {
      return Map.of();
    }
    Optimizer optimizer = model.optimizer();
    List<String> order = optimizerOrder(optimizer, trainableInKerasOrder(model));
    if (stored.size() == order.size()) {
      order = orderOfFile(order, stored.stream().map(d -> d.getDimensions().length).toList());
    }
    int own = optimizer.learningRateSchedule().isEmpty() ? 2 : 1;
    if (stored.size() != order.size() && stored.size() != own) {
      LOG.warn("Skipping variable loading for optimizer '{}', because it has {} variables whereas the saved"
              + " optimizer in {} ({}) has {} variables. The weights are loaded; the optimizer starts afresh.",
          optimizer.name(), order.size(), file, part, stored.size());
      return Map.of();
    }
    Map<String, TType> state = new LinkedHashMap<>();
    try {
      for (int i = 0; i < stored.size(); i++) {
        Dataset dataset = stored.get(i);
        String path = order.get(i);
        if (i == 0) {
          state.put(path, TInt64.scalarOf(((Number) scalar(dataset, file, part)).longValue()));
        } else if (i == 1 && own == 2) {
          state.put(path, TFloat32.scalarOf(((Number) scalar(dataset, file, part)).floatValue()));
        } else if (dataset.getDimensions().length == 0) { // Nadam's u_product
          state.put(path, TFloat32.scalarOf(((Number) scalar(dataset, file, part)).floatValue()));
        } else {
          float[] flat = floats(dataset, file, part, "optimizer/vars");
          state.put(path, TFloat32.tensorOf(Shape.of(dataset.getDimensionsAsLong()), DataBuffers.of(flat, true, false)));
        }
      }
    } catch (RuntimeException | KerasFormatException e) {
      state.values().forEach(TType::close);
      throw e;
    }
    return state;
  }

  private static Object scalar(Dataset dataset, Path file, String part) throws KerasFormatException {
    Object data = dataset.getData();
    if (data instanceof Number) {
      return data;
    }
    if (data != null && data.getClass().isArray() && Array.getLength(data) == 1) {
      return Array.get(data, 0);
    }
    throw new KerasFormatException(
        file + ": " + part + " holds " + data + " at optimizer/vars/" + dataset.getName()
            + ", expected a scalar (the optimizer's iterations, learning rate or Nadam's u_product).");
  }

  /** The datasets of the group at {@code path} in numeric order; empty if the group is absent. */
  static List<Dataset> datasets(HdfFile weights, String path) {
    Node node = node(weights, path);
    if (node == null && weights.getChildren().containsKey(LAYERS_2_13)) {
      node = node(weights, path.replace("layers", LAYERS_2_13)); // as Keras 3's H5IOStore.get
    }
    if (!(node instanceof Group group)) {
      return List.of();
    }
    List<Dataset> out = new ArrayList<>();
    for (Node child : group.getChildren().values()) {
      if (child instanceof Dataset dataset) {
        out.add(dataset);
      }
    }
    out.sort(Comparator.comparingInt(d -> index(d.getName())));
    return out;
  }

  private static Node node(HdfFile weights, String path) {
    try {
      return weights.getByPath(path);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static int index(String name) {
    try {
      return Integer.parseInt(name);
    } catch (NumberFormatException e) {
      return Integer.MAX_VALUE;
    }
  }

  private static float[] floats(Dataset dataset, Path file, String part, String path) throws KerasFormatException {
    Object flat;
    try {
      flat = dataset.getDataFlat();
    } catch (RuntimeException e) {
      throw new KerasFormatException(file + ": " + part + " is damaged at " + path + "/" + dataset.getName() + ": " + e.getMessage(), e);
    }
    if (flat instanceof float[] floats) {
      return floats;
    }
    if (flat instanceof long[] longs) {
      // an integer variable of Keras's (Normalization's count), held in float32 by tfkeras
      float[] out = new float[longs.length];
      for (int i = 0; i < out.length; i++) {
        out[i] = longs[i];
      }
      return out;
    }
    if (flat instanceof Number number) {
      return new float[] {number.floatValue()};
    }
    if (flat instanceof double[] doubles) {
      float[] out = new float[doubles.length];
      for (int i = 0; i < out.length; i++) {
        out[i] = (float) doubles[i];
      }
      return out;
    }
    throw new KerasFormatException(
        file + ": " + part + " holds " + dataset.getJavaType() + " at " + path + "/" + dataset.getName()
            + "; tfkeras layers and optimizer slots hold float32.");
  }
}
