package dev.tfkeras.models;

import dev.tfkeras.io.FileErrors;
import dev.tfkeras.io.Npy;
import dev.tfkeras.saving.ExportDirectory;
import dev.tfkeras.saving.SavePoints;
import dev.tfkeras.saving.WeightsArchive;
import dev.tfkeras.variables.Variable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Signature;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TType;

/** Weights archives and SavedModel export behind {@code Model.saveWeights/loadWeights/save}. */
final class Saving {

  static final String WEIGHTS_FILE = "weights.npz";
  static final String OPTIMIZER_PREFIX = "optimizer/";
  static final String ASSETS = "assets";

  private Saving() {}

  static void saveWeights(Model model, Path directory) throws IOException {
    Map<String, Npy.Array> arrays = new LinkedHashMap<>();
    for (Variable<TFloat32> weight : model.variables()) {
      try (TFloat32 value = weight.value()) {
        arrays.put(weight.path(), WeightsArchive.toArray(value));
      }
    }
    if (model.isCompiled()) {
      for (Variable<?> state : model.optimizer().variables()) {
        try (TType value = state.value()) {
          arrays.put(OPTIMIZER_PREFIX + state.path(), WeightsArchive.toArray(value));
        }
      }
    }
    if (Files.exists(directory) && !Files.isDirectory(directory)) {
      throw new IOException(
          "Cannot save weights to " + directory + ": it is a regular file, expected a directory (it is"
              + " created if missing). Choose another path.");
    }
    saveAssets(model, directory);
    WeightsArchive.write(directory.resolve(WEIGHTS_FILE), arrays);
  }

  /**
   * Each layer's assets (Keras's {@code save_assets}, e.g. a lookup layer's vocabulary) in {@code
   * directory/assets/<i>-<name>}, {@code i} the layer's place in a depth-first walk of the model:
   * layers are matched by structure when loaded, as weights are.
   */
  private static void saveAssets(Model model, Path directory) throws IOException {
    List<dev.tfkeras.layers.Layer> layers = walk(model);
    for (int i = 0; i < layers.size(); i++) {
      layers.get(i).saveAssets(directory.resolve(ASSETS).resolve(i + "-" + layers.get(i).name()));
    }
  }

  /** Reads back what {@link #saveAssets} wrote, after the weights, as Keras loads assets. */
  private static void loadAssets(Model model, Path directory) throws IOException {
    List<dev.tfkeras.layers.Layer> layers = walk(model);
    Path assets = directory.resolve(ASSETS);
    for (int i = 0; i < layers.size(); i++) {
      Path own = assets.resolve(i + "-" + layers.get(i).name());
      if (!Files.isDirectory(own) && Files.isDirectory(assets)) {
        String prefix = i + "-";
        try (var entries = Files.list(assets)) {
          own = entries.filter(p -> p.getFileName().toString().startsWith(prefix)).findFirst().orElse(own);
        }
      }
      layers.get(i).loadAssets(own);
    }
  }

  /** Every layer the model holds, depth first in first-call order, each once (the model excluded). */
  private static List<dev.tfkeras.layers.Layer> walk(Model model) {
    List<dev.tfkeras.layers.Layer> out = new ArrayList<>();
    java.util.Set<dev.tfkeras.layers.Layer> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    java.util.ArrayDeque<dev.tfkeras.layers.Layer> pending = new java.util.ArrayDeque<>(List.of(model));
    seen.add(model);
    while (!pending.isEmpty()) {
      dev.tfkeras.layers.Layer layer = pending.pop();
      if (layer != model) {
        out.add(layer);
      }
      List<dev.tfkeras.layers.Layer> children = layer.layers();
      for (int i = children.size() - 1; i >= 0; i--) {
        if (seen.add(children.get(i))) {
          pending.push(children.get(i));
        }
      }
    }
    return out;
  }

  /**
   * Checks then assigns the model's weights; returns the optimizer state found (tensors the caller
   * closes), keyed by optimizer variable path.
   */
  static Map<String, TType> loadWeights(Model model, Path directory) throws IOException {
    if (Files.isRegularFile(directory)) {
      throw new IOException(
          "Cannot load weights from " + directory + ": it is a regular file, expected the directory that"
              + " saveWeights or save wrote (holding " + WEIGHTS_FILE + ").");
    }
    ExportDirectory.recover(directory);
    Path file = directory.resolve(WEIGHTS_FILE);
    Map<String, Npy.Array> arrays = WeightsArchive.read(file);
    List<Variable<TFloat32>> weights = model.variables();
    List<String> problems = mismatches(weights, arrays);
    // file path -> model path, when the same architecture was built again under suffixed names
    Map<String, String> renamed = problems.isEmpty() ? Map.of() : matchByOrder(weights, arrays);
    if (renamed == null) {
      throw new IllegalArgumentException(
          "Cannot load weights from " + file + " into model '" + model.name() + "': "
              + problems.size() + " mismatch(es), nothing was loaded:\n  - "
              + String.join("\n  - ", problems));
    }
    Map<String, Npy.Array> byModelPath = new LinkedHashMap<>();
    arrays.forEach((name, array) -> byModelPath.put(renamed.getOrDefault(name, name), array));
    for (Variable<TFloat32> weight : weights) {
      try (TFloat32 value = (TFloat32) WeightsArchive.toTensor(byModelPath.get(weight.path()))) {
        weight.assign(value);
      }
    }
    loadAssets(model, directory);
    Map<String, TType> optimizerState = new LinkedHashMap<>();
    arrays.forEach(
        (name, array) -> {
          if (name.startsWith(OPTIMIZER_PREFIX)) {
            String path = name.substring(OPTIMIZER_PREFIX.length());
            optimizerState.put(renameSlot(path, renamed), WeightsArchive.toTensor(array));
          }
        });
    return optimizerState;
  }

  /** Each weight missing from {@code arrays} or saved with another dtype or shape, and each extra. */
  private static List<String> mismatches(List<Variable<TFloat32>> weights, Map<String, Npy.Array> arrays) {
    List<String> problems = new ArrayList<>();
    for (Variable<TFloat32> weight : weights) {
      Npy.Array saved = arrays.get(weight.path());
      if (saved == null) {
        problems.add(weight.path() + ": missing from the file (the model expects shape "
            + shape(weight.shape().asArray()) + ")");
      } else if (!fits(saved, weight)) {
        problems.add(weight.path() + ": the model expects float32 " + shape(weight.shape().asArray())
            + ", the file holds " + saved.type().name().toLowerCase() + " " + shape(saved.shape()));
      }
    }
    for (String name : arrays.keySet()) {
      if (!name.startsWith(OPTIMIZER_PREFIX) && weights.stream().noneMatch(w -> w.path().equals(name))) {
        problems.add(name + ": in the file but not in the model");
      }
    }
    return problems;
  }

  /**
   * Keras 3's rule: weights match by structure and order, not by name. When the file's weights (in
   * the order saved, which is {@code variables()} order) are as many as the model's and each has
   * the shape of the model's weight at its place, maps each file path to the model's path; else
   * null. This loads a file into the same architecture built again in one process, whose layers
   * are then named {@code dense_2}... instead of {@code dense}.
   */
  private static Map<String, String> matchByOrder(
      List<Variable<TFloat32>> weights, Map<String, Npy.Array> arrays) {
    List<String> saved = arrays.keySet().stream().filter(n -> !n.startsWith(OPTIMIZER_PREFIX)).toList();
    if (saved.size() != weights.size()) {
      return null;
    }
    Map<String, String> renamed = new LinkedHashMap<>();
    for (int i = 0; i < saved.size(); i++) {
      if (!fits(arrays.get(saved.get(i)), weights.get(i))) {
        return null;
      }
      renamed.put(saved.get(i), weights.get(i).path());
    }
    return renamed;
  }

  private static boolean fits(Npy.Array saved, Variable<TFloat32> weight) {
    return saved.type() == Npy.DType.FLOAT32 && Arrays.equals(saved.shape(), weight.shape().asArray());
  }

  /**
   * An optimizer slot's path ({@code adam/<weight path>/m}) with its weight path renamed as the
   * weights were; the optimizer's own state ({@code adam/iterations}) is unchanged.
   */
  private static String renameSlot(String path, Map<String, String> renamed) {
    int first = path.indexOf('/');
    int last = path.lastIndexOf('/');
    if (renamed.isEmpty() || first < 0 || last <= first) {
      return path;
    }
    String weight = renamed.get(path.substring(first + 1, last));
    return weight == null ? path : path.substring(0, first + 1) + weight + path.substring(last);
  }

  static void saveModel(Model model, Path directory) throws IOException {
    Signature signature = servingSignature(model);
    ExportDirectory.write(
        directory,
        staging -> {
          exportSavedModel(model, signature, staging);
          SavePoints.reach(SavePoints.EXPORT_SAVED_MODEL_WRITTEN, staging);
          saveWeights(model, staging);
        });
  }

  /**
   * {@code serving_default}: one input is named {@code inputs}; a functional model's several inputs
   * are named after their input layers; the output is {@code output_0}.
   */
  private static Signature servingSignature(Model model) {
    List<Shape> shapes = model.inputShapes();
    List<String> names = new java.util.ArrayList<>();
    List<Class<? extends TType>> types = new java.util.ArrayList<>();
    for (int i = 0; i < shapes.size(); i++) {
      if (model instanceof Functional functional) {
        names.add(shapes.size() == 1 ? "inputs" : functional.inputs().get(i).node().layer().name());
        types.add(functional.inputs().get(i).dtype());
      } else {
        names.add(shapes.size() == 1 ? "inputs" : "inputs_" + i);
        types.add(
            model instanceof Sequential sequential && sequential.declaredInput() != null
                ? sequential.declaredInput().dtype()
                : TFloat32.class);
      }
    }
    List<TType> examples = new java.util.ArrayList<>();
    try {
      for (int i = 0; i < shapes.size(); i++) {
        long[] dims = shapes.get(i).asArray();
        dims[0] = 1;
        examples.add(example(types.get(i), Shape.of(dims)));
      }
      return model.predictFunction()
          .signature("serving_default", names, "output_0", examples.toArray(new TType[0]));
    } finally {
      examples.forEach(TType::close);
    }
  }

  /** A tensor of {@code shape} to trace the signature with: zeros, or empty strings. */
  private static TType example(Class<? extends TType> type, Shape shape) {
    if (type == org.tensorflow.types.TString.class) {
      String[] empty = new String[(int) shape.size()];
      Arrays.fill(empty, "");
      return org.tensorflow.types.TString.tensorOf(shape, org.tensorflow.ndarray.buffer.DataBuffers.ofObjects(empty));
    }
    return org.tensorflow.Tensor.of(type, shape);
  }

  /** The SavedModel part of an export; TensorFlow's failures become IOExceptions naming the path. */
  private static void exportSavedModel(Model model, Signature signature, Path staging) throws IOException {
    org.tensorflow.op.Op tables = model.runtime().exportInitializer();
    try {
      SavedModelBundle.exporter(staging.toString())
          .withFunction(model.runtime().session().function(signature))
          .export();
    } catch (IOException e) {
      throw FileErrors.explain(e, "write the SavedModel to", staging.resolve("saved_model.pb"));
    } catch (TensorFlowException e) {
      throw new IOException(
          "Cannot write the SavedModel's variables to " + staging.resolve("variables") + ": "
              + firstLine(e.getMessage()),
          e);
    }
    if (tables != null) {
      dev.tfkeras.saving.SavedModelInit.register(staging, tables.op().name());
    }
  }

  /** TensorFlow's message without the node and hint lines it appends. */
  private static String firstLine(String message) {
    if (message == null || message.isBlank()) {
      return "TensorFlow gave no reason";
    }
    return message.strip().lines().findFirst().orElse(message).strip();
  }

  private static String shape(long[] dims) {
    return dev.tfkeras.layers.Layer.format(Shape.of(dims));
  }
}
