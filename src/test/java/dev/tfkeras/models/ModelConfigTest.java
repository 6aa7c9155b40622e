package dev.tfkeras.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.demo.MyModel;
import dev.tfkeras.initializers.RandomNormal;
import dev.tfkeras.layers.Activation;
import dev.tfkeras.layers.Dense;
import dev.tfkeras.layers.Input;
import dev.tfkeras.layers.KerasTensor;
import dev.tfkeras.layers.Layer;
import dev.tfkeras.optimizers.Adam;
import dev.tfkeras.runtime.GraphRuntime;
import dev.tfkeras.saving.Config;
import dev.tfkeras.saving.Configurable;
import dev.tfkeras.saving.CustomObjects;
import dev.tfkeras.saving.keras.KerasArchive;
import dev.tfkeras.saving.keras.KerasFormatException;
import dev.tfkeras.testing.FreshRuntime;
import dev.tfkeras.variables.Variable;
import io.jhdf.api.Dataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * Models' configs (Keras's get_config/from_config, to_json/model_from_json) and save then load of
 * every kind of model: Sequential, functional with several inputs and outputs, nested both ways,
 * shared layers, and a registered subclassed model holding a custom layer. Each round trip gives
 * bitwise-equal predictions, equal {@code getConfig()} and {@code toJson()}, and the optimizer's
 * state (training continues bitwise as the original's).
 */
@ExtendWith(FreshRuntime.class)
class ModelConfigTest {

  @TempDir Path dir;

  /** A custom layer: {@code x * factor + offset}, one trainable offset per feature. */
  static final class Scale extends Layer implements Configurable {
    final double factor;
    private Variable<TFloat32> offset;

    Scale(double factor) {
      this.factor = factor;
    }

    @Override
    protected void build(Shape inputShape) {
      offset = addWeight("offset", Shape.of(inputShape.get(inputShape.numDimensions() - 1)),
          new RandomNormal(0, 1, 7), true);
    }

    @Override
    protected Operand<TFloat32> call(Operand<TFloat32> x, boolean training) {
      var tf = tf();
      return tf.math.add(tf.math.mul(x, tf.constant((float) factor)), offset.read(tf));
    }

    @Override
    public Config getConfig() {
      return new Config().put("name", name()).put("factor", factor);
    }

    public static Scale fromConfig(Config config) {
      Scale layer = new Scale(config.getDouble("factor", 1));
      layer.name(config.getString("name", "scale"));
      config.checkAllRead();
      return layer;
    }
  }

  /** A custom layer of several inputs: their sum. */
  static final class Sum extends Layer implements Configurable {
    @Override
    protected Operand<TFloat32> call(List<Operand<?>> inputs, boolean training) {
      Operand<TFloat32> total = asFloat(inputs.get(0));
      for (int i = 1; i < inputs.size(); i++) {
        total = tf().math.add(total, asFloat(inputs.get(i)));
      }
      return total;
    }

    @Override
    public Config getConfig() {
      return new Config().put("name", name());
    }

    public static Sum fromConfig(Config config) {
      Sum layer = new Sum();
      layer.name(config.getString("name", "sum"));
      config.checkAllRead();
      return layer;
    }
  }

  /** A subclassed model with a constructor argument, Dense layers and the custom layer as fields. */
  static final class Tower extends Model {
    final int units;
    final Dense hidden;
    final Scale scale = new Scale(0.5);
    final Dense out = new Dense(2);

    Tower(int units) {
      this.units = units;
      this.hidden = new Dense(units, Activation.RELU);
    }

    @Override
    protected Operand<TFloat32> call(Operand<TFloat32> x, boolean training) {
      return out.apply(scale.apply(hidden.apply(x)));
    }

    @Override
    public Config getConfig() {
      return new Config().put("name", name()).put("units", units);
    }

    public static Tower fromConfig(Config config) {
      Tower model = new Tower(config.getInt("units", 8));
      model.name(config.getString("name", "tower"));
      config.checkAllRead();
      return model;
    }
  }

  /** A subclassed model without a config. */
  static final class Bare extends Model {
    final Dense d = new Dense(1);

    @Override
    protected Operand<TFloat32> call(Operand<TFloat32> x, boolean training) {
      return d.apply(x);
    }
  }

  @BeforeAll
  static void register() {
    CustomObjects.register("Scale", Scale::fromConfig);
    CustomObjects.register("Sum", Sum::fromConfig);
    CustomObjects.register("Tower", Tower::fromConfig);
    CustomObjects.register("MyModel", MyModel::fromConfig);
  }

  @AfterAll
  static void unregister() {
    CustomObjects.unregister("Scale");
    CustomObjects.unregister("Sum");
    CustomObjects.unregister("Tower");
    CustomObjects.unregister("MyModel");
  }

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

  static void assertBitwise(List<float[][]> expected, List<float[][]> actual) {
    assertEquals(expected.size(), actual.size());
    for (int o = 0; o < expected.size(); o++) {
      float[][] a = expected.get(o);
      float[][] b = actual.get(o);
      assertEquals(a.length, b.length);
      for (int i = 0; i < a.length; i++) {
        assertEquals(a[i].length, b[i].length);
        for (int j = 0; j < a[i].length; j++) {
          assertEquals(Float.floatToRawIntBits(a[i][j]), Float.floatToRawIntBits(b[i][j]),
              "output " + o + " [" + i + "][" + j + "]");
        }
      }
    }
  }

  /**
   * Compiles, trains one step, saves; trains the original one more step and keeps its predictions;
   * closes it, loads the file in a fresh runtime and checks: predictions before that step, configs
   * and JSON equal, and the same extra step from the restored optimizer state giving bitwise the
   * same predictions as the original's.
   */
  private Model roundTrip(Supplier<Model> make, Object x, Object y) throws Exception {
    Path file = dir.resolve("model.keras");
    FitOptions oneStep = new FitOptions().epochs(1).batchSize(8).shuffle(false).verbose(0);
    List<float[][]> saved;
    List<float[][]> trainedOn;
    Config config;
    String json;
    try (Model model = make.get()) {
      model.compile(new Adam(0.01), "mse");
      model.fit(x, y, oneStep);
      model.save(file);
      saved = model.predictOutputs(x);
      config = model.getConfig();
      json = model.toJson();
      model.fit(x, y, oneStep);
      trainedOn = model.predictOutputs(x);
    }
    GraphRuntime.reset();
    Model loaded = Model.load(file);
    assertBitwise(saved, loaded.predictOutputs(x));
    assertEquals(config, loaded.getConfig());
    assertEquals(Config.fromJson(json), Config.fromJson(loaded.toJson()));
    assertEquals(json, loaded.toJson());
    assertEquals(1, loaded.optimizer().iterations(), "iterations restored: one step of 8 examples");
    loaded.fit(x, y, oneStep);
    assertBitwise(trainedOn, loaded.predictOutputs(x));
    return loaded;
  }

  /**
   * Leaves the model, its inputs and its predictions in {@code target/keras-custom/} for {@code
   * .ci/check_custom_objects.py}, which loads them in Python Keras with Python classes of the same
   * registered names.
   */
  private static void export(Model model, String name, Object x) throws Exception {
    Path out = Path.of("target", "keras-custom");
    Files.createDirectories(out);
    model.save(out.resolve(name + ".keras"));
    java.util.Map<String, Object> data = new java.util.LinkedHashMap<>();
    data.put("x", x);
    data.put("y", model.predictOutputs(x));
    Files.writeString(out.resolve(name + ".json"), new com.google.gson.Gson().toJson(data));
  }

  private static Sequential sequential() {
    // no Dropout: its training masks are drawn anew after loading (KerasSaveTest saves one)
    return new Sequential(Input.of(4), new Dense(8, "relu"), new Dense(3));
  }

  private static Functional twoInTwoOut() {
    KerasTensor a = Input.named("a", TFloat32.class, 4);
    KerasTensor b = Input.named("b", TFloat32.class, 3);
    KerasTensor h = new Sum().apply(List.of(new Dense(5, "tanh").apply(a), new Dense(5).apply(b)));
    KerasTensor first = new Dense(2).name("first").apply(h);
    KerasTensor second = new Dense(1).name("second").apply(new Dense(3, "relu").apply(h));
    return Model.of("two_in_two_out", List.of(a, b), List.of(first, second));
  }

  @Test
  void sequentialGetConfigHasKerasKeysAndRoundTrips() throws Exception {
    try (Sequential model = sequential()) {
      Config config = model.getConfig();
      assertEquals(List.of("name", "trainable", "dtype", "layers", "build_input_shape"), List.copyOf(config.keys()));
      assertEquals(3, config.getList("layers").size(), "InputLayer, then the two layers");
      assertEquals("InputLayer", ((Config) config.getList("layers").get(0)).getString("class_name", null));
      Config serialized = Config.fromJson(model.toJson());
      assertEquals("keras", serialized.getString("module", null));
      assertEquals("Sequential", serialized.getString("class_name", null));
      assertNull(serialized.get("registered_name"));
      assertEquals(Config.fromJson("{\"input_shape\": [null, 4]}"), serialized.getConfig("build_config"));
      assertFalse(serialized.has("compile_config"), "not compiled");
    }
    GraphRuntime.reset();
    float[][] x = random(8, 4, 1);
    try (Model loaded = roundTrip(ModelConfigTest::sequential, x, random(8, 3, 2))) {
      assertInstanceOf(Sequential.class, loaded);
    }
  }

  @Test
  void functionalWithSeveralInputsAndOutputsRoundTrips() throws Exception {
    try (Functional model = twoInTwoOut()) {
      Config serialized = Config.fromJson(model.toJson());
      assertEquals("keras.src.models.functional", serialized.getString("module", null));
      assertEquals("Functional", serialized.getString("registered_name", null));
      assertEquals(List.of("name", "trainable", "layers", "input_layers", "output_layers"),
          List.copyOf(model.getConfig().keys()));
      assertEquals(Config.fromJson("{\"l\": [[\"a\", 0, 0], [\"b\", 0, 0]]}").get("l"),
          model.getConfig().get("input_layers"));
    }
    GraphRuntime.reset();
    List<float[][]> x = List.of(random(8, 4, 3), random(8, 3, 4));
    try (Model loaded = roundTrip(ModelConfigTest::twoInTwoOut, x, List.of(random(8, 2, 5), random(8, 1, 6)))) {
      export(loaded, "two_in_two_out", x);
      assertEquals(List.of("a", "b"), loaded.inputNames());
      assertEquals(List.of("first", "second"), loaded.outputNames());
    }
  }

  @Test
  void functionalLayersAreInKerasDepthOrder() {
    // calls: dense(a), dense_1(b), sum, first, dense_2, second; Keras (function.py map_graph) lists
    // by depth from the outputs: dense_2 (depth 1) before first (depth 0). Python Keras 3.15 loads
    // this model's file only with its weights numbered in this order (.ci/check_custom_objects.py).
    try (Functional model = twoInTwoOut()) {
      List<String> order = List.of("a", "b", "dense", "dense_1", "sum", "dense_2", "first", "second");
      assertEquals(order, model.layers().stream().map(Layer::name).toList());
      assertEquals(order, model.getConfig().getList("layers").stream().map(l -> ((Config) l).getString("name", null)).toList());
    }
  }

  @Test
  void functionalInSequentialRoundTrips() throws Exception {
    Supplier<Model> make = () -> {
      KerasTensor in = Input.of(4);
      Functional inner = Model.of("inner", List.of(in), List.of(new Dense(6, "relu").apply(in)));
      return new Sequential(Input.of(4), inner, new Dense(2));
    };
    float[][] x = random(8, 4, 7);
    try (Model loaded = roundTrip(make, x, random(8, 2, 8))) {
      assertInstanceOf(Functional.class, loaded.getLayer("inner"));
      export(loaded, "functional_in_sequential", x);
    }
  }

  @Test
  void sequentialInFunctionalRoundTrips() throws Exception {
    Supplier<Model> make = () -> {
      Sequential inner = new Sequential(new Dense(6, "relu"), new Dense(3));
      inner.name("inner");
      KerasTensor in = Input.of(4);
      return Model.of(in, new Dense(2).apply(inner.apply(in)));
    };
    float[][] x = random(8, 4, 9);
    try (Model loaded = roundTrip(make, x, random(8, 2, 10))) {
      assertInstanceOf(Sequential.class, loaded.getLayer("inner"));
      export(loaded, "sequential_in_functional", x);
    }
  }

  @Test
  void sharedLayerKeepsItsCallsAndOneSetOfWeights() throws Exception {
    Supplier<Model> make = () -> {
      KerasTensor a = Input.named("a", TFloat32.class, 4);
      KerasTensor b = Input.named("b", TFloat32.class, 4);
      Dense shared = new Dense(3, "tanh");
      shared.name("shared");
      KerasTensor merged = new Sum().apply(List.of(shared.apply(a), shared.apply(b)));
      return Model.of(List.of(a, b), List.of(new Dense(1).apply(merged)));
    };
    try (Model model = make.get()) {
      Config shared = model.getConfig().getList("layers").stream().map(Config.class::cast)
          .filter(l -> "shared".equals(l.getString("name", null))).findFirst().orElseThrow();
      assertEquals(2, shared.getList("inbound_nodes").size(), "one entry per call");
    }
    GraphRuntime.reset();
    List<float[][]> x = List.of(random(8, 4, 11), random(8, 4, 12));
    try (Model loaded = roundTrip(make, x, random(8, 1, 13))) {
      export(loaded, "shared_layer", x);
      assertEquals(2, loaded.getLayer("shared").weights().size(), "the shared layer's kernel and bias");
      assertEquals(4, loaded.trainableVariables().size(), "the shared layer's two, once, and the output's two");
    }
  }

  @Test
  void registeredSubclassedModelWithACustomLayerRoundTrips() throws Exception {
    Supplier<Model> make = () -> new Tower(6);
    float[][] x = random(8, 4, 14);
    try (Model loaded = roundTrip(make, x, random(8, 2, 15))) {
      assertInstanceOf(Tower.class, loaded);
      assertEquals(6, ((Tower) loaded).units);
      export(loaded, "tower", x);
    }
    Path file = dir.resolve("model.keras");
    try (KerasArchive archive = KerasArchive.open(file)) {
      Config serialized = Config.fromJson(archive.config().toString());
      assertEquals("Custom>Tower", serialized.getString("registered_name", null));
      assertEquals("Tower", serialized.getString("class_name", null));
      assertEquals(Config.fromJson("{\"name\": \"tower\", \"units\": 6}"), serialized.getConfig("config"));
      assertEquals(Config.fromJson("{\"input_shape\": [null, 4]}"), serialized.getConfig("build_config"));
      // Keras files a subclassed model's layers under their attribute (field) names
      assertEquals(List.of(4L, 6L), dims(archive.variables("hidden/vars").get(0)));
      assertEquals(List.of(6L), dims(archive.variables("scale/vars").get(0)));
      assertEquals(List.of(6L, 2L), dims(archive.variables("out/vars").get(0)));
      assertEquals(List.of(), archive.variables("layers/dense/vars"));
    }
  }

  @Test
  void customLayerInASequentialIsSavedAsRegistered() throws Exception {
    Supplier<Model> make = () -> new Sequential(Input.of(4), new Dense(5), new Scale(2.0), new Dense(2));
    float[][] x = random(8, 4, 16);
    try (Model loaded = roundTrip(make, x, random(8, 2, 17))) {
      assertInstanceOf(Scale.class, loaded.getLayer("scale"));
      export(loaded, "sequential_scale", x);
    }
    try (KerasArchive archive = KerasArchive.open(dir.resolve("model.keras"))) {
      Config scale = (Config) Config.fromJson(archive.config().toString()).getConfig("config").getList("layers").get(2);
      assertEquals("Custom>Scale", scale.getString("registered_name", null));
      assertEquals(2.0, scale.getConfig("config").getDouble("factor", 0));
      assertEquals(List.of(5L), dims(archive.variables("layers/scale/vars").get(0)));
    }
  }

  @Test
  void theDemosSubclassedModelSavesAsItself() throws Exception {
    float[][][][] images = new float[8][28][28][1];
    Random random = new Random(18);
    for (float[][][] image : images) {
      for (float[][] row : image) {
        for (float[] pixel : row) {
          pixel[0] = random.nextFloat();
        }
      }
    }
    float[][] targets = random(8, 10, 19);
    try (Model loaded = roundTrip(MyModel::new, images, targets)) {
      assertInstanceOf(MyModel.class, loaded);
      export(loaded, "my_model", images);
    }
    try (KerasArchive archive = KerasArchive.open(dir.resolve("model.keras"))) {
      assertEquals("Custom>MyModel", archive.config().get("registered_name").getAsString());
      assertEquals(List.of(3L, 3L, 1L, 32L), dims(archive.variables("conv1/vars").get(0)));
      assertEquals(List.of(128L, 10L), dims(archive.variables("d2/vars").get(0)));
    }
  }

  @Test
  void toJsonAndFromJsonRoundTripWithoutWeights() {
    for (Supplier<Model> make : List.<Supplier<Model>>of(
        ModelConfigTest::sequential, ModelConfigTest::twoInTwoOut, () -> new Tower(3))) {
      String json;
      Config config;
      Class<?> type;
      try (Model model = make.get()) {
        type = model.getClass();
        if (model instanceof Tower tower) {
          tower.buildFor(Shape.of(-1, 4));
        }
        model.compile(new Adam(0.005), "mse");
        json = model.toJson();
        config = model.getConfig();
      }
      assertTrue(json.contains("\"compile_config\""), json);
      GraphRuntime.reset(); // inputs are named as given only where the name is free
      try (Model copy = Model.fromJson(json)) {
        assertEquals(type, copy.getClass());
        assertTrue(copy.isBuilt(), "built from its input or build_config");
        assertTrue(copy.compileConfig().isPresent(), "compiled from compile_config");
        assertEquals(json, copy.toJson());
        assertEquals(config, copy.getConfig());
      }
      GraphRuntime.reset();
    }
  }

  @Test
  void fromConfigOfEachClassRebuildsAnEqualConfig() {
    Config sequential;
    Config functional;
    try (Sequential model = sequential(); Functional other = twoInTwoOut()) {
      sequential = model.getConfig();
      functional = other.getConfig();
    }
    GraphRuntime.reset();
    try (Sequential copy = Sequential.fromConfig(sequential.copy())) {
      assertEquals(sequential, copy.getConfig());
    }
    GraphRuntime.reset();
    try (Model copy = Model.fromConfig(functional.copy())) {
      assertInstanceOf(Functional.class, copy);
      assertEquals(functional, copy.getConfig());
    }
    IllegalArgumentException notFunctional =
        assertThrows(IllegalArgumentException.class, () -> Model.fromConfig(sequential));
    assertTrue(notFunctional.getMessage().contains("lacks `input_layers`"), notFunctional.getMessage());
    assertTrue(notFunctional.getMessage().contains("Sequential.fromConfig"), notFunctional.getMessage());
  }

  @Test
  void sequentialWithoutAnInputRoundTripsUnbuiltOrBuiltByData() throws Exception {
    String unbuilt;
    try (Sequential model = new Sequential(new Dense(3, "relu"), new Dense(1))) {
      unbuilt = model.toJson();
      assertFalse(Config.fromJson(unbuilt).has("build_config"), "no input yet: no build_config");
      assertEquals(2, model.getConfig().getList("layers").size(), "no InputLayer");
      assertFalse(model.getConfig().has("build_input_shape"));
    }
    GraphRuntime.reset();
    try (Model copy = Model.fromJson(unbuilt)) {
      assertFalse(copy.isBuilt(), "as Keras: an unbuilt Sequential stays unbuilt");
      assertEquals(unbuilt, copy.toJson());
    }
    GraphRuntime.reset();
    // built by its first data: the input it was built for is written as Keras's Sequential does
    try (Model loaded = roundTrip(() -> new Sequential(new Dense(3, "relu"), new Dense(1)),
        random(8, 5, 20), random(8, 1, 21))) {
      Config input = (Config) loaded.getConfig().getList("layers").get(0);
      assertEquals("InputLayer", input.getString("class_name", null));
      assertEquals(Config.fromJson("{\"batch_shape\": [null, 5], \"dtype\": \"float32\", \"sparse\": false,"
          + " \"ragged\": false, \"name\": \"sequential_input\"}"), input.getConfig("config"));
    }
  }

  @Test
  void unregisteredSubclassedModelIsRefusedWithTheCodeToWrite() throws Exception {
    CustomObjects.unregister("Tower");
    try (Model model = new Tower(3)) {
      model.buildFor(Shape.of(-1, 4));
      Path file = dir.resolve("tower.keras");
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.save(file));
      assertTrue(e.getMessage().contains(Tower.class.getName() + ", a subclassed model that is not registered"), e.getMessage());
      assertTrue(e.getMessage().contains("CustomObjects.register(\"Tower\", Tower::fromConfig)"), e.getMessage());
      assertTrue(e.getMessage().contains("public static Tower fromConfig(Config config)"), e.getMessage());
      assertTrue(e.getMessage().contains("@Override public Config getConfig()"), e.getMessage());
      assertFalse(Files.exists(file), "nothing written");
      assertThrows(IllegalArgumentException.class, model::toJson);
    } finally {
      CustomObjects.register("Tower", Tower::fromConfig);
    }
  }

  @Test
  void subclassedModelWithoutAConfigIsRefusedWithTheCodeToWrite() {
    CustomObjects.register("Bare", c -> new Bare());
    try (Model model = new Bare()) {
      model.buildFor(Shape.of(-1, 2));
      UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, model::toJson);
      assertTrue(e.getMessage().startsWith("Model 'bare' is a subclassed model (" + Bare.class.getName()
          + ") without a config"), e.getMessage());
      assertTrue(e.getMessage().contains("CustomObjects.register(\"Bare\", Bare::fromConfig)"), e.getMessage());
      assertTrue(e.getMessage().contains("saveWeights(Path.of(\"bare.weights.h5\"))"), e.getMessage());
    } finally {
      CustomObjects.unregister("Bare");
    }
  }

  @Test
  void unregisteredClassesAreNamedOnLoadAndNothingStaysBuilt() throws Exception {
    Path tower = dir.resolve("tower.keras");
    Path scaled = dir.resolve("scaled.keras");
    try (Model model = new Tower(3)) {
      model.buildFor(Shape.of(-1, 4));
      model.save(tower);
    }
    String json;
    KerasTensor in = Input.of(4);
    Functional inner = Model.of(in, new Dense(3).apply(in));
    try (Model model = new Sequential(Input.of(4), inner, new Scale(1.5))) {
      json = model.toJson();
      model.save(scaled);
    }
    CustomObjects.unregister("Tower");
    CustomObjects.unregister("Scale");
    try {
      GraphRuntime.reset();
      KerasFormatException model = assertThrows(KerasFormatException.class, () -> Model.load(tower));
      assertTrue(model.getMessage().startsWith(tower.toString()), model.getMessage());
      assertTrue(model.getMessage().contains("Could not locate class 'Tower' (registered name 'Custom>Tower')"),
          model.getMessage());
      assertTrue(model.getMessage().contains("CustomObjects.register(\"Tower\", Tower::fromConfig)"), model.getMessage());

      // the nested functional model is built before the unknown layer is met: it is released again
      GraphRuntime.reset();
      GraphRuntime runtime = GraphRuntime.current();
      KerasFormatException layer = assertThrows(KerasFormatException.class, () -> Model.load(scaled));
      assertTrue(layer.getMessage().contains("Unknown layer class 'Scale' (layer 'scale', registered name 'Custom>Scale')"),
          layer.getMessage());
      assertTrue(layer.getMessage().contains("CustomObjects.register(\"Scale\", Scale::fromConfig)"), layer.getMessage());
      assertTrue(runtime.isClosed(), "every model built during the failed load was closed");

      GraphRuntime.reset();
      GraphRuntime again = GraphRuntime.current();
      assertThrows(IllegalArgumentException.class, () -> Model.fromJson(json));
      assertTrue(again.isClosed(), "every model built during the failed fromJson was closed");
    } finally {
      CustomObjects.register("Tower", Tower::fromConfig);
      CustomObjects.register("Scale", Scale::fromConfig);
    }
  }

  private static List<Long> dims(Dataset dataset) {
    assertNotNull(dataset);
    return java.util.Arrays.stream(dataset.getDimensionsAsLong()).boxed().toList();
  }
}
