package dev.tfkeras.saving.keras;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.tfkeras.io.FileErrors;
import dev.tfkeras.layers.Layer;
import dev.tfkeras.models.Model;
import dev.tfkeras.optimizers.Optimizer;
import dev.tfkeras.variables.Variable;
import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
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
 * The legacy HDF5 full-model format ({@code model.save("m.h5")} in tf.keras 2.x, and Keras 3's
 * legacy writer), read as Keras 3's {@code legacy_h5_format.load_model_from_hdf5} reads it: the
 * root attribute {@code model_config} (a Keras 2 config, rewritten by {@link KerasLegacyConfig});
 * weights in {@code model_weights/<layer>/}, the layers that hold weights matched in order with
 * the groups of {@code layer_names} whose {@code weight_names} is not empty, each layer's values in
 * the order of its group's {@code weight_names} (trainable weights, then non-trainable: Keras's
 * {@code _legacy_weights}); {@code training_config} compiles the model; {@code optimizer_weights}
 * restores the optimizer's state when every saved variable maps onto one of tfkeras's optimizer,
 * else a warning says the optimizer starts afresh, as Keras says it.
 */
final class KerasLegacyH5 {

  private static final Logger LOG = LogManager.getLogger(KerasLegacyH5.class);

  private final Path file;
  private final HdfFile hdf;
  /** Each variable loaded, with its name in the file ({@code dense_6/kernel}, without {@code :0}). */
  private final Map<Variable<TFloat32>, String> fileNames = new IdentityHashMap<>();

  private KerasLegacyH5(Path file, HdfFile hdf) {
    this.file = file;
    this.hdf = hdf;
  }

  /**
   * The model saved in a legacy {@code .h5} file, with its weights, compiled as its {@code
   * training_config} says and its optimizer's state restored. Nothing built escapes a failure.
   *
   * @throws KerasFormatException naming the file, the part and the layer
   */
  static Model load(Path file) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw FileErrors.explain(e, "read", file);
    }
    HdfFile hdf;
    try {
      hdf = HdfFile.fromBytes(bytes);
      hdf.getChildren();
    } catch (RuntimeException e) {
      throw new KerasFormatException(file + " is damaged and cannot be read as HDF5: " + e.getMessage(), e);
    }
    try (hdf) {
      return new KerasLegacyH5(file, hdf).read();
    }
  }

  private Model read() throws KerasFormatException {
    String text = stringAttribute(hdf, "model_config");
    if (text == null) {
      throw new KerasFormatException(
          "No model config found in the file at " + file + ": its root has no model_config attribute,"
              + " so it holds weights only (model.save_weights). Build the model in tfkeras and load"
              + " them into it, or save the whole model in Keras (model.save(\"model.keras\")).");
    }
    JsonObject config;
    try {
      JsonElement parsed = JsonParser.parseString(text);
      if (!parsed.isJsonObject()) {
        throw new KerasFormatException(file + ": its model_config attribute is not a JSON object.");
      }
      config = parsed.getAsJsonObject();
    } catch (JsonParseException e) {
      throw new KerasFormatException(file + ": its model_config attribute is not valid JSON: " + e.getMessage(), e);
    }
    Model model = null;
    try {
      model = KerasModelReader.build(KerasLegacyConfig.convert(config), "model_config");
      loadWeights(model);
      compile(model);
      return model;
    } catch (RuntimeException | KerasFormatException e) {
      if (model != null) {
        model.close();
      }
      if (e instanceof KerasFormatException k) {
        throw k;
      }
      throw new KerasFormatException(file + " (legacy .h5, model_config): " + e.getMessage(), e);
    }
  }

  // ---- weights ----------------------------------------------------------------------------------

  /** Keras's {@code _legacy_weights}: trainable weights, then non-trainable ones. */
  static List<Variable<TFloat32>> legacyWeights(Layer layer) {
    List<Variable<TFloat32>> out = new ArrayList<>(layer.trainableVariables());
    out.addAll(layer.nonTrainableVariables());
    return out;
  }

  private void loadWeights(Model model) throws KerasFormatException {
    Group group = group("model_weights");
    if (group == null) {
      throw new KerasFormatException(
          file + " lacks the group model_weights, where a legacy .h5 model keeps its weights.");
    }
    List<Layer> layers = model.layers().stream().filter(l -> !legacyWeights(l).isEmpty()).toList();
    List<String> names = new ArrayList<>();
    for (String name : strings(group, "layer_names")) {
      Group layerGroup = child(group, name);
      if (layerGroup == null) {
        throw new KerasFormatException(
            file + ": model_weights lists layer '" + name + "' in layer_names but has no group of that name.");
      }
      if (!strings(layerGroup, "weight_names").isEmpty()) {
        names.add(name);
      }
    }
    if (names.size() != layers.size()) {
      throw new KerasFormatException(
          file + ": layer count mismatch when loading weights: the model built from model_config has "
              + layers.size() + " layer(s) with weights " + layers.stream().map(Layer::name).toList()
              + " but model_weights holds " + names.size() + " " + names + ". The file's config and"
              + " weights do not describe the same model; save it again in Keras.");
    }
    Map<Variable<TFloat32>, float[]> values = new IdentityHashMap<>();
    for (int k = 0; k < layers.size(); k++) {
      Layer layer = layers.get(k);
      Group layerGroup = child(group, names.get(k));
      List<String> weightNames = strings(layerGroup, "weight_names");
      List<Variable<TFloat32>> variables = legacyWeights(layer);
      if (weightNames.size() != variables.size()) {
        throw new KerasFormatException(
            file + ": weight count mismatch for layer #" + k + " (named " + layer.name() + " in the model, "
                + names.get(k) + " in model_weights): the layer expects " + variables.size()
                + " weight(s), the file holds " + weightNames.size() + " " + weightNames + ".");
      }
      for (int i = 0; i < variables.size(); i++) {
        String path = "model_weights/" + names.get(k) + "/" + weightNames.get(i);
        Dataset dataset = dataset(path);
        Variable<TFloat32> variable = variables.get(i);
        Shape shape = Shape.of(dataset.getDimensionsAsLong());
        if (!shape.equals(variable.shape())) {
          throw new KerasFormatException(
              file + ": shape mismatch in layer #" + k + " (named " + layer.name() + ") for weight "
                  + variable.path() + ": the weight expects shape " + Layer.format(variable.shape())
                  + ", the file holds " + Layer.format(shape) + " at " + path + ".");
        }
        values.put(variable, floats(dataset, path));
        fileNames.put(variable, stripSuffix(weightNames.get(i)));
      }
    }
    Group top = child(group, "top_level_model_weights");
    if (top != null && !strings(top, "weight_names").isEmpty()) {
      throw new KerasFormatException(
          file + ": model_weights/top_level_model_weights holds " + strings(top, "weight_names")
              + ", weights of the model itself, which tfkeras models do not have (their weights"
              + " belong to layers).");
    }
    for (Layer layer : layers) {
      layer.setWeights(layer.weights().stream().map(values::get).toList());
    }
  }

  // ---- compile and optimizer --------------------------------------------------------------------

  private void compile(Model model) throws KerasFormatException {
    String text = stringAttribute(hdf, "training_config");
    if (text == null) {
      LOG.warn("{}: No training configuration found in the save file, so the model was *not* compiled."
          + " Compile it manually.", file);
      return;
    }
    JsonObject training;
    try {
      training = JsonParser.parseString(text).getAsJsonObject();
    } catch (RuntimeException e) {
      throw new KerasFormatException(file + ": its training_config attribute is not a JSON object: " + e.getMessage(), e);
    }
    try {
      KerasCompile.apply(model, compileConfig(training));
    } catch (RuntimeException e) {
      LOG.warn("{}: compile() was not called as part of model loading: training_config cannot be applied"
          + " ({}). The model and its weights are loaded; compile it yourself to train it.", file, e.getMessage());
      return;
    }
    Group group = group("optimizer_weights");
    if (group == null) {
      return;
    }
    Map<String, TType> state = new LinkedHashMap<>();
    try {
      String problem = optimizerState(model, group, state);
      if (problem != null) {
        state.values().forEach(TType::close);
        state.clear();
        LOG.warn("{}: Error in loading the saved optimizer state ({}). As a result, your model is starting"
            + " with a freshly initialized optimizer.", file, problem);
        return;
      }
      model.optimizer().restoreState(state);
    } finally {
      state.values().forEach(TType::close);
    }
  }

  /** tf.keras's {@code training_config} as Keras 3's {@code compile_config} ({@code compile_args_from_training_config}). */
  private static JsonObject compileConfig(JsonObject training) {
    JsonObject out = new JsonObject();
    JsonElement optimizer = training.get("optimizer_config");
    if (optimizer != null && optimizer.isJsonObject()) {
      JsonObject o = optimizer.getAsJsonObject().deepCopy();
      JsonObject c = o.has("config") && o.get("config").isJsonObject() ? o.getAsJsonObject("config") : new JsonObject();
      if (c.has("lr") && !c.has("learning_rate")) {
        c.add("learning_rate", c.get("lr")); // Keras 2.2's name
      }
      c.remove("lr");
      if (c.has("decay") && c.get("decay").isJsonPrimitive() && c.get("decay").getAsDouble() != 0) {
        LOG.warn("Argument `decay` is no longer supported and will be ignored (the saved optimizer has decay={}).", c.get("decay"));
      }
      c.remove("decay");
      optimizer = o;
    }
    out.add("optimizer", optimizer);
    for (String key : new String[] {"loss", "metrics", "loss_weights", "weighted_metrics"}) {
      if (training.has(key)) {
        out.add(key, training.get(key));
      }
    }
    return out;
  }

  /**
   * Fills {@code state} (tfkeras optimizer path → value) from {@code optimizer_weights}; returns
   * why it cannot be restored, or null. Names are read as tf.keras 2 writes them ({@code Adam/iter:0},
   * {@code Adam/dense/kernel/m:0}; tf.keras 2.11+: {@code Adam/m/dense/kernel:0}); Keras 3's legacy
   * writer's variables are taken in order when their count is Keras 3's.
   */
  private String optimizerState(Model model, Group group, Map<String, TType> state) throws KerasFormatException {
    Optimizer optimizer = model.optimizer();
    String prefix = optimizer.name() + "/";
    List<Variable<TFloat32>> trainable = model.trainableVariables();
    List<String> order = KerasWeights.optimizerOrder(optimizer, trainable);
    Map<String, Variable<TFloat32>> byFileName = new HashMap<>();
    for (Variable<TFloat32> v : trainable) {
      byFileName.put(fileNames.get(v), v);
    }
    List<String> names = strings(group, "weight_names");
    Map<String, String> keys = new LinkedHashMap<>(); // file name → tfkeras path
    for (String name : names) {
      String key = tfkerasPath(stripSuffix(name), prefix, byFileName, optimizer);
      if (key == null || !order.contains(key) || keys.containsValue(key)) {
        keys = null;
        break;
      }
      keys.put(name, key);
    }
    if (keys == null) {
      boolean keras3 = !names.isEmpty() && names.get(0).endsWith("/iteration")
          && (names.size() < 2 || !order.contains(prefix + "learning_rate") || names.get(1).endsWith("/learning_rate"));
      if (!keras3 || names.size() != order.size()) {
        return "the file's optimizer_weights " + names + " do not map onto the " + order.size()
            + " variables of tfkeras's " + optimizer.getClass().getSimpleName();
      }
      keys = new LinkedHashMap<>(); // Keras 3's legacy writer: its variables in Keras's order
      List<Integer> ranks = new ArrayList<>();
      for (String name : names) {
        ranks.add(dataset("optimizer_weights/" + name).getDimensions().length);
      }
      List<String> fileOrder = KerasWeights.orderOfFile(order, ranks);
      for (int i = 0; i < names.size(); i++) {
        keys.put(names.get(i), fileOrder.get(i));
      }
    }
    List<String> slots = order.stream().filter(p -> !p.equals(prefix + "iterations") && !p.equals(prefix + "learning_rate")).toList();
    if (!keys.values().containsAll(slots)) {
      return "the file holds " + keys.size() + " optimizer variable(s) but tfkeras's "
          + optimizer.getClass().getSimpleName() + " needs " + slots.size() + " slot(s) besides iterations";
    }
    for (Map.Entry<String, String> entry : keys.entrySet()) {
      String path = "optimizer_weights/" + entry.getKey();
      Dataset dataset = dataset(path);
      String key = entry.getValue();
      if (key.equals(prefix + "iterations")) {
        state.put(key, TInt64.scalarOf(((Number) scalar(dataset, path)).longValue()));
      } else if (key.equals(prefix + "learning_rate") || key.equals(prefix + "u_product")) {
        state.put(key, TFloat32.scalarOf(((Number) scalar(dataset, path)).floatValue()));
      } else {
        Shape shape = Shape.of(dataset.getDimensionsAsLong());
        Shape expected = variableOf(key, trainable, prefix).shape();
        if (!shape.equals(expected)) {
          return path + " has shape " + Layer.format(shape) + ", its variable " + Layer.format(expected);
        }
        state.put(key, TFloat32.tensorOf(shape, DataBuffers.of(floats(dataset, path), true, false)));
      }
    }
    return null;
  }

  private static Variable<TFloat32> variableOf(String key, List<Variable<TFloat32>> trainable, String prefix) {
    for (Variable<TFloat32> v : trainable) {
      if (key.startsWith(prefix + v.path() + "/") && key.indexOf('/', (prefix + v.path() + "/").length()) < 0) {
        return v;
      }
    }
    throw new IllegalStateException("No trainable variable for optimizer slot " + key);
  }

  /**
   * The tfkeras optimizer path of a tf.keras optimizer weight name, or null: {@code Adam/iter},
   * {@code Adam/dense/kernel/m} (tf.keras 2's OptimizerV2), {@code iteration}, {@code
   * m/dense/kernel} with or without the optimizer's name first (tf.keras 2.11+'s optimizers).
   */
  private static String tfkerasPath(String name, String prefix, Map<String, Variable<TFloat32>> byFileName, Optimizer optimizer) {
    int slash = name.indexOf('/');
    for (String rest : slash < 0 ? List.of(name) : List.of(name.substring(slash + 1), name)) {
      if (rest.equals("iter") || rest.equals("iteration") || rest.equals("iterations")) {
        return prefix + "iterations";
      }
      if (rest.equals("learning_rate")) {
        return prefix + "learning_rate";
      }
      int last = rest.lastIndexOf('/');
      if (last > 0 && byFileName.containsKey(rest.substring(0, last))) { // dense/kernel/m
        String slot = slot(rest.substring(last + 1), optimizer);
        if (slot != null) {
          return prefix + byFileName.get(rest.substring(0, last)).path() + "/" + slot;
        }
      }
      int first = rest.indexOf('/');
      if (first > 0 && byFileName.containsKey(rest.substring(first + 1))) { // m/dense/kernel
        String slot = slot(rest.substring(0, first), optimizer);
        if (slot != null) {
          return prefix + byFileName.get(rest.substring(first + 1)).path() + "/" + slot;
        }
      }
    }
    return null;
  }

  /**
   * tf.keras's slot names as tfkeras's, for tf.keras 2's OptimizerV2 and tf.keras 2.11+'s
   * optimizers: Adam m, v, vhat; SGD momentum (2.11+: m); RMSprop rms, momentum, mg (2.11+:
   * velocity, momentum, average_gradient); Adagrad accumulator; Adadelta accum_grad, accum_var
   * (2.11+: accumulated_grad, accumulated_delta_var); Adamax m, v (2.11+: m, u; the infinity norm
   * is tfkeras's norm); Ftrl accumulator, linear; Lion m. Nadam's running product has no slot
   * name, so only a Keras 3 file's order restores a Nadam's state.
   */
  private static String slot(String name, Optimizer optimizer) {
    if (optimizer instanceof dev.tfkeras.optimizers.SGD) {
      return name.equals("momentum") || name.equals("m") ? "momentum" : null;
    }
    if (optimizer instanceof dev.tfkeras.optimizers.RMSprop) {
      return switch (name) {
        case "rms", "velocity" -> "velocity";
        case "momentum" -> "momentum";
        case "mg", "average_gradient" -> "average_gradient";
        default -> null;
      };
    }
    if (optimizer instanceof dev.tfkeras.optimizers.Adagrad) {
      return name.equals("accumulator") ? name : null;
    }
    if (optimizer instanceof dev.tfkeras.optimizers.Adadelta) {
      return switch (name) {
        case "accum_grad", "accumulated_grad" -> "accumulated_grad";
        case "accum_var", "accumulated_delta_var" -> "accumulated_delta_var";
        default -> null;
      };
    }
    if (optimizer instanceof dev.tfkeras.optimizers.Adamax) {
      return switch (name) {
        case "m" -> "momentum";
        case "v", "u" -> "norm";
        default -> null;
      };
    }
    if (optimizer instanceof dev.tfkeras.optimizers.Ftrl) {
      return name.equals("accumulator") || name.equals("linear") ? name : null;
    }
    if (optimizer instanceof dev.tfkeras.optimizers.Lion) {
      return name.equals("m") ? "momentum" : null;
    }
    if (optimizer instanceof dev.tfkeras.optimizers.Adam) {
      return switch (name) {
        case "m", "v" -> name;
        case "vhat", "v_hat" -> "v_hat";
        default -> null;
      };
    }
    return null;
  }

  // ---- HDF5 -------------------------------------------------------------------------------------

  private Group group(String path) {
    Node node;
    try {
      node = hdf.getByPath(path);
    } catch (RuntimeException e) {
      return null;
    }
    return node instanceof Group g ? g : null;
  }

  private static Group child(Group group, String name) {
    Node node = group.getChildren().get(name);
    return node instanceof Group g ? g : null;
  }

  private Dataset dataset(String path) throws KerasFormatException {
    Node node;
    try {
      node = hdf.getByPath(path);
    } catch (RuntimeException e) {
      node = null;
    }
    if (!(node instanceof Dataset dataset)) {
      throw new KerasFormatException(file + " lacks the dataset " + path + ", which its weight_names list.");
    }
    return dataset;
  }

  private static String stripSuffix(String name) {
    return name.endsWith(":0") ? name.substring(0, name.length() - 2) : name;
  }

  private String stringAttribute(Node node, String name) throws KerasFormatException {
    Attribute attribute = node.getAttribute(name);
    if (attribute == null) {
      return null;
    }
    Object data = attribute.getData();
    if (data instanceof String s) {
      return s;
    }
    if (data instanceof byte[] bytes) {
      return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }
    throw new KerasFormatException(file + ": its " + name + " attribute is " + data + ", expected a JSON string.");
  }

  /**
   * A list-of-strings attribute ({@code layer_names}, {@code weight_names}), read whole or from the
   * chunks Keras writes when it is too large for one HDF5 attribute ({@code weight_names0, 1...}).
   */
  private List<String> strings(Node node, String name) throws KerasFormatException {
    List<String> out = new ArrayList<>();
    if (node.getAttribute(name) != null) {
      addStrings(node, name, out);
      return out;
    }
    for (int chunk = 0; node.getAttribute(name + chunk) != null; chunk++) {
      addStrings(node, name + chunk, out);
    }
    return out;
  }

  private void addStrings(Node node, String name, List<String> out) throws KerasFormatException {
    Object data = node.getAttribute(name).getData();
    if (data == null) {
      return; // an empty list
    }
    if (data instanceof String s) {
      out.add(s);
      return;
    }
    if (data.getClass().isArray()) {
      for (int i = 0; i < Array.getLength(data); i++) {
        Object item = Array.get(data, i);
        out.add(item instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.UTF_8) : String.valueOf(item));
      }
      return;
    }
    throw new KerasFormatException(
        file + ": attribute " + name + " of " + node.getPath() + " is " + data + ", expected a list of names.");
  }

  private Object scalar(Dataset dataset, String path) throws KerasFormatException {
    Object data = dataset.getData();
    if (data instanceof Number) {
      return data;
    }
    if (data != null && data.getClass().isArray() && Array.getLength(data) == 1) {
      return Array.get(data, 0);
    }
    throw new KerasFormatException(file + ": " + path + " holds " + data + ", expected a scalar.");
  }

  private float[] floats(Dataset dataset, String path) throws KerasFormatException {
    Object flat;
    try {
      flat = dataset.getDataFlat();
    } catch (RuntimeException e) {
      throw new KerasFormatException(file + " is damaged at " + path + ": " + e.getMessage(), e);
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
    throw new KerasFormatException(
        file + " holds " + dataset.getJavaType() + " at " + path + "; tfkeras layers and optimizer slots hold float32.");
  }
}
