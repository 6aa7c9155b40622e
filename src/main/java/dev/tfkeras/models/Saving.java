package dev.tfkeras.models;

import dev.tfkeras.io.Npy;
import dev.tfkeras.saving.WeightsArchive;
import dev.tfkeras.variables.Variable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TType;

/** Weights archives and SavedModel export behind {@code Model.saveWeights/loadWeights/save}. */
final class Saving {

  static final String WEIGHTS_FILE = "weights.npz";
  static final String OPTIMIZER_PREFIX = "optimizer/";

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
    Files.createDirectories(directory);
    WeightsArchive.write(directory.resolve(WEIGHTS_FILE), arrays);
  }

  /**
   * Checks then assigns the model's weights; returns the optimizer state found (tensors the caller
   * closes), keyed by optimizer variable path.
   */
  static Map<String, TType> loadWeights(Model model, Path directory) throws IOException {
    Path file = directory.resolve(WEIGHTS_FILE);
    Map<String, Npy.Array> arrays = WeightsArchive.read(file);
    List<String> problems = new ArrayList<>();
    List<Variable<TFloat32>> weights = model.variables();
    for (Variable<TFloat32> weight : weights) {
      Npy.Array saved = arrays.get(weight.path());
      if (saved == null) {
        problems.add(weight.path() + ": missing from the file (the model expects shape "
            + shape(weight.shape().asArray()) + ")");
      } else if (saved.type() != Npy.DType.FLOAT32 || !Arrays.equals(saved.shape(), weight.shape().asArray())) {
        problems.add(weight.path() + ": the model expects float32 " + shape(weight.shape().asArray())
            + ", the file holds " + saved.type().name().toLowerCase() + " " + shape(saved.shape()));
      }
    }
    for (String name : arrays.keySet()) {
      if (!name.startsWith(OPTIMIZER_PREFIX) && weights.stream().noneMatch(w -> w.path().equals(name))) {
        problems.add(name + ": in the file but not in the model");
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot load weights from " + file + " into model '" + model.name() + "': "
              + problems.size() + " mismatch(es), nothing was loaded:\n  - "
              + String.join("\n  - ", problems));
    }
    for (Variable<TFloat32> weight : weights) {
      try (TFloat32 value = (TFloat32) WeightsArchive.toTensor(arrays.get(weight.path()))) {
        weight.assign(value);
      }
    }
    Map<String, TType> optimizerState = new LinkedHashMap<>();
    arrays.forEach(
        (name, array) -> {
          if (name.startsWith(OPTIMIZER_PREFIX)) {
            optimizerState.put(name.substring(OPTIMIZER_PREFIX.length()), WeightsArchive.toTensor(array));
          }
        });
    return optimizerState;
  }

  static void saveModel(Model model, Path directory) throws IOException {
    Path target = directory.toAbsolutePath();
    Path parent = target.getParent();
    Files.createDirectories(parent);
    Path staging = Files.createTempDirectory(parent, target.getFileName() + ".saving-");
    try {
      Shape input = model.inputShape();
      long[] dims = input.asArray();
      dims[0] = 1;
      Signature signature;
      try (TFloat32 example = TFloat32.tensorOf(Shape.of(dims))) {
        signature =
            model.predictFunction().signature("serving_default", List.of("inputs"), "output_0", example);
      }
      SavedModelBundle.exporter(staging.toString())
          .withFunction(model.runtime().session().function(signature))
          .export();
      saveWeights(model, staging);
      replace(staging, target);
    } finally {
      deleteRecursively(staging);
    }
  }

  /** Moves {@code staging} to {@code target}, keeping the old target until the move succeeded. */
  private static void replace(Path staging, Path target) throws IOException {
    if (!Files.exists(target)) {
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
      return;
    }
    Path old = Files.createTempDirectory(target.getParent(), target.getFileName() + ".old-");
    Files.delete(old);
    Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
    try {
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);
      throw e;
    }
    deleteRecursively(old);
  }

  private static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static String shape(long[] dims) {
    return dev.tfkeras.layers.Layer.format(Shape.of(dims));
  }
}
