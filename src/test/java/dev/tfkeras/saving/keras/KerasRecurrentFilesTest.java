package dev.tfkeras.saving.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.tfkeras.layers.Bidirectional;
import dev.tfkeras.layers.Dense;
import dev.tfkeras.layers.GRU;
import dev.tfkeras.layers.Input;
import dev.tfkeras.layers.LSTM;
import dev.tfkeras.layers.SimpleRNN;
import dev.tfkeras.models.Model;
import dev.tfkeras.models.Sequential;
import dev.tfkeras.testing.FreshRuntime;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * LSTM layers in Keras files: Keras 3's {@code .keras} (weights at {@code layers/lstm/cell/vars}),
 * legacy {@code .h5} (tf.keras 2's {@code lstm/lstm_cell/kernel:0} names) and tf.keras 2.13's
 * {@code .keras} ({@code _layer_checkpoint_dependencies}), checked against an LSTM computed by hand.
 */
@ExtendWith(FreshRuntime.class)
class KerasRecurrentFilesTest {

  @TempDir Path dir;

  // features 2, units 2: columns are the gates i, f, c, o, two units each
  static final float[][] KERNEL = {
      {0.1f, -0.2f, 0.3f, 0.4f, -0.5f, 0.6f, 0.7f, -0.8f},
      {-0.3f, 0.2f, 0.5f, -0.1f, 0.4f, 0.3f, -0.6f, 0.2f}};
  static final float[][] RECURRENT = {
      {0.2f, 0.1f, -0.3f, 0.2f, 0.6f, -0.4f, 0.1f, 0.3f},
      {-0.1f, 0.4f, 0.2f, -0.2f, 0.1f, 0.5f, -0.3f, 0.2f}};
  static final float[] BIAS = {0.05f, -0.05f, 1f, 1f, 0.1f, -0.1f, 0.02f, 0.03f};
  static final float[][] X = {{1f, 0.5f}, {-0.5f, 2f}, {0.3f, -1f}};

  /** Keras's LSTM by its equations: z = x·W + h·U + b; i, f, o sigmoid; c = f c + i tanh; h = o tanh(c). */
  static float[] reference(float[][] x) {
    return reference(x, KERNEL, RECURRENT, BIAS);
  }

  static float[] reference(float[][] x, float[][] kernel, float[][] recurrent, float[] bias) {
    int units = 2;
    double[] h = new double[units];
    double[] c = new double[units];
    for (float[] step : x) {
      double[] z = new double[4 * units];
      for (int j = 0; j < z.length; j++) {
        z[j] = bias[j];
        for (int k = 0; k < step.length; k++) {
          z[j] += step[k] * kernel[k][j];
        }
        for (int k = 0; k < units; k++) {
          z[j] += h[k] * recurrent[k][j];
        }
      }
      for (int u = 0; u < units; u++) {
        double i = sigmoid(z[u]);
        double f = sigmoid(z[units + u]);
        double g = Math.tanh(z[2 * units + u]);
        double o = sigmoid(z[3 * units + u]);
        c[u] = f * c[u] + i * g;
        h[u] = o * Math.tanh(c[u]);
      }
    }
    return new float[] {(float) h[0], (float) h[1]};
  }

  private static double sigmoid(double v) {
    return 1 / (1 + Math.exp(-v));
  }

  private static final String KERAS3_LSTM = """
      {"module": "keras.layers", "class_name": "LSTM", "config": {"name": "lstm", "trainable": true,
        "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": null},
        "return_sequences": false, "return_state": false, "go_backwards": false, "stateful": false, "unroll": false,
        "zero_output_for_mask": false, "units": 2, "activation": "tanh", "recurrent_activation": "sigmoid", "use_bias": true,
        "kernel_initializer": {"module": "keras.initializers", "class_name": "GlorotUniform", "config": {"seed": null}, "registered_name": null},
        "recurrent_initializer": {"module": "keras.initializers", "class_name": "Orthogonal", "config": {"seed": null, "gain": 1.0}, "registered_name": null},
        "bias_initializer": {"module": "keras.initializers", "class_name": "Zeros", "config": {}, "registered_name": null},
        "unit_forget_bias": true, "kernel_regularizer": null, "recurrent_regularizer": null, "bias_regularizer": null,
        "activity_regularizer": null, "kernel_constraint": null, "recurrent_constraint": null, "bias_constraint": null,
        "dropout": %s, "recurrent_dropout": 0.0, "seed": null}, "registered_name": null, "build_config": {"input_shape": [null, 3, 2]}}
      """;

  private static String keras3Sequential(String dropout) {
    return """
        {"module": "keras", "class_name": "Sequential", "config": {"name": "sequential", "trainable": true,
         "layers": [{"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [null, 3, 2], "dtype": "float32", "sparse": false, "ragged": false, "name": "input_layer"}, "registered_name": null},
         %s], "build_input_shape": [null, 3, 2]}, "registered_name": null}
        """.formatted(KERAS3_LSTM.formatted(dropout));
  }

  @Test
  void keras3FileWithAnLstmPredictsAsItsEquations() throws Exception {
    Map<String, List<Object>> weights = new LinkedHashMap<>();
    weights.put("layers/lstm/cell/vars", List.of(KERNEL, RECURRENT, BIAS));
    Path file = KerasFileFixture.write(dir.resolve("lstm.keras"), keras3Sequential("0.0"), weights);
    try (Model model = Model.load(file)) {
      assertArrayEquals(reference(X), model.predict(new float[][][] {X})[0], 1e-5f);
    }
  }

  @Test
  void lstmRoundTripsThroughKeras3sLayout() throws Exception {
    Path file = dir.resolve("saved.keras");
    float[][][] x = {X};
    float[] before;
    try (Sequential model = new Sequential(Input.of(3, 2), new LSTM(2).unitForgetBias(false), new Dense(1))) {
      model.layers().get(0).setWeights(List.of(KERNEL, RECURRENT, BIAS));
      before = model.predict(x)[0];
      model.save(file);
    }
    try (KerasArchive archive = KerasArchive.open(file)) {
      assertEquals(3, archive.variables("layers/lstm/cell/vars").size());
      assertEquals(0, archive.variables("layers/lstm/vars").size(), "the LSTM's own vars: none");
      assertEquals(2, archive.variables("layers/dense/vars").size());
      JsonObject lstm = archive.config().getAsJsonObject("config").getAsJsonArray("layers").get(1).getAsJsonObject();
      assertEquals("LSTM", lstm.get("class_name").getAsString());
      assertEquals(false, lstm.getAsJsonObject("config").get("unit_forget_bias").getAsBoolean());
      assertEquals("sigmoid", lstm.getAsJsonObject("config").get("recurrent_activation").getAsString());
    }
    try (Model loaded = Model.load(file)) {
      assertArrayEquals(before, loaded.predict(x)[0], 0f);
      assertEquals(false, ((LSTM) loaded.layers().get(0)).unitForgetBias());
    }
  }

  @Test
  void lstmWithDropoutIsRefusedNamingTheLayerAndKey() throws Exception {
    Map<String, List<Object>> weights = new LinkedHashMap<>();
    weights.put("layers/lstm/cell/vars", List.of(KERNEL, RECURRENT, BIAS));
    Path file = KerasFileFixture.write(dir.resolve("dropout.keras"), keras3Sequential("0.2"), weights);
    KerasFormatException e = assertThrows(KerasFormatException.class, () -> Model.load(file));
    assertTrue(e.getMessage().contains("Layer 'lstm' (LSTM) has dropout=0.2"), e.getMessage());
  }

  @Test
  void legacyH5LstmFromTfKeras2() throws Exception {
    String config = """
        {"class_name": "Sequential", "config": {"name": "sequential", "layers": [
          {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 3, 2], "dtype": "float32", "sparse": false, "ragged": false, "name": "lstm_input"}},
          {"class_name": "LSTM", "config": {"name": "lstm", "trainable": true, "dtype": "float32", "return_sequences": false, "return_state": false,
            "go_backwards": false, "stateful": false, "unroll": false, "time_major": false, "units": 2, "activation": "tanh",
            "recurrent_activation": "sigmoid", "use_bias": true, "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": null}},
            "recurrent_initializer": {"class_name": "Orthogonal", "config": {"gain": 1.0, "seed": null}}, "bias_initializer": {"class_name": "Zeros", "config": {}},
            "unit_forget_bias": true, "kernel_regularizer": null, "recurrent_regularizer": null, "bias_regularizer": null, "activity_regularizer": null,
            "kernel_constraint": null, "recurrent_constraint": null, "bias_constraint": null, "dropout": 0.0, "recurrent_dropout": 0.0, "implementation": 2}}]}}
        """;
    Map<String, Map<String, Object>> layers = new LinkedHashMap<>();
    Map<String, Object> lstm = new LinkedHashMap<>();
    lstm.put("lstm/lstm_cell/kernel:0", KERNEL);
    lstm.put("lstm/lstm_cell/recurrent_kernel:0", RECURRENT);
    lstm.put("lstm/lstm_cell/bias:0", BIAS);
    layers.put("lstm", lstm);
    Path file = LegacyH5Fixture.write(dir.resolve("lstm.h5"), config, null, layers, null);
    try (Model model = Model.load(file)) {
      assertArrayEquals(reference(X), model.predict(new float[][][] {X})[0], 1e-5f);
    }
  }

  @Test
  void tfKeras213FileKeepsItsWeightsUnderLayerCheckpointDependencies() throws Exception {
    String config = """
        {"module": "keras", "class_name": "Sequential", "config": {"name": "sequential", "layers": [
          {"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_input_shape": [null, 4], "dtype": "float32", "sparse": false, "ragged": false, "name": "input_1"}, "registered_name": null},
          {"module": "keras.layers", "class_name": "Dense", "config": {"name": "dense", "trainable": true, "dtype": "float32", "units": 3, "activation": "relu", "use_bias": true,
            "kernel_initializer": {"module": "keras.initializers", "class_name": "GlorotUniform", "config": {"seed": null}, "registered_name": null},
            "bias_initializer": {"module": "keras.initializers", "class_name": "Zeros", "config": {}, "registered_name": null},
            "kernel_regularizer": null, "bias_regularizer": null, "activity_regularizer": null, "kernel_constraint": null, "bias_constraint": null},
           "registered_name": null, "build_config": {"input_shape": [null, 4]}}]}, "registered_name": null, "build_config": {"input_shape": [null, 4]}}
        """;
    Map<String, List<Object>> weights = new LinkedHashMap<>();
    weights.put(KerasWeights.LAYERS_2_13 + "/dense/vars", List.of(KerasFileFixture.KERNEL, KerasFileFixture.BIAS));
    Path file = KerasFileFixture.write(dir.resolve("tf213.keras"), config, weights, "2.13.1");
    try (Model model = Model.load(file)) {
      float[] y = model.predict(new float[][] {{1, 1, 1, 1}})[0];
      float[] expected = new float[3];
      for (int j = 0; j < 3; j++) {
        float sum = KerasFileFixture.BIAS[j];
        for (int k = 0; k < 4; k++) {
          sum += KerasFileFixture.KERNEL[k][j];
        }
        expected[j] = Math.max(sum, 0);
      }
      assertArrayEquals(expected, y, 1e-6f);
    }
  }

  // GRU, reset_after: kernel (2, 6) and recurrent (2, 6) in gate order z, r, h; bias rows input, recurrent
  static final float[][] GRU_KERNEL = {{0.1f, -0.2f, 0.3f, 0.4f, -0.5f, 0.6f}, {-0.3f, 0.2f, 0.5f, -0.1f, 0.4f, 0.3f}};
  static final float[][] GRU_RECURRENT = {{0.2f, 0.1f, -0.3f, 0.2f, 0.6f, -0.4f}, {-0.1f, 0.4f, 0.2f, -0.2f, 0.1f, 0.5f}};
  static final float[][] GRU_BIAS = {{0.05f, -0.05f, 0.1f, 0.2f, -0.1f, 0.3f}, {0.01f, 0.02f, -0.03f, 0.04f, 0.05f, -0.06f}};

  /** Keras's GRU with reset_after: z, r = σ(x·W + b_in + h·U + b_rec); ĥ = tanh(x·W_h + b_in_h + r (h·U_h + b_rec_h)). */
  static float[] gruReference(float[][] x) {
    int units = 2;
    double[] h = new double[units];
    for (float[] step : x) {
      double[] in = new double[3 * units];
      double[] rec = new double[3 * units];
      for (int j = 0; j < in.length; j++) {
        in[j] = GRU_BIAS[0][j];
        rec[j] = GRU_BIAS[1][j];
        for (int k = 0; k < step.length; k++) {
          in[j] += step[k] * GRU_KERNEL[k][j];
        }
        for (int k = 0; k < units; k++) {
          rec[j] += h[k] * GRU_RECURRENT[k][j];
        }
      }
      double[] next = new double[units];
      for (int u = 0; u < units; u++) {
        double z = sigmoid(in[u] + rec[u]);
        double r = sigmoid(in[units + u] + rec[units + u]);
        double candidate = Math.tanh(in[2 * units + u] + r * rec[2 * units + u]);
        next[u] = z * h[u] + (1 - z) * candidate;
      }
      h = next;
    }
    return new float[] {(float) h[0], (float) h[1]};
  }

  /** SimpleRNN: h = tanh(x·W + h·U + b), with the first two columns of the LSTM's matrices. */
  static float[] simpleReference(float[][] x, float[][] kernel, float[][] recurrent, float[] bias) {
    double[] h = new double[2];
    for (float[] step : x) {
      double[] next = new double[2];
      for (int j = 0; j < 2; j++) {
        double s = bias[j];
        for (int k = 0; k < step.length; k++) {
          s += step[k] * kernel[k][j];
        }
        for (int k = 0; k < 2; k++) {
          s += h[k] * recurrent[k][j];
        }
        next[j] = Math.tanh(s);
      }
      h = next;
    }
    return new float[] {(float) h[0], (float) h[1]};
  }

  @Test
  void gruRoundTripsThroughKeras3sLayoutAndPredictsAsItsEquations() throws Exception {
    Path file = dir.resolve("gru.keras");
    try (Sequential model = new Sequential(Input.of(3, 2), new GRU(2))) {
      model.layers().get(0).setWeights(List.of(GRU_KERNEL, GRU_RECURRENT, GRU_BIAS));
      assertArrayEquals(gruReference(X), model.predict(new float[][][] {X})[0], 1e-5f);
      model.save(file);
    }
    try (KerasArchive archive = KerasArchive.open(file)) {
      List<io.jhdf.api.Dataset> vars = archive.variables("layers/gru/cell/vars");
      assertEquals(3, vars.size());
      assertArrayEquals(new int[] {2, 6}, vars.get(2).getDimensions(), "the reset_after bias: input and recurrent rows");
      JsonObject gru = archive.config().getAsJsonObject("config").getAsJsonArray("layers").get(1).getAsJsonObject();
      assertEquals("GRU", gru.get("class_name").getAsString());
      assertEquals(true, gru.getAsJsonObject("config").get("reset_after").getAsBoolean());
    }
    try (Model loaded = Model.load(file)) {
      assertArrayEquals(gruReference(X), loaded.predict(new float[][][] {X})[0], 1e-5f);
    }
  }

  @Test
  void simpleRnnRoundTripsThroughKeras3sLayoutAndPredictsAsItsEquations() throws Exception {
    float[][] kernel = {{0.1f, -0.2f}, {-0.3f, 0.2f}};
    float[][] recurrent = {{0.2f, 0.1f}, {-0.1f, 0.4f}};
    float[] bias = {0.05f, -0.05f};
    Path file = dir.resolve("rnn.keras");
    try (Sequential model = new Sequential(Input.of(3, 2), new SimpleRNN(2))) {
      model.layers().get(0).setWeights(List.of(kernel, recurrent, bias));
      model.save(file);
    }
    try (KerasArchive archive = KerasArchive.open(file)) {
      assertEquals(3, archive.variables("layers/simple_rnn/cell/vars").size());
      JsonObject config = archive.config().getAsJsonObject("config").getAsJsonArray("layers").get(1).getAsJsonObject();
      assertEquals("SimpleRNN", config.get("class_name").getAsString());
      assertEquals("tanh", config.getAsJsonObject("config").get("activation").getAsString());
    }
    try (Model loaded = Model.load(file)) {
      assertArrayEquals(simpleReference(X, kernel, recurrent, bias), loaded.predict(new float[][][] {X})[0], 1e-5f);
    }
  }

  static final float[][] KERNEL_2 = scaled(KERNEL, -0.5f);
  static final float[][] RECURRENT_2 = scaled(RECURRENT, 0.75f);
  static final float[] BIAS_2 = scaled(new float[][] {BIAS}, 2f)[0];

  private static float[][] scaled(float[][] a, float factor) {
    float[][] out = new float[a.length][];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i].clone();
      for (int j = 0; j < out[i].length; j++) {
        out[i][j] *= factor;
      }
    }
    return out;
  }

  /** Forward output, then the backward LSTM's (its own weights, the sequence reversed), concatenated. */
  static float[] bidirectionalReference(float[][] x) {
    float[][] reversed = new float[x.length][];
    for (int t = 0; t < x.length; t++) {
      reversed[t] = x[x.length - 1 - t];
    }
    float[] f = reference(x, KERNEL, RECURRENT, BIAS);
    float[] b = reference(reversed, KERNEL_2, RECURRENT_2, BIAS_2);
    return new float[] {f[0], f[1], b[0], b[1]};
  }

  @Test
  void bidirectionalRoundTripsThroughKeras3sLayout() throws Exception {
    Path file = dir.resolve("bidirectional.keras");
    try (Sequential model = new Sequential(Input.of(3, 2), new Bidirectional(new LSTM(2)))) {
      model.layers().get(0).setWeights(List.of(KERNEL, RECURRENT, BIAS, KERNEL_2, RECURRENT_2, BIAS_2));
      assertArrayEquals(bidirectionalReference(X), model.predict(new float[][][] {X})[0], 1e-5f);
      model.save(file);
    }
    try (KerasArchive archive = KerasArchive.open(file)) {
      assertEquals(3, archive.variables("layers/bidirectional/forward_layer/cell/vars").size());
      assertEquals(3, archive.variables("layers/bidirectional/backward_layer/cell/vars").size());
      JsonObject config = archive.config().getAsJsonObject("config").getAsJsonArray("layers").get(1)
          .getAsJsonObject().getAsJsonObject("config");
      assertEquals("concat", config.get("merge_mode").getAsString());
      assertEquals("forward_lstm", config.getAsJsonObject("layer").getAsJsonObject("config").get("name").getAsString());
      assertEquals(true, config.getAsJsonObject("backward_layer").getAsJsonObject("config").get("go_backwards").getAsBoolean());
    }
    try (Model loaded = Model.load(file)) {
      assertArrayEquals(bidirectionalReference(X), loaded.predict(new float[][][] {X})[0], 1e-5f);
    }
  }

  @Test
  void legacyH5BidirectionalFromTfKeras2() throws Exception {
    String config = """
        {"class_name": "Sequential", "config": {"name": "sequential", "layers": [
          {"class_name": "Bidirectional", "config": {"name": "bidirectional", "trainable": true, "batch_input_shape": [null, 3, 2], "dtype": "float32",
            "layer": {"class_name": "LSTM", "config": {"name": "lstm", "trainable": true, "dtype": "float32", "return_sequences": false, "return_state": false,
              "go_backwards": false, "stateful": false, "unroll": false, "time_major": false, "units": 2, "activation": "tanh",
              "recurrent_activation": "sigmoid", "use_bias": true, "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": null}},
              "recurrent_initializer": {"class_name": "Orthogonal", "config": {"gain": 1.0, "seed": null}}, "bias_initializer": {"class_name": "Zeros", "config": {}},
              "unit_forget_bias": true, "kernel_regularizer": null, "recurrent_regularizer": null, "bias_regularizer": null, "activity_regularizer": null,
              "kernel_constraint": null, "recurrent_constraint": null, "bias_constraint": null, "dropout": 0.0, "recurrent_dropout": 0.0, "implementation": 2}},
            "merge_mode": "concat"}}]}}
        """;
    Map<String, Map<String, Object>> layers = new LinkedHashMap<>();
    Map<String, Object> weights = new LinkedHashMap<>();
    weights.put("bidirectional/forward_lstm/kernel:0", KERNEL);
    weights.put("bidirectional/forward_lstm/recurrent_kernel:0", RECURRENT);
    weights.put("bidirectional/forward_lstm/bias:0", BIAS);
    weights.put("bidirectional/backward_lstm/kernel:0", KERNEL_2);
    weights.put("bidirectional/backward_lstm/recurrent_kernel:0", RECURRENT_2);
    weights.put("bidirectional/backward_lstm/bias:0", BIAS_2);
    layers.put("bi", weights); // jHDF 0.13 cannot write a group named 'bidirectional' holding groups
    String renamed = config.replace("\"name\": \"bidirectional\"", "\"name\": \"bi\"");
    Path file = LegacyH5Fixture.write(dir.resolve("bi.h5"), renamed, null, layers, null);
    try (Model model = Model.load(file)) {
      assertArrayEquals(bidirectionalReference(X), model.predict(new float[][][] {X})[0], 1e-5f);
    }
  }

  @Test
  void bidirectionalWithADifferentBackwardLayerIsRefused() throws Exception {
    String lstm = KERAS3_LSTM.formatted("0.0");
    String backward = lstm.replace("\"go_backwards\": false", "\"go_backwards\": true").replace("\"units\": 2", "\"units\": 3");
    String config = """
        {"module": "keras", "class_name": "Sequential", "config": {"name": "sequential", "trainable": true,
         "layers": [{"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [null, 3, 2], "dtype": "float32", "sparse": false, "ragged": false, "name": "input_layer"}, "registered_name": null},
         {"module": "keras.layers", "class_name": "Bidirectional", "config": {"name": "bidirectional", "trainable": true, "dtype": "float32", "merge_mode": "concat",
           "layer": %s, "backward_layer": %s}, "registered_name": null}]}, "registered_name": null}
        """.formatted(lstm, backward);
    Path file = KerasFileFixture.write(dir.resolve("bad_bi.keras"), config, new LinkedHashMap<>());
    KerasFormatException e = assertThrows(KerasFormatException.class, () -> Model.load(file));
    assertTrue(e.getMessage().contains("Layer 'bidirectional' (Bidirectional) has a backward_layer that is not its forward layer run backwards"), e.getMessage());
  }
}
