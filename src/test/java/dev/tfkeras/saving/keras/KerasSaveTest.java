package dev.tfkeras.saving.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.tfkeras.layers.BatchNormalization;
import dev.tfkeras.layers.Conv2D;
import dev.tfkeras.layers.Dense;
import dev.tfkeras.layers.Dropout;
import dev.tfkeras.layers.Flatten;
import dev.tfkeras.layers.Input;
import dev.tfkeras.layers.KerasTensor;
import dev.tfkeras.layers.MaxPooling2D;
import dev.tfkeras.layers.Rescaling;
import dev.tfkeras.models.FitOptions;
import dev.tfkeras.models.Model;
import dev.tfkeras.models.Sequential;
import dev.tfkeras.optimizers.Adam;
import dev.tfkeras.runtime.GraphRuntime;
import dev.tfkeras.testing.FreshRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/** save("x.keras") then load: same configs, bitwise-same predictions and weights, resumed training. */
@ExtendWith(FreshRuntime.class)
class KerasSaveTest {

  @TempDir Path dir;

  static float[][] random(int n, int d, long seed) {
    Random random = new Random(seed);
    float[][] x = new float[n][d];
    for (float[] row : x) {
      for (int j = 0; j < d; j++) {
        row[j] = (float) random.nextGaussian();
      }
    }
    return x;
  }

  static void assertBitwise(float[][] expected, float[][] actual) {
    assertEquals(expected.length, actual.length);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i].length, actual[i].length);
      for (int j = 0; j < expected[i].length; j++) {
        assertEquals(Float.floatToRawIntBits(expected[i][j]), Float.floatToRawIntBits(actual[i][j]), "[" + i + "][" + j + "]");
      }
    }
  }

  static float[] flat(FloatNdArray array) {
    float[] out = new float[Math.toIntExact(array.shape().size())];
    array.copyTo(DataBuffers.of(out, false, false));
    return out;
  }

  static void assertSameWeights(Model expected, Model actual) {
    List<FloatNdArray> a = expected.getWeights();
    List<FloatNdArray> b = actual.getWeights();
    assertEquals(a.size(), b.size());
    for (int i = 0; i < a.size(); i++) {
      assertEquals(a.get(i).shape(), b.get(i).shape());
      assertArrayEquals(flat(a.get(i)), flat(b.get(i)), 0f, "weight " + i);
    }
  }

  /** config.json of the file; the loaded model saved again must give the same. */
  static JsonObject config(Path file) throws Exception {
    try (KerasArchive archive = KerasArchive.open(file)) {
      return archive.config();
    }
  }

  /**
   * Saves, closes the model and its runtime (so the loaded layers get the same names), loads, and
   * compares predictions, weights and the config the loaded model saves in turn.
   */
  private void assertRoundTrip(Model model, Object x) throws Exception {
    Path file = dir.resolve("model.keras");
    model.save(file);
    List<float[][]> before = model.predictOutputs(x);
    List<float[]> weights = model.getWeights().stream().map(KerasSaveTest::flat).toList();
    String name = model.name();
    List<String> layers = model.layers().stream().map(l -> l.name()).toList();
    model.close();
    GraphRuntime.reset();
    try (Model loaded = Model.load(file)) {
      assertEquals(name, loaded.name());
      assertEquals(layers, loaded.layers().stream().map(l -> l.name()).toList());
      List<float[][]> after = loaded.predictOutputs(x);
      assertEquals(before.size(), after.size());
      for (int i = 0; i < before.size(); i++) {
        assertBitwise(before.get(i), after.get(i));
      }
      List<FloatNdArray> loadedWeights = loaded.getWeights();
      assertEquals(weights.size(), loadedWeights.size());
      for (int i = 0; i < weights.size(); i++) {
        assertArrayEquals(weights.get(i), flat(loadedWeights.get(i)), 0f, "weight " + i);
      }
      Path again = dir.resolve("again.keras");
      loaded.save(again);
      assertEquals(config(file), config(again));
    }
  }

  @Test
  void sequentialRoundTripsBitwise() throws Exception {
    try (Sequential model = new Sequential(Input.of(4), new Rescaling(0.5, 0.1), new Dense(8, "relu"),
        new Dropout(0.3), new BatchNormalization(), new Dense(3, "softmax"))) {
      // BatchNormalization's moving statistics are saved too: move them off their start values
      model.compile("adam", "sparse_categorical_crossentropy", "accuracy");
      model.fit(random(32, 4, 1), new int[32], new FitOptions().epochs(1).verbose(0));
      assertRoundTrip(model, random(5, 4, 2));
    }
  }

  @Test
  void convnetRoundTripsBitwise() throws Exception {
    try (Sequential model = new Sequential(Input.of(8, 8, 1), new Conv2D(4, 3, "relu").padding("same"),
        new MaxPooling2D(2), new Conv2D(2, new int[] {2, 3}, "linear").strides(new int[] {1, 2}), new Flatten(), new Dense(3))) {
      float[][][][] x = new float[3][8][8][1];
      Random random = new Random(3);
      for (float[][][] image : x) {
        for (float[][] row : image) {
          for (float[] pixel : row) {
            pixel[0] = random.nextFloat();
          }
        }
      }
      assertRoundTrip(model, x);
    }
  }

  @Test
  void functionalWithSeveralInputsAndOutputsRoundTripsBitwise() throws Exception {
    KerasTensor a = Input.named("a", TFloat32.class, 3);
    KerasTensor b = Input.named("b", TFloat32.class, 2);
    KerasTensor hidden = new Dense(4, "tanh").apply(a);
    KerasTensor first = new Dense(2).name("first").apply(hidden);
    KerasTensor second = new Dense(1, "sigmoid").name("second").apply(new Dense(3, "relu").apply(b));
    try (Model model = Model.of("two_by_two", List.of(a, b), List.of(first, second))) {
      assertRoundTrip(model, List.of(random(4, 3, 5), random(4, 2, 6)));
      JsonObject config = config(dir.resolve("model.keras"));
      assertEquals("Functional", config.get("class_name").getAsString());
      assertEquals("[[\"a\",0,0],[\"b\",0,0]]", config.getAsJsonObject("config").get("input_layers").toString());
      assertEquals("[[\"first\",0,0],[\"second\",0,0]]", config.getAsJsonObject("config").get("output_layers").toString());
    }
  }

  @Test
  void nestedModelsRoundTripBitwise() throws Exception {
    KerasTensor innerInput = Input.of(4);
    Model inner = Model.of("inner", List.of(innerInput), List.of(new Dense(5, "relu").apply(innerInput)));
    Sequential head = new Sequential();
    head.name("head");
    head.add(Input.of(5)).add(new Dense(3, "relu"));
    KerasTensor x = Input.of(4);
    KerasTensor y = new Dense(2).apply(head.apply(inner.apply(x)));
    try (Model model = Model.of("outer", List.of(x), List.of(y))) {
      assertRoundTrip(model, random(6, 4, 7));
      try (var archive = KerasArchive.open(dir.resolve("model.keras"))) {
        // Keras numbers a nested Functional's first call 1 (its node 0 is its own)
        String layers = archive.config().getAsJsonObject("config").get("layers").toString();
        assertTrue(layers.contains("\"keras_history\":[\"inner\",1,0]"), layers);
        assertEquals(List.of("0", "1"), archive.variables("layers/functional/layers/dense/vars").stream().map(d -> d.getName()).toList());
        assertEquals(2, archive.variables("layers/sequential/layers/dense/vars").size());
        assertEquals(2, archive.variables("layers/dense/vars").size());
      }
    }
  }

  private static Sequential trainable() {
    return new Sequential(Input.of(3), new Dense(4, "relu"), new Dense(2));
  }

  @Test
  void compiledModelResumesTrainingWhereItStopped() throws Exception {
    float[][] x = random(16, 3, 11);
    float[][] y = random(16, 2, 12);
    FitOptions oneStep = new FitOptions().epochs(1).batchSize(16).shuffle(false).verbose(0);
    Path file = dir.resolve("trained.keras");
    try (Sequential model = trainable()) {
      model.compile(new Adam(0.01).beta1(0.8), "mse", "mae");
      model.fit(x, y, oneStep);
      model.fit(x, y, oneStep);
      model.save(file);
      try (Model loaded = Model.load(file)) {
        assertEquals(2, loaded.optimizer().iterations());
        assertEquals(0.8f, ((Adam) loaded.optimizer()).beta1());
        assertEquals(0.01f, loaded.optimizer().learningRate());
        model.fit(x, y, oneStep);
        loaded.fit(x, y, oneStep);
        assertEquals(3, loaded.optimizer().iterations());
        assertSameWeights(model, loaded);
      }
    }
    JsonObject compile = config(file).getAsJsonObject("compile_config");
    assertEquals("Adam", compile.getAsJsonObject("optimizer").get("class_name").getAsString());
    assertEquals("\"mean_squared_error\"", compile.get("loss").toString());
    assertEquals("[\"mae\"]", compile.get("metrics").toString());
  }

  @Test
  void everyWrittenOptimizerResumesWithItsSettingsAndState() throws Exception {
    float[][] x = random(8, 3, 31);
    float[][] y = random(8, 2, 32);
    FitOptions oneStep = new FitOptions().epochs(1).batchSize(8).shuffle(false).verbose(0);
    List<java.util.function.Supplier<dev.tfkeras.optimizers.Optimizer>> optimizers = List.of(
        () -> new dev.tfkeras.optimizers.SGD(0.05).momentum(0.9).nesterov(true),
        () -> new dev.tfkeras.optimizers.SGD(0.05),
        () -> new dev.tfkeras.optimizers.RMSprop(0.01).momentum(0.5).centered(true),
        () -> new dev.tfkeras.optimizers.RMSprop(0.01),
        () -> new dev.tfkeras.optimizers.AdamW(0.01, 0.1),
        () -> new Adam(0.01).amsgrad(true));
    for (var make : optimizers) {
      Path file = dir.resolve("opt.keras");
      try (Sequential model = trainable()) {
        dev.tfkeras.optimizers.Optimizer optimizer = make.get();
        model.compile(optimizer, "mae");
        model.fit(x, y, oneStep);
        model.save(file);
        try (Model loaded = Model.load(file)) {
          String what = optimizer.getClass().getSimpleName();
          assertEquals(optimizer.getClass(), loaded.optimizer().getClass(), what);
          assertEquals(1, loaded.optimizer().iterations(), what);
          assertEquals(config(file).getAsJsonObject("compile_config").toString(),
              KerasCompile.write(loaded.compileConfig().orElseThrow()).toString(), what);
          model.fit(x, y, oneStep);
          loaded.fit(x, y, oneStep);
          assertSameWeights(model, loaded);
        }
      }
      GraphRuntime.reset();
    }
  }

  @Test
  void weightsOnlyFileRoundTripsWithTheOptimizer() throws Exception {
    float[][] x = random(8, 3, 21);
    float[][] y = random(8, 2, 22);
    FitOptions oneStep = new FitOptions().epochs(1).batchSize(8).shuffle(false).verbose(0);
    Path file = dir.resolve("model.weights.h5");
    try (Sequential model = trainable(); Sequential copy = trainable()) {
      model.compile(new Adam(0.01), "mse");
      model.fit(x, y, oneStep);
      model.saveWeights(file);
      assertFalse(Files.isDirectory(file));
      copy.compile(new Adam(0.01), "mse");
      copy.loadWeights(file);
      assertSameWeights(model, copy);
      assertEquals(1, copy.optimizer().iterations());
      model.fit(x, y, oneStep);
      copy.fit(x, y, oneStep);
      assertSameWeights(model, copy);
    }
  }

  @Test
  void weightsOfAnotherArchitectureAreRefusedNamingLayerAndShapes() throws Exception {
    Path file = dir.resolve("small.weights.h5");
    try (Sequential model = trainable()) {
      model.saveWeights(file);
    }
    try (Sequential other = new Sequential(Input.of(3), new Dense(5, "relu"), new Dense(2))) {
      List<FloatNdArray> before = other.getWeights();
      KerasFormatException e = assertThrows(KerasFormatException.class, () -> other.loadWeights(file));
      assertTrue(e.getMessage().contains("has shape (3, 5) in the model but (3, 4) in small.weights.h5 at layers/dense/vars/0"),
          e.getMessage());
      assertArrayEquals(flat(before.get(0)), flat(other.getWeights().get(0)), 0f, "nothing changed");
    }
  }

  @Test
  void h5IsRefusedAndOtherPathsStillExportASavedModel() throws Exception {
    try (Sequential model = trainable()) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.save(dir.resolve("model.h5")));
      assertTrue(e.getMessage().contains("legacy HDF5 model format"), e.getMessage());
      assertFalse(Files.exists(dir.resolve("model.h5")));
      model.save(dir.resolve("exported"));
      assertTrue(Files.exists(dir.resolve("exported/saved_model.pb")));
      model.export(dir.resolve("exported2"));
      assertTrue(Files.exists(dir.resolve("exported2/saved_model.pb")));
    }
  }

  @Test
  void unwritableTargetIsNamedAndThePreviousFileIsIntact() throws Exception {
    Path file = dir.resolve("model.keras");
    try (Sequential model = trainable()) {
      model.save(file);
      byte[] good = Files.readAllBytes(file);
      Path blocker = Files.writeString(dir.resolve("plain.txt"), "a file");
      Exception e = assertThrows(java.io.IOException.class, () -> model.save(blocker.resolve("model.keras")));
      assertTrue(e.getMessage().contains(blocker.toString()), e.getMessage());

      Sequential unsupported = new Sequential(Input.of(5, 3), new dev.tfkeras.layers.Dense(2) {});
      IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> unsupported.save(file));
      assertTrue(refused.getMessage().contains("a custom layer that is not registered as a custom object"),
          refused.getMessage());
      assertArrayEquals(good, Files.readAllBytes(file), "the previous file is intact");
      try (Stream<Path> left = Files.list(dir)) {
        assertEquals(List.of(), left.filter(p -> p.toString().endsWith(".part")).toList());
      }
    }
  }
}
