package dev.tfkeras.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.layers.Activation;
import dev.tfkeras.layers.Dense;
import dev.tfkeras.layers.Input;
import dev.tfkeras.layers.KerasTensor;
import dev.tfkeras.layers.Layer;
import dev.tfkeras.losses.MeanSquaredError;
import dev.tfkeras.optimizers.Adam;
import dev.tfkeras.runtime.GraphRuntime;
import dev.tfkeras.testing.FreshRuntime;
import dev.tfkeras.variables.Variable;
import java.nio.file.Path;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.StdArrays;
import org.tensorflow.types.TFloat32;

/**
 * Models inside models, three levels deep, in each direction (functional in Sequential, Sequential
 * in functional, subclassed in functional): every weight is tracked once, trains, saves and loads
 * bitwise, and exports to a SavedModel that serves the same values; a base shared by two models.
 */
@ExtendWith(FreshRuntime.class)
class NestingTest {

  private static final int FEATURES = 5;
  private static final int EXAMPLES = 64;

  @TempDir Path tmp;

  /** A subclassed block: two Dense layers as fields. */
  static final class Block extends Model {
    final Dense hidden = new Dense(6, Activation.RELU);
    final Dense out = new Dense(4);

    @Override
    protected Operand<TFloat32> call(Operand<TFloat32> x, boolean training) {
      return out.apply(hidden.apply(x));
    }
  }

  private static Functional functional(Layer... layers) {
    KerasTensor in = Input.of(FEATURES);
    KerasTensor x = in;
    for (Layer layer : layers) {
      x = layer.apply(x);
    }
    return Model.of(in, x);
  }

  /** functional → Sequential → Sequential. */
  private static Model functionalInSequential() {
    Functional inner = functional(new Dense(6, Activation.RELU), new Dense(4));
    Sequential middle = new Sequential(inner, new Dense(3));
    return new Sequential(middle, new Dense(2));
  }

  /** Sequential → functional → functional. */
  private static Model sequentialInFunctional() {
    Sequential inner = new Sequential(new Dense(6, Activation.RELU), new Dense(4));
    Functional middle = functional(inner, new Dense(3));
    return functional(middle, new Dense(2));
  }

  /** subclassed → functional → functional. */
  private static Model subclassedInFunctional() {
    Functional middle = functional(new Block(), new Dense(3));
    return functional(middle, new Dense(2));
  }

  @Test
  void functionalInSequentialThreeLevelsDeep() throws Exception {
    checkNested(NestingTest::functionalInSequential);
  }

  @Test
  void sequentialInFunctionalThreeLevelsDeep() throws Exception {
    checkNested(NestingTest::sequentialInFunctional);
  }

  @Test
  void subclassedInFunctionalThreeLevelsDeep() throws Exception {
    checkNested(NestingTest::subclassedInFunctional);
  }

  /**
   * 4 Dense layers in all (6, 4, 3, 2 units on 5 features): 8 weights, 36 + 28 + 15 + 8 = 87
   * parameters, every one tracked, trained, saved, loaded and exported.
   */
  private void checkNested(Supplier<Model> architecture) throws Exception {
    GraphRuntime.setRandomSeed(7);
    float[][] x = random(EXAMPLES, FEATURES, 1);
    float[][] y = random(EXAMPLES, 2, 2);
    try (Model model = architecture.get()) {
      model.buildFor(Shape.of(-1, FEATURES));
      assertEquals(8, model.variables().size(), "every nested weight is tracked: " + paths(model));
      assertEquals(8, model.trainableVariables().size());
      assertEquals(87, model.countParams());
      assertEquals(8, distinctPaths(model), "weight paths are unique: " + paths(model));
      String summary = SummaryTest.summary(model);
      assertTrue(summary.contains("Total params: 87"), summary);

      List<FloatNdArray> before = model.getWeights();
      model.compile(new Adam(0.01f), new MeanSquaredError());
      model.fit(x, y, new FitOptions().epochs(2).batchSize(16).verbose(0).shuffle(false));
      List<FloatNdArray> after = model.getWeights();
      for (int i = 0; i < before.size(); i++) {
        assertFalse(before.get(i).equals(after.get(i)), "weight " + model.weights().get(i).path() + " trained");
      }

      float[][] trained = model.predict(x);
      model.saveWeights(tmp.resolve("w"));
      model.fit(x, y, new FitOptions().epochs(1).batchSize(16).verbose(0));
      assertFalse(java.util.Arrays.deepEquals(trained, model.predict(x)));
      model.loadWeights(tmp.resolve("w"));
      assertArrayEquals(trained, model.predict(x), "loaded bitwise");

      Path export = tmp.resolve("export");
      model.save(export);
      float[][] served = serve(export, x);
      for (int i = 0; i < EXAMPLES; i++) {
        assertArrayEquals(trained[i], served[i], 1e-6f, "served example " + i);
      }
    }
  }

  @Test
  void oneBaseServesTwoModelsWithOneSetOfWeights() {
    GraphRuntime.setRandomSeed(3);
    Functional base = functional(new Dense(6, Activation.RELU), new Dense(4));
    KerasTensor in1 = Input.of(FEATURES);
    Functional first = Model.of(in1, new Dense(2).apply(base.apply(in1)));
    KerasTensor in2 = Input.of(FEATURES);
    Functional second = Model.of(in2, new Dense(3).apply(base.apply(in2)));

    Set<Variable<TFloat32>> shared = identitySet(base.variables());
    assertEquals(4, shared.size());
    assertTrue(identitySet(first.variables()).containsAll(shared));
    assertTrue(identitySet(second.variables()).containsAll(shared));
    assertEquals(6, first.variables().size());
    assertEquals(6, second.variables().size());
    assertSame(base, first.getLayer(base.name()));
    assertSame(base, second.getLayer(base.name()));

    // Training the first model moves the base that the second one uses.
    List<FloatNdArray> baseBefore = base.getWeights();
    float[][] secondBefore = second.predict(random(4, FEATURES, 5));
    first.compile(new Adam(0.05f), new MeanSquaredError());
    first.fit(random(32, FEATURES, 6), random(32, 2, 7), new FitOptions().epochs(1).verbose(0));
    assertFalse(baseBefore.get(0).equals(base.getWeights().get(0)));
    assertFalse(java.util.Arrays.deepEquals(secondBefore, second.predict(random(4, FEATURES, 5))));
  }

  @Test
  void aModelUsedInsideATracedCallOfAnotherIsTrackedByIt() {
    GraphRuntime.setRandomSeed(4);
    Functional base = functional(new Dense(4));
    class Head extends Model {
      final Dense out = new Dense(2);

      @Override
      protected Operand<TFloat32> call(Operand<TFloat32> x, boolean training) {
        return out.apply(base.apply(x, false));
      }
    }
    try (Head head = new Head()) {
      head.buildFor(Shape.of(-1, FEATURES));
      assertEquals(4, head.variables().size());
      assertEquals(List.of(base.name(), "out"), head.layers().stream().map(Layer::name).toList());
      assertTrue(SummaryTest.summary(head).contains(base.name() + " (Functional)"));
    }
  }

  @Test
  void freezingANestedModelFreezesEverythingItHolds() {
    GraphRuntime.setRandomSeed(5);
    try (Model model = functionalInSequential()) {
      model.buildFor(Shape.of(-1, FEATURES));
      Sequential middle = (Sequential) model.layers().get(0);
      middle.setTrainable(false);
      assertEquals(2, model.trainableVariables().size(), "only the outer Dense trains");
      assertEquals(6, model.nonTrainableVariables().size());
      Layer inner = middle.layers().get(0);
      assertFalse(inner.isTrainable());
      assertFalse(inner.layers().get(1).isTrainable());

      List<FloatNdArray> frozen = middle.getWeights();
      model.compile(new Adam(0.05f), new MeanSquaredError());
      model.fit(random(32, FEATURES, 1), random(32, 2, 2), new FitOptions().epochs(1).verbose(0));
      assertEquals(frozen, middle.getWeights());

      middle.setTrainable(true);
      assertEquals(8, model.trainableVariables().size());
      model.compile(new Adam(0.05f), new MeanSquaredError());
      model.fit(random(32, FEATURES, 1), random(32, 2, 2), new FitOptions().epochs(1).verbose(0));
      assertFalse(frozen.get(0).equals(middle.getWeights().get(0)));
    }
  }

  @Test
  void namedLayersAreFoundAndMustBeUnique() {
    KerasTensor in = Input.named("features", TFloat32.class, FEATURES);
    Layer hidden = new Dense(4).name("hidden");
    KerasTensor h = hidden.apply(in);
    KerasTensor out = new Dense(1).name("score").apply(h);
    try (Functional model = Model.of(in, out)) {
      assertSame(hidden, model.getLayer("hidden"));
      assertEquals("features", model.getLayer(0).name());
      assertEquals(List.of("features", "hidden", "score"), model.layers().stream().map(Layer::name).toList());
      assertEquals(List.of("features"), model.inputNames());
      assertEquals(List.of("score"), model.outputNames());
      assertSame(h, hidden.output());
      assertSame(in, hidden.input());
      assertEquals("hidden/kernel", hidden.variables().get(0).path());
      IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> model.getLayer("dense"));
      assertEquals(
          "No such layer: dense. Existing layers are: ['features', 'hidden', 'score'].", missing.getMessage());
    }
    KerasTensor in2 = Input.of(FEATURES);
    KerasTensor a = new Dense(2).name("twin").apply(in2);
    KerasTensor b = new Dense(2).name("twin").apply(a);
    IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> Model.of(in2, b));
    assertEquals(
        "The name \"twin\" is used 2 times in the model. All operation names should be unique.",
        twice.getMessage());
    IllegalArgumentException sequential =
        assertThrows(
            IllegalArgumentException.class,
            () -> new Sequential(new Dense(2).name("d"), new Dense(2).name("d")));
    assertTrue(sequential.getMessage().startsWith("All layers added to a Sequential model should have unique names."));
    assertThrows(IllegalArgumentException.class, () -> new Dense(2).name("a/b"));
    IllegalStateException never = assertThrows(IllegalStateException.class, () -> new Dense(2).output());
    assertTrue(never.getMessage().startsWith("The layer dense has never been called and thus has no defined output."));
  }

  @Test
  void aSequentialWithAnInputIsBuiltAtOnce() {
    Sequential model = new Sequential(Input.of(FEATURES), new Dense(4, Activation.RELU), new Dense(2));
    assertTrue(model.isBuilt());
    assertEquals(4, model.getWeights().size());
    assertEquals("(None, 2)", Layer.format(model.outputShape()));
    Sequential added = new Sequential();
    added.add(Input.of(FEATURES));
    added.add(new Dense(3));
    assertEquals(18, added.countParams(), "built from its Input when first needed");
    IllegalStateException late =
        assertThrows(IllegalStateException.class, () -> new Sequential(new Dense(2)).add(Input.of(3)));
    assertTrue(late.getMessage().startsWith("An Input can only be the first entry"), late.getMessage());
  }

  @Test
  void aTrainingFlagFixedOnATwoInputCallReachesTheBase() {
    KerasTensor a = Input.of(FEATURES);
    KerasTensor b = Input.of(FEATURES);
    Layer sum = new dev.tfkeras.layers.Add();
    KerasTensor joined = sum.applyWithTraining(List.of(a, b), false).get(0);
    assertEquals(Boolean.FALSE, joined.node().training());
    try (Functional model = Model.of(List.of(a, b), List.of(joined))) {
      float[][] x = random(2, FEATURES, 1);
      float[][] y = model.predict(List.of(x, x));
      assertEquals(2 * x[1][3], y[1][3], 1e-6f);
    }
  }

  @Test
  void publicBuildIsKerasModelBuild() {
    try (Block block = new Block()) {
      block.build(Shape.of(-1, FEATURES));
      assertTrue(block.isBuilt());
      assertEquals(List.of("hidden/kernel", "hidden/bias", "out/kernel", "out/bias"), paths(block));
    }
  }

  /** {@code serving_default} of the export applied to {@code x}. */
  private static float[][] serve(Path dir, float[][] x) {
    try (SavedModelBundle bundle = SavedModelBundle.load(dir.toString(), "serve");
        TFloat32 input = TFloat32.tensorOf(StdArrays.ndCopyOf(x));
        var result = bundle.function("serving_default").call(Map.<String, Tensor>of("inputs", input))) {
      TFloat32 y = (TFloat32) result.get("output_0").orElseThrow();
      float[][] out = new float[(int) y.shape().get(0)][(int) y.shape().get(1)];
      StdArrays.copyFrom(y, out);
      return out;
    }
  }

  private static List<String> paths(Layer layer) {
    return layer.variables().stream().map(Variable::path).toList();
  }

  private static long distinctPaths(Layer layer) {
    return paths(layer).stream().distinct().count();
  }

  private static <T> Set<T> identitySet(List<T> items) {
    Set<T> set = Collections.newSetFromMap(new IdentityHashMap<>());
    set.addAll(items);
    return set;
  }

  static float[][] random(int rows, int columns, long seed) {
    Random random = new Random(seed);
    float[][] out = new float[rows][columns];
    for (float[] row : out) {
      for (int j = 0; j < columns; j++) {
        row[j] = (float) random.nextGaussian();
      }
    }
    return out;
  }

}
