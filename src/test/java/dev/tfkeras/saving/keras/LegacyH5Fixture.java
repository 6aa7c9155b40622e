package dev.tfkeras.saving.keras;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes small legacy {@code .h5} full models for tests, laid out as tf.keras 2.x's {@code
 * hdf5_format.save_model_to_hdf5} writes them: root attributes {@code model_config}, {@code
 * training_config}, {@code keras_version}, {@code backend}; {@code model_weights} with {@code
 * layer_names}, one group per layer with its {@code weight_names} and datasets at those names
 * ({@code dense_1/kernel:0}); {@code optimizer_weights} likewise.
 */
final class LegacyH5Fixture {

  /** Input(3) → Dense(2) 'dense_1' → BatchNormalization(axis=[1]) 'batch_normalization_1', as tf.keras 2.13 writes it. */
  static final String FUNCTIONAL_CONFIG = """
      {"class_name": "Functional", "config": {"name": "model", "layers": [
        {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 3], "dtype": "float32", "sparse": false, "ragged": false, "name": "input_1"}, "name": "input_1", "inbound_nodes": []},
        {"class_name": "Dense", "config": {"name": "dense_1", "trainable": true, "dtype": "float32", "units": 2, "activation": "linear", "use_bias": true,
          "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": null}}, "bias_initializer": {"class_name": "Zeros", "config": {}},
          "kernel_regularizer": null, "bias_regularizer": null, "activity_regularizer": null, "kernel_constraint": null, "bias_constraint": null},
         "name": "dense_1", "inbound_nodes": [[["input_1", 0, 0, {}]]]},
        {"class_name": "BatchNormalization", "config": {"name": "batch_normalization_1", "trainable": true, "dtype": "float32", "axis": [1], "momentum": 0.99, "epsilon": 0.001, "center": true, "scale": true,
          "beta_initializer": {"class_name": "Zeros", "config": {}}, "gamma_initializer": {"class_name": "Ones", "config": {}},
          "moving_mean_initializer": {"class_name": "Zeros", "config": {}}, "moving_variance_initializer": {"class_name": "Ones", "config": {}},
          "beta_regularizer": null, "gamma_regularizer": null, "beta_constraint": null, "gamma_constraint": null},
         "name": "batch_normalization_1", "inbound_nodes": [[["dense_1", 0, 0, {}]]]}],
       "input_layers": [["input_1", 0, 0]], "output_layers": [["batch_normalization_1", 0, 0]]}}
      """;

  static final String SGD_TRAINING_CONFIG = """
      {"loss": "mean_squared_error", "metrics": null, "weighted_metrics": null, "loss_weights": null,
       "optimizer_config": {"class_name": "SGD", "config": {"name": "SGD", "learning_rate": 0.009999999776482582, "decay": 0.0, "momentum": 0.8999999761581421, "nesterov": false}}}
      """;

  static final float[][] KERNEL = {{1, 2}, {3, 4}, {5, 6}};
  static final float[] BIAS = {0.5f, -0.5f};
  static final float[] GAMMA = {2, 1};
  static final float[] BETA = {0.1f, 0.2f};
  static final float[] MOVING_MEAN = {1, 0};
  static final float[] MOVING_VARIANCE = {4, 1};

  /** The functional model's weights: group → weight names in Keras's order, and their datasets. */
  static Map<String, Map<String, Object>> functionalWeights() {
    Map<String, Map<String, Object>> layers = new LinkedHashMap<>();
    layers.put("input_1", new LinkedHashMap<>());
    Map<String, Object> dense = new LinkedHashMap<>();
    dense.put("dense_1/kernel:0", KERNEL);
    dense.put("dense_1/bias:0", BIAS);
    layers.put("dense_1", dense);
    // gamma before beta: Keras's order, not the HDF5 listing's (alphabetical)
    Map<String, Object> bn = new LinkedHashMap<>();
    bn.put("batch_normalization_1/gamma:0", GAMMA);
    bn.put("batch_normalization_1/beta:0", BETA);
    bn.put("batch_normalization_1/moving_mean:0", MOVING_MEAN);
    bn.put("batch_normalization_1/moving_variance:0", MOVING_VARIANCE);
    layers.put("batch_normalization_1", bn);
    return layers;
  }

  /** tf.keras 2's SGD(momentum=0.9) state after 7 steps: iter, then one momentum per trainable weight. */
  static Map<String, Object> sgdWeights() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("SGD/iter:0", 7L);
    out.put("SGD/dense_1/kernel/momentum:0", new float[][] {{0.1f, 0.2f}, {0.3f, 0.4f}, {0.5f, 0.6f}});
    out.put("SGD/dense_1/bias/momentum:0", new float[] {0.7f, 0.8f});
    out.put("SGD/batch_normalization_1/gamma/momentum:0", new float[] {0.9f, 1.0f});
    out.put("SGD/batch_normalization_1/beta/momentum:0", new float[] {1.1f, 1.2f});
    return out;
  }

  /**
   * Writes a legacy .h5 model; {@code trainingConfig} and {@code optimizerWeights} may be null.
   * Groups are made before datasets (jHDF 0.13's writer needs no empty group after a dataset).
   */
  static Path write(Path file, String modelConfig, String trainingConfig, Map<String, Map<String, Object>> layers,
      Map<String, Object> optimizerWeights) {
    try (WritableHdfFile hdf = HdfFile.write(file)) {
      hdf.putAttribute("model_config", modelConfig);
      if (trainingConfig != null) {
        hdf.putAttribute("training_config", trainingConfig);
      }
      hdf.putAttribute("keras_version", "2.13.1");
      hdf.putAttribute("backend", "tensorflow");
      WritableGroup weights = hdf.putGroup("model_weights");
      weights.putAttribute("layer_names", layers.keySet().toArray(new String[0]));
      weights.putAttribute("keras_version", "2.13.1");
      weights.putAttribute("backend", "tensorflow");
      for (Map.Entry<String, Map<String, Object>> layer : layers.entrySet()) {
        WritableGroup group = weights.putGroup(layer.getKey());
        if (!layer.getValue().isEmpty()) {
          group.putAttribute("weight_names", layer.getValue().keySet().toArray(new String[0]));
        }
        put(group, layer.getValue());
      }
      if (optimizerWeights != null) {
        WritableGroup group = hdf.putGroup("optimizer_weights");
        group.putAttribute("weight_names", optimizerWeights.keySet().toArray(new String[0]));
        put(group, optimizerWeights);
      }
    }
    return file;
  }

  private static void put(WritableGroup root, Map<String, Object> datasets) {
    Map<String, WritableGroup> groups = new LinkedHashMap<>();
    for (String name : datasets.keySet()) {
      List<String> parts = List.of(name.split("/"));
      WritableGroup group = root;
      StringBuilder path = new StringBuilder();
      for (String part : parts.subList(0, parts.size() - 1)) {
        path.append('/').append(part);
        WritableGroup parent = group;
        group = groups.computeIfAbsent(path.toString(), p -> parent.putGroup(part));
      }
    }
    for (Map.Entry<String, Object> entry : datasets.entrySet()) {
      String name = entry.getKey();
      int slash = name.lastIndexOf('/');
      WritableGroup group = slash < 0 ? root : groups.get("/" + name.substring(0, slash));
      group.putDataset(name.substring(slash + 1), entry.getValue());
    }
  }

  private LegacyH5Fixture() {}
}
