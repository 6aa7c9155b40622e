package dev.tfkeras.saving.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.models.Model;
import dev.tfkeras.optimizers.SGD;
import dev.tfkeras.testing.FreshRuntime;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TType;

/** Legacy {@code .h5} full models (tf.keras 2.x's layout, written by {@link LegacyH5Fixture}). */
@ExtendWith(FreshRuntime.class)
class KerasLegacyH5Test {

  @TempDir Path dir;

  private Path functional(String name, Map<String, Object> optimizer) {
    return LegacyH5Fixture.write(dir.resolve(name), LegacyH5Fixture.FUNCTIONAL_CONFIG,
        LegacyH5Fixture.SGD_TRAINING_CONFIG, LegacyH5Fixture.functionalWeights(), optimizer);
  }

  @Test
  void functionalModelPredictsWithItsWeightsInWeightNamesOrder() throws Exception {
    try (Model model = Model.load(functional("model.h5", LegacyH5Fixture.sgdWeights()))) {
      assertEquals(List.of("dense_1", "batch_normalization_1"),
          model.layers().stream().map(l -> l.name()).filter(n -> !n.startsWith("input")).toList());
      float[] x = {1, 1, 1};
      float[] dense = {1 + 3 + 5 + 0.5f, 2 + 4 + 6 - 0.5f};
      float[] expected = new float[2];
      for (int j = 0; j < 2; j++) {
        expected[j] = (float) (LegacyH5Fixture.GAMMA[j] * (dense[j] - LegacyH5Fixture.MOVING_MEAN[j])
            / Math.sqrt(LegacyH5Fixture.MOVING_VARIANCE[j] + 0.001) + LegacyH5Fixture.BETA[j]);
      }
      float[][] y = model.predict(new float[][] {x});
      assertArrayEquals(expected, y[0], 1e-5f, "gamma 2/1 and beta 0.1/0.2 in weight_names order");
    }
  }

  @Test
  void trainingConfigCompilesAndTheOptimizerStateIsRestoredByName() throws Exception {
    try (Model model = Model.load(functional("model.h5", LegacyH5Fixture.sgdWeights()))) {
      SGD sgd = (SGD) model.optimizer();
      assertEquals(0.01f, sgd.learningRate());
      assertEquals(0.9f, (float) sgd.momentum());
      assertEquals(7, sgd.iterations());
      String bias = model.trainableVariables().get(1).path();
      try (TType value = sgd.restoredValue(sgd.name() + "/" + bias + "/momentum").orElseThrow()) {
        float[] momentum = new float[2];
        ((TFloat32) value).copyTo(org.tensorflow.ndarray.buffer.DataBuffers.of(momentum, false, false));
        assertArrayEquals(new float[] {0.7f, 0.8f}, momentum);
      }
      String beta = model.trainableVariables().get(3).path();
      assertTrue(sgd.restoredValue(sgd.name() + "/" + beta + "/momentum").isPresent());
    }
  }

  @Test
  void optimizerStateThatDoesNotMapIsSkippedAndTheModelStillLoads() throws Exception {
    Map<String, Object> partial = new LinkedHashMap<>(LegacyH5Fixture.sgdWeights());
    partial.remove("SGD/batch_normalization_1/beta/momentum:0");
    try (Model model = Model.load(functional("partial.h5", partial))) {
      assertEquals(0, model.optimizer().iterations(), "a fresh optimizer, as Keras warns");
      assertTrue(model.optimizer().restoredValue(model.optimizer().name() + "/" + model.trainableVariables().get(1).path() + "/momentum").isEmpty());
      assertEquals(2, model.predict(new float[][] {{1, 1, 1}})[0].length);
    }
  }

  @Test
  void withoutTrainingConfigTheModelLoadsUncompiled() throws Exception {
    Path file = LegacyH5Fixture.write(dir.resolve("m.h5"), LegacyH5Fixture.FUNCTIONAL_CONFIG, null,
        LegacyH5Fixture.functionalWeights(), null);
    try (Model model = Model.load(file)) {
      assertTrue(model.compileConfig().isEmpty());
    }
  }

  @Test
  void weightCountMismatchNamesTheFileLayerAndCounts() {
    Map<String, Map<String, Object>> weights = LegacyH5Fixture.functionalWeights();
    weights.get("batch_normalization_1").remove("batch_normalization_1/moving_variance:0");
    Path file = LegacyH5Fixture.write(dir.resolve("bad.h5"), LegacyH5Fixture.FUNCTIONAL_CONFIG, null, weights, null);
    KerasFormatException e = assertThrows(KerasFormatException.class, () -> Model.load(file));
    assertTrue(e.getMessage().contains("bad.h5: weight count mismatch for layer #1 (named batch_normalization_1"), e.getMessage());
    assertTrue(e.getMessage().contains("expects 4 weight(s), the file holds 3"), e.getMessage());
  }

  @Test
  void shapeMismatchNamesTheWeightAndBothShapes() {
    Map<String, Map<String, Object>> weights = LegacyH5Fixture.functionalWeights();
    weights.get("dense_1").put("dense_1/bias:0", new float[] {1, 2, 3});
    Path file = LegacyH5Fixture.write(dir.resolve("bad.h5"), LegacyH5Fixture.FUNCTIONAL_CONFIG, null, weights, null);
    KerasFormatException e = assertThrows(KerasFormatException.class, () -> Model.load(file));
    assertTrue(e.getMessage().contains("shape mismatch in layer #0 (named dense_1)"), e.getMessage());
    assertTrue(e.getMessage().contains("expects shape (2,), the file holds (3,) at model_weights/dense_1/dense_1/bias:0"), e.getMessage());
  }

  @Test
  void aWeightsOnlyFileIsNamedAsSuch() throws Exception {
    Path file = dir.resolve("w.h5");
    try (io.jhdf.WritableHdfFile hdf = io.jhdf.HdfFile.write(file)) {
      hdf.putAttribute("layer_names", new String[] {"dense"});
      hdf.putGroup("dense").putDataset("kernel", new float[] {1});
    }
    KerasFormatException e = assertThrows(KerasFormatException.class, () -> Model.load(file));
    assertTrue(e.getMessage().contains("No model config found in the file at " + file), e.getMessage());
    assertTrue(e.getMessage().contains("weights only"), e.getMessage());
  }

  @Test
  void sequentialWithBatchInputShapeOnItsFirstLayerGetsThatInput() throws Exception {
    String config = """
        {"class_name": "Sequential", "config": {"name": "sequential", "layers": [
          {"class_name": "Dense", "config": {"name": "dense", "trainable": true, "batch_input_shape": [null, 3], "dtype": "float32", "units": 2,
            "activation": "relu", "use_bias": false, "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": null}},
            "bias_initializer": {"class_name": "Zeros", "config": {}}, "kernel_regularizer": null, "bias_regularizer": null,
            "activity_regularizer": null, "kernel_constraint": null, "bias_constraint": null}}]}}
        """;
    Map<String, Map<String, Object>> weights = new LinkedHashMap<>();
    weights.put("dense", new LinkedHashMap<>(Map.of("dense/kernel:0", LegacyH5Fixture.KERNEL)));
    Path file = LegacyH5Fixture.write(dir.resolve("s.h5"), config, null, weights, null);
    try (Model model = Model.load(file)) {
      assertArrayEquals(new float[] {9, 12}, model.predict(new float[][] {{1, 1, 1}})[0], 1e-6f);
    }
  }

  @Test
  void nestedFunctionalTakesItsWeightsTrainableFirstAsKerasLegacyWeights() throws Exception {
    String config = """
        {"class_name": "Functional", "config": {"name": "outer", "layers": [
          {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 3], "dtype": "float32", "sparse": false, "ragged": false, "name": "input_1"}, "name": "input_1", "inbound_nodes": []},
          {"class_name": "Functional", "config": {"name": "inner", "layers": [
             {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 3], "dtype": "float32", "sparse": false, "ragged": false, "name": "input_2"}, "name": "input_2", "inbound_nodes": []},
             {"class_name": "BatchNormalization", "config": {"name": "batch_normalization", "trainable": true, "dtype": "float32", "axis": [1], "momentum": 0.99, "epsilon": 0.001, "center": true, "scale": true,
               "beta_initializer": {"class_name": "Zeros", "config": {}}, "gamma_initializer": {"class_name": "Ones", "config": {}},
               "moving_mean_initializer": {"class_name": "Zeros", "config": {}}, "moving_variance_initializer": {"class_name": "Ones", "config": {}},
               "beta_regularizer": null, "gamma_regularizer": null, "beta_constraint": null, "gamma_constraint": null},
              "name": "batch_normalization", "inbound_nodes": [[["input_2", 0, 0, {}]]]},
             {"class_name": "Dense", "config": {"name": "dense", "trainable": true, "dtype": "float32", "units": 2, "activation": "linear", "use_bias": true,
               "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": null}}, "bias_initializer": {"class_name": "Zeros", "config": {}},
               "kernel_regularizer": null, "bias_regularizer": null, "activity_regularizer": null, "kernel_constraint": null, "bias_constraint": null},
              "name": "dense", "inbound_nodes": [[["batch_normalization", 0, 0, {}]]]}],
            "input_layers": [["input_2", 0, 0]], "output_layers": [["dense", 0, 0]]},
           "name": "inner", "inbound_nodes": [[["input_1", 0, 0, {}]]]},
          {"class_name": "Dense", "config": {"name": "dense_2", "trainable": true, "dtype": "float32", "units": 1, "activation": "linear", "use_bias": true,
            "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": null}}, "bias_initializer": {"class_name": "Zeros", "config": {}},
            "kernel_regularizer": null, "bias_regularizer": null, "activity_regularizer": null, "kernel_constraint": null, "bias_constraint": null},
           "name": "dense_2", "inbound_nodes": [[["inner", 1, 0, {}]]]}],
         "input_layers": [["input_1", 0, 0]], "output_layers": [["dense_2", 0, 0]]}}
        """;
    float[] gamma = {1, 2, 0.5f};
    float[] beta = {0, 0.1f, -0.1f};
    float[] mean = {0.5f, 0, 1};
    float[] variance = {1, 4, 0.25f};
    float[][] kernel = {{1, -1}, {0.5f, 2}, {-1, 0.25f}};
    float[] bias = {0.1f, -0.2f};
    float[][] kernel2 = {{2}, {-3}};
    float[] bias2 = {0.5f};
    Map<String, Map<String, Object>> layers = new LinkedHashMap<>();
    layers.put("input_1", new LinkedHashMap<>());
    // Keras's _legacy_weights of a nested model: every trainable weight, then every non-trainable one
    Map<String, Object> inner = new LinkedHashMap<>();
    inner.put("batch_normalization/gamma:0", gamma);
    inner.put("batch_normalization/beta:0", beta);
    inner.put("dense/kernel:0", kernel);
    inner.put("dense/bias:0", bias);
    inner.put("batch_normalization/moving_mean:0", mean);
    inner.put("batch_normalization/moving_variance:0", variance);
    layers.put("inner", inner);
    Map<String, Object> dense2 = new LinkedHashMap<>();
    dense2.put("dense_2/kernel:0", kernel2);
    dense2.put("dense_2/bias:0", bias2);
    layers.put("dense_2", dense2);
    Path file = LegacyH5Fixture.write(dir.resolve("nested.h5"), config, null, layers, null);
    float[] x = {1, 2, 3};
    float[] normalized = new float[3];
    for (int i = 0; i < 3; i++) {
      normalized[i] = (float) ((x[i] - mean[i]) / Math.sqrt(variance[i] + 0.001) * gamma[i] + beta[i]);
    }
    float expected = bias2[0];
    for (int j = 0; j < 2; j++) {
      float h = bias[j];
      for (int i = 0; i < 3; i++) {
        h += normalized[i] * kernel[i][j];
      }
      expected += h * kernel2[j][0];
    }
    try (Model model = Model.load(file)) {
      assertEquals(expected, model.predict(new float[][] {x})[0][0], 1e-4f);
    }
  }

  @Test
  void nestedSequentialCalledAsTfKeras2NumbersItsNodes() throws Exception {
    String config = """
        {"class_name": "Functional", "config": {"name": "outer", "layers": [
          {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 3], "dtype": "float32", "sparse": false, "ragged": false, "name": "input_1"}, "name": "input_1", "inbound_nodes": []},
          {"class_name": "Sequential", "config": {"name": "encoder", "layers": [
             {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 3], "dtype": "float32", "sparse": false, "ragged": false, "name": "dense_input"}},
             {"class_name": "Dense", "config": {"name": "dense", "trainable": true, "dtype": "float32", "units": 2, "activation": "relu", "use_bias": true,
               "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": null}}, "bias_initializer": {"class_name": "Zeros", "config": {}},
               "kernel_regularizer": null, "bias_regularizer": null, "activity_regularizer": null, "kernel_constraint": null, "bias_constraint": null}}]},
           "name": "encoder", "inbound_nodes": [[["input_1", 0, 0, {}]]]}],
         "input_layers": [["input_1", 0, 0]], "output_layers": [["encoder", 1, 0]]}}
        """;
    Map<String, Map<String, Object>> layers = new LinkedHashMap<>();
    layers.put("input_1", new LinkedHashMap<>());
    Map<String, Object> sequential = new LinkedHashMap<>();
    sequential.put("dense/kernel:0", LegacyH5Fixture.KERNEL);
    sequential.put("dense/bias:0", LegacyH5Fixture.BIAS);
    // named 'encoder': jHDF 0.13's writer makes an unreadable file of a group of 10 or more
    // characters holding a group (here 'sequential'); readers of real files are not concerned
    layers.put("encoder", sequential);
    Path file = LegacyH5Fixture.write(dir.resolve("nested_sequential.h5"), config, null, layers, null);
    try (Model model = Model.load(file)) {
      // relu([9, 12] + [0.5, -0.5])
      assertArrayEquals(new float[] {9.5f, 11.5f}, model.predict(new float[][] {{1, 1, 1}})[0], 1e-5f);
    }
  }

  @Test
  void serializedLossAndMetricsOfTfKeras2Compile() throws Exception {
    String training = """
        {"loss": {"class_name": "SparseCategoricalCrossentropy", "config": {"reduction": "auto", "name": "sparse_categorical_crossentropy", "from_logits": true}},
         "metrics": [[{"class_name": "MeanMetricWrapper", "config": {"name": "accuracy", "dtype": "float32", "fn": "sparse_categorical_accuracy"}}]],
         "weighted_metrics": null, "loss_weights": null,
         "optimizer_config": {"class_name": "Adam", "config": {"name": "Adam", "learning_rate": 0.0005, "decay": 0.0, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-07, "amsgrad": false}}}
        """;
    Path file = LegacyH5Fixture.write(dir.resolve("compiled.h5"), LegacyH5Fixture.FUNCTIONAL_CONFIG, training,
        LegacyH5Fixture.functionalWeights(), null);
    try (Model model = Model.load(file)) {
      dev.tfkeras.models.CompileConfig compiled = model.compileConfig().orElseThrow();
      assertEquals(List.of("accuracy"), compiled.metrics().get(0).stream().map(m -> m.name()).toList());
      assertTrue(((dev.tfkeras.losses.SparseCategoricalCrossentropy) compiled.losses().get(0)).fromLogits());
      assertEquals(0.0005f, model.optimizer().learningRate());
    }
  }

  @Test
  void optimizerStateOfTfKeras211sOptimizersIsRestoredByName() throws Exception {
    // tf.keras 2.11+ names: iteration, then <slot>/<variable>, slots interleaved per variable
    Map<String, Object> state = new LinkedHashMap<>();
    state.put("iteration:0", 12L);
    Object[][] values = {
        {"dense_1/kernel", new float[][] {{0.1f, 0.2f}, {0.3f, 0.4f}, {0.5f, 0.6f}}},
        {"dense_1/bias", new float[] {0.7f, 0.8f}},
        {"batch_normalization_1/gamma", new float[] {0.9f, 1.0f}},
        {"batch_normalization_1/beta", new float[] {1.1f, 1.2f}}};
    for (Object[] v : values) {
      state.put("m/" + v[0] + ":0", v[1]);
    }
    String training = LegacyH5Fixture.SGD_TRAINING_CONFIG;
    Path file = LegacyH5Fixture.write(dir.resolve("sgd211.h5"), LegacyH5Fixture.FUNCTIONAL_CONFIG, training,
        LegacyH5Fixture.functionalWeights(), state);
    try (Model model = Model.load(file)) {
      SGD sgd = (SGD) model.optimizer();
      assertEquals(12, sgd.iterations());
      String bias = model.trainableVariables().get(1).path();
      try (TType value = sgd.restoredValue(sgd.name() + "/" + bias + "/momentum").orElseThrow()) {
        assertEquals(0.8f, ((TFloat32) value).getFloat(1));
      }
    }
  }
}
