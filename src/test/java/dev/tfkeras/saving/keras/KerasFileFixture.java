package dev.tfkeras.saving.keras;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes small Keras 3 {@code .keras} files for tests, laid out as Keras 3's saving_lib writes
 * them: a zip of metadata.json, config.json and model.weights.h5 with {@code layers/<name>/vars/<i>}.
 */
final class KerasFileFixture {

  /** A Sequential: Input(4) → Dense(3, relu) 'dense' → Dense(2, softmax) 'dense_1', as Keras 3.11 writes it. */
  static final String SEQUENTIAL_CONFIG = """
      {"module": "keras", "class_name": "Sequential", "config": {"name": "sequential", "trainable": true,
       "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": null},
       "layers": [
        {"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [null, 4], "dtype": "float32", "sparse": false, "ragged": false, "name": "input_layer"}, "registered_name": null},
        {"module": "keras.layers", "class_name": "%s", "config": {"name": "dense", "trainable": true, "dtype": "float32", "units": 3, "activation": "relu", "use_bias": true,
          "kernel_initializer": {"module": "keras.initializers", "class_name": "GlorotUniform", "config": {"seed": null}, "registered_name": null},
          "bias_initializer": {"module": "keras.initializers", "class_name": "Zeros", "config": {}, "registered_name": null},
          "kernel_regularizer": null, "bias_regularizer": null, "kernel_constraint": null, "bias_constraint": null%s}, "registered_name": null, "build_config": {"input_shape": [null, 4]}},
        {"module": "keras.layers", "class_name": "Dense", "config": {"name": "dense_1", "trainable": true, "dtype": "float32", "units": 2, "activation": "softmax", "use_bias": true,
          "kernel_initializer": null, "bias_initializer": null, "kernel_regularizer": null, "bias_regularizer": null, "kernel_constraint": null, "bias_constraint": null}, "registered_name": null}
       ], "build_input_shape": [null, 4]}, "registered_name": null, "build_config": {"input_shape": [null, 4]}}
      """;

  static final float[][] KERNEL = {{0.1f, -0.2f, 0.3f}, {0.4f, 0.5f, -0.6f}, {-0.7f, 0.8f, 0.9f}, {1.0f, -1.1f, 1.2f}};
  static final float[] BIAS = {0.01f, 0.02f, 0.03f};
  static final float[][] KERNEL_1 = {{0.5f, -0.5f}, {0.25f, 0.75f}, {-1f, 1f}};
  static final float[] BIAS_1 = {0.1f, -0.1f};

  static String sequentialConfig() {
    return SEQUENTIAL_CONFIG.formatted("Dense", "");
  }

  static Map<String, List<Object>> sequentialWeights() {
    Map<String, List<Object>> weights = new LinkedHashMap<>();
    weights.put("layers/dense/vars", List.of(KERNEL, BIAS));
    weights.put("layers/dense_1/vars", List.of(KERNEL_1, BIAS_1));
    return weights;
  }

  /** Writes a .keras zip with this config and these weights (group path → datasets 0, 1, ...). */
  static Path write(Path file, String config, Map<String, List<Object>> weights) throws IOException {
    return write(file, config, weights, "3.11.3");
  }

  /** As {@link #write(Path, String, Map)}, with this {@code keras_version} in metadata.json. */
  static Path write(Path file, String config, Map<String, List<Object>> weights, String kerasVersion) throws IOException {
    Path h5 = Files.createTempFile("weights", ".h5");
    try {
      try (WritableHdfFile hdf = HdfFile.write(h5)) {
        Map<String, WritableGroup> groups = new LinkedHashMap<>();
        for (Map.Entry<String, List<Object>> entry : weights.entrySet()) {
          WritableGroup group = null;
          StringBuilder path = new StringBuilder();
          for (String part : entry.getKey().split("/")) {
            path.append('/').append(part);
            WritableGroup parent = group;
            group = groups.computeIfAbsent(path.toString(),
                p -> parent == null ? hdf.putGroup(part) : parent.putGroup(part));
          }
          for (int i = 0; i < entry.getValue().size(); i++) {
            group.putDataset(Integer.toString(i), entry.getValue().get(i));
          }
        }
      }
      return zip(file, config, Files.readAllBytes(h5), kerasVersion);
    } finally {
      Files.deleteIfExists(h5);
    }
  }

  static Path zip(Path file, String config, byte[] h5) throws IOException {
    return zip(file, config, h5, "3.11.3");
  }

  static Path zip(Path file, String config, byte[] h5, String kerasVersion) throws IOException {
    try (OutputStream out = Files.newOutputStream(file);
        ZipOutputStream zip = new ZipOutputStream(out)) {
      put(zip, "metadata.json", ("{\"keras_version\": \"" + kerasVersion + "\", \"date_saved\": \"2025-11-06@10:42:16\"}").getBytes(StandardCharsets.UTF_8));
      put(zip, "config.json", config.getBytes(StandardCharsets.UTF_8));
      put(zip, "model.weights.h5", h5);
    }
    return file;
  }

  private static void put(ZipOutputStream zip, String name, byte[] data) throws IOException {
    zip.putNextEntry(new ZipEntry(name));
    zip.write(data);
    zip.closeEntry();
  }

  private KerasFileFixture() {}
}
