package dev.tfkeras.saving.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.models.Model;
import dev.tfkeras.optimizers.Adadelta;
import dev.tfkeras.optimizers.Adamax;
import dev.tfkeras.optimizers.Nadam;
import dev.tfkeras.optimizers.Optimizer;
import dev.tfkeras.testing.FreshRuntime;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TType;

/**
 * The optimizer part of legacy {@code .h5} files for the optimizers beyond Adam, SGD and RMSprop:
 * Keras 3's legacy writer ({@code legacy_h5_format.save_optimizer_weights_to_hdf5_group}: {@code
 * optimizer.variables} in order, named by their paths), tf.keras 2's OptimizerV2 names and tf.keras
 * 2.11+'s names. The model is {@link LegacyH5Fixture}'s: trainable dense_1 kernel (3, 2), bias (2),
 * batch_normalization_1 gamma (2), beta (2).
 */
@ExtendWith(FreshRuntime.class)
class KerasLegacyOptimizerStateTest {

  @TempDir Path dir;

  private static final String[] VARIABLES = {
      "dense_1/kernel", "dense_1/bias", "batch_normalization_1/gamma", "batch_normalization_1/beta"};

  private static Object value(int variable, float base) {
    if (variable == 0) {
      return new float[][] {{base, base + 1}, {base + 2, base + 3}, {base + 4, base + 5}};
    }
    return new float[] {base, base + 1};
  }

  private static String training(String className, String config) {
    return "{\"loss\": \"mean_squared_error\", \"metrics\": null, \"weighted_metrics\": null, \"loss_weights\": null,"
        + " \"optimizer_config\": {\"class_name\": \"" + className + "\", \"config\": " + config + "}}";
  }

  private Path write(String name, String training, Map<String, Object> state) {
    return LegacyH5Fixture.write(dir.resolve(name), LegacyH5Fixture.FUNCTIONAL_CONFIG, training,
        LegacyH5Fixture.functionalWeights(), state);
  }

  private static float[] restored(Optimizer optimizer, String path) {
    try (TType value = optimizer.restoredValue(optimizer.name() + "/" + path).orElseThrow(
        () -> new AssertionError("nothing restored for " + path))) {
      float[] out = new float[Math.toIntExact(value.shape().size())];
      ((TFloat32) value).copyTo(DataBuffers.of(out, false, false));
      return out;
    }
  }

  @Test
  void nadamOfKerasThreesLegacyWriterIsRestoredInItsOrder() throws Exception {
    // Nadam.build: iteration, learning_rate, momentum and velocity per variable, then the unnamed
    // u_product (path "variable"); names as Keras 3's variable paths
    Map<String, Object> state = new LinkedHashMap<>();
    state.put("nadam/iteration", 5L);
    state.put("nadam/learning_rate", 0.01f);
    for (int i = 0; i < VARIABLES.length; i++) {
      String ref = VARIABLES[i].replace('/', '_');
      state.put("nadam/" + ref + "_momentum", value(i, 10 * i + 1));
      state.put("nadam/" + ref + "_velocity", value(i, 10 * i + 100));
    }
    state.put("variable", 0.25f);
    String config = "{\"name\": \"nadam\", \"learning_rate\": 0.01, \"beta_1\": 0.9, \"beta_2\": 0.999, \"epsilon\": 1e-07}";
    try (Model model = Model.load(write("nadam.h5", training("Nadam", config), state))) {
      Nadam nadam = (Nadam) model.optimizer();
      assertEquals(5, nadam.iterations());
      assertArrayEquals(new float[] {0.25f}, restored(nadam, "u_product"));
      String bias = model.trainableVariables().get(1).path();
      assertArrayEquals(new float[] {11, 12}, restored(nadam, bias + "/momentum"));
      assertArrayEquals(new float[] {110, 111}, restored(nadam, bias + "/velocity"));
      String kernel = model.trainableVariables().get(0).path();
      assertArrayEquals(new float[] {100, 101, 102, 103, 104, 105}, restored(nadam, kernel + "/velocity"));
    }
  }

  @Test
  void adadeltaOfTfKeras2IsRestoredByName() throws Exception {
    // OptimizerV2 Adadelta: iter, then accum_grad and accum_var slots named <var>/<slot>
    Map<String, Object> state = new LinkedHashMap<>();
    state.put("Adadelta/iter:0", 9L);
    for (int i = 0; i < VARIABLES.length; i++) {
      state.put("Adadelta/" + VARIABLES[i] + "/accum_grad:0", value(i, i + 1));
      state.put("Adadelta/" + VARIABLES[i] + "/accum_var:0", value(i, i + 50));
    }
    String config = "{\"name\": \"Adadelta\", \"learning_rate\": 0.001, \"decay\": 0.0, \"rho\": 0.95, \"epsilon\": 1e-07}";
    try (Model model = Model.load(write("adadelta.h5", training("Adadelta", config), state))) {
      Adadelta adadelta = (Adadelta) model.optimizer();
      assertEquals(9, adadelta.iterations());
      String gamma = model.trainableVariables().get(2).path();
      assertArrayEquals(new float[] {3, 4}, restored(adadelta, gamma + "/accumulated_grad"));
      assertArrayEquals(new float[] {52, 53}, restored(adadelta, gamma + "/accumulated_delta_var"));
    }
  }

  @Test
  void adamaxOfTfKeras211IsRestoredByNameAndItsNormIsU() throws Exception {
    // tf.keras 2.11+ Adamax: iteration, then m/<var> and u/<var> (the infinity norm)
    Map<String, Object> state = new LinkedHashMap<>();
    state.put("iteration:0", 3L);
    for (int i = 0; i < VARIABLES.length; i++) {
      state.put("m/" + VARIABLES[i] + ":0", value(i, i + 1));
      state.put("u/" + VARIABLES[i] + ":0", value(i, i + 20));
    }
    String config = "{\"name\": \"Adamax\", \"learning_rate\": 0.002, \"beta_1\": 0.9, \"beta_2\": 0.999, \"epsilon\": 1e-07}";
    try (Model model = Model.load(write("adamax.h5", training("Adamax", config), state))) {
      Adamax adamax = (Adamax) model.optimizer();
      assertEquals(3, adamax.iterations());
      String beta = model.trainableVariables().get(3).path();
      assertArrayEquals(new float[] {4, 5}, restored(adamax, beta + "/momentum"));
      assertArrayEquals(new float[] {23, 24}, restored(adamax, beta + "/norm"));
    }
  }

  @Test
  void nadamOfTfKeras2HasNoProductToMapAndStartsAfresh() throws Exception {
    // OptimizerV2 Nadam keeps momentum_cache, not Keras 3's u_product: skipped, as Keras warns
    Map<String, Object> state = new LinkedHashMap<>();
    state.put("Nadam/iter:0", 4L);
    state.put("Nadam/momentum_cache:0", 0.5f);
    for (int i = 0; i < VARIABLES.length; i++) {
      state.put("Nadam/" + VARIABLES[i] + "/m:0", value(i, 1));
      state.put("Nadam/" + VARIABLES[i] + "/v:0", value(i, 2));
    }
    String config = "{\"name\": \"Nadam\", \"learning_rate\": 0.001, \"decay\": 0.004, \"beta_1\": 0.9, \"beta_2\": 0.999, \"epsilon\": 1e-07}";
    try (Model model = Model.load(write("nadam2.h5", training("Nadam", config), state))) {
      assertEquals(0, model.optimizer().iterations());
      assertTrue(model.optimizer().restoredValue("Nadam/u_product").isEmpty());
      assertEquals(List.of(), model.optimizer().variables(), "not built: nothing restored");
    }
  }

  @Test
  void nadamOfKeras39sLegacyWriterHasItsProductBeforeItsSlots() throws Exception {
    // Keras 3.0 to 3.9's Nadam.build created _u_product before the slots (3.10: after them)
    Map<String, Object> state = new LinkedHashMap<>();
    state.put("nadam/iteration", 6L);
    state.put("nadam/learning_rate", 0.01f);
    state.put("variable", 0.5f);
    for (int i = 0; i < VARIABLES.length; i++) {
      String ref = VARIABLES[i].replace('/', '_');
      state.put("nadam/" + ref + "_momentum", value(i, 10 * i + 1));
      state.put("nadam/" + ref + "_velocity", value(i, 10 * i + 100));
    }
    String config = "{\"name\": \"nadam\", \"learning_rate\": 0.01, \"beta_1\": 0.9, \"beta_2\": 0.999, \"epsilon\": 1e-07}";
    try (Model model = Model.load(write("nadam39.h5", training("Nadam", config), state))) {
      Nadam nadam = (Nadam) model.optimizer();
      assertEquals(6, nadam.iterations());
      assertArrayEquals(new float[] {0.5f}, restored(nadam, "u_product"));
      String beta = model.trainableVariables().get(3).path();
      assertArrayEquals(new float[] {31, 32}, restored(nadam, beta + "/momentum"));
      assertArrayEquals(new float[] {130, 131}, restored(nadam, beta + "/velocity"));
    }
  }

  @Test
  void orderOfFileMovesNadamsProductOnlyWhenTheRanksSaySo() {
    List<String> keras310 = List.of("n/iterations", "n/learning_rate", "n/k/momentum", "n/k/velocity", "n/u_product");
    List<String> keras39 = List.of("n/iterations", "n/learning_rate", "n/u_product", "n/k/momentum", "n/k/velocity");
    assertEquals(keras310, KerasWeights.orderOfFile(keras310, List.of(0, 0, 2, 2, 0)));
    assertEquals(keras39, KerasWeights.orderOfFile(keras310, List.of(0, 0, 0, 2, 2)));
    List<String> adam = List.of("a/iterations", "a/learning_rate", "a/k/m", "a/k/v");
    assertEquals(adam, KerasWeights.orderOfFile(adam, List.of(0, 0, 2, 2)));
  }
}
