package dev.tfkeras.saving.keras;

import static dev.tfkeras.saving.keras.KerasSaveTest.assertSameWeights;
import static dev.tfkeras.saving.keras.KerasSaveTest.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.layers.Dense;
import dev.tfkeras.layers.Input;
import dev.tfkeras.models.FitOptions;
import dev.tfkeras.models.Model;
import dev.tfkeras.models.Sequential;
import dev.tfkeras.optimizers.Adadelta;
import dev.tfkeras.optimizers.Adagrad;
import dev.tfkeras.optimizers.Adam;
import dev.tfkeras.optimizers.AdamW;
import dev.tfkeras.optimizers.Adamax;
import dev.tfkeras.optimizers.Ftrl;
import dev.tfkeras.optimizers.Lion;
import dev.tfkeras.optimizers.Nadam;
import dev.tfkeras.optimizers.Optimizer;
import dev.tfkeras.optimizers.RMSprop;
import dev.tfkeras.optimizers.SGD;
import dev.tfkeras.optimizers.schedules.ExponentialDecay;
import dev.tfkeras.runtime.GraphRuntime;
import dev.tfkeras.testing.FreshRuntime;
import dev.tfkeras.variables.Variable;
import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import java.lang.reflect.Array;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TType;

/**
 * Every optimizer's state in a {@code .keras} file: Keras 3's layout of {@code optimizer/vars}
 * (written here from each Keras optimizer's {@code build}, independently of KerasWeights), and
 * training that continues bitwise after save and load as if it had not stopped.
 */
@ExtendWith(FreshRuntime.class)
class KerasOptimizerStateTest {

  @TempDir Path dir;

  /**
   * One optimizer: how to make it, and its Keras layout after {@code iterations} (and {@code
   * learning_rate} unless a schedule): each group is one {@code add_optimizer_variables} call of
   * the Keras {@code build}, Keras's names mapped to tfkeras's slot names; then own scalars.
   */
  record Case(String what, Supplier<Optimizer> make, boolean learningRate, List<List<String>> groups, List<String> scalars) {}

  private static Case of(String what, Supplier<Optimizer> make, List<List<String>> groups, String... scalars) {
    return new Case(what, make, true, groups, List.of(scalars));
  }

  /** Keras's build, per optimizer (keras/src/optimizers/*.py), as tfkeras's slot names. */
  static List<Case> cases() {
    return List.of(
        // adam.py: add_optimizer_variables(vars, ["momentum", "velocity"]) (tfkeras: m, v), then velocity_hat
        of("Adam", () -> new Adam(0.01), List.of(List.of("m", "v"))),
        of("Adam amsgrad", () -> new Adam(0.01).amsgrad(true), List.of(List.of("m", "v"), List.of("v_hat"))),
        of("AdamW", () -> new AdamW(0.01, 0.1), List.of(List.of("m", "v"))),
        // sgd.py: momentum only when momentum != 0
        of("SGD", () -> new SGD(0.05), List.of()),
        of("SGD momentum", () -> new SGD(0.05).momentum(0.9).nesterov(true), List.of(List.of("momentum"))),
        // rmsprop.py: velocity; momentum if > 0; average_gradient if centered (three calls)
        of("RMSprop", () -> new RMSprop(0.01), List.of(List.of("velocity"))),
        of("RMSprop centered", () -> new RMSprop(0.01).momentum(0.5).centered(true),
            List.of(List.of("velocity"), List.of("momentum"), List.of("average_gradient"))),
        // nadam.py: ["momentum", "velocity"], then self._u_product = backend.Variable(1.0), tracked last
        of("Nadam", () -> new Nadam(0.01), List.of(List.of("momentum", "velocity")), "u_product"),
        // adagrad.py: "accumulator" (initial_accumulator_value)
        of("Adagrad", () -> new Adagrad(0.05), List.of(List.of("accumulator"))),
        // adadelta.py: ["accumulated_grad", "accumulated_delta_var"]
        of("Adadelta", () -> new Adadelta(1.0), List.of(List.of("accumulated_grad", "accumulated_delta_var"))),
        // adamax.py: ["momentum", "norm"]
        of("Adamax", () -> new Adamax(0.01), List.of(List.of("momentum", "norm"))),
        // ftrl.py: ["accumulator", "linear"]
        of("Ftrl", () -> new Ftrl(0.05).l1RegularizationStrength(0.001), List.of(List.of("accumulator", "linear"))),
        // lion.py: "momentum"
        of("Lion", () -> new Lion(0.001), List.of(List.of("momentum"))),
        // base_optimizer.py build: the moving averages first ("average"), then the optimizer's build
        of("Adamax use_ema", () -> new Adamax(0.01).emaMomentum(0.9),
            List.of(List.of("average"), List.of("momentum", "norm"))),
        of("Nadam use_ema", () -> new Nadam(0.01).emaMomentum(0.9),
            List.of(List.of("average"), List.of("momentum", "velocity")), "u_product"),
        // a schedule: no learning_rate variable
        new Case("Nadam schedule", () -> new Nadam(new ExponentialDecay(0.01, 2, 0.5)), false,
            List.of(List.of("momentum", "velocity")), List.of("u_product")),
        new Case("Ftrl schedule", () -> new Ftrl(new ExponentialDecay(0.05, 2, 0.5)), false,
            List.of(List.of("accumulator", "linear")), List.of()));
  }

  /** The tfkeras paths of the case's Keras layout, for the model's trainable variables. */
  private static List<String> expectedPaths(Case c, Optimizer optimizer, List<Variable<TFloat32>> trainable) {
    String n = optimizer.name() + "/";
    List<String> out = new ArrayList<>(List.of(n + "iterations"));
    if (c.learningRate()) {
      out.add(n + "learning_rate");
    }
    for (List<String> group : c.groups()) {
      for (Variable<TFloat32> v : trainable) {
        group.forEach(slot -> out.add(n + v.path() + "/" + slot));
      }
    }
    c.scalars().forEach(s -> out.add(n + s));
    return out;
  }

  private static Sequential model() {
    return new Sequential(Input.of(3), new Dense(4, "relu"), new Dense(2));
  }

  private static FitOptions epochs(int n) {
    // 8 samples in batches of 4: two steps per epoch
    return new FitOptions().epochs(n).batchSize(4).shuffle(false).verbose(0);
  }

  @Test
  void everyOptimizerWritesKerasLayoutAndResumesBitwise() throws Exception {
    float[][] x = random(8, 3, 41);
    float[][] y = random(8, 2, 42);
    for (Case c : cases()) {
      Path file = dir.resolve("state.keras");
      try (Sequential model = model()) {
        model.compile(c.make().get(), "mse");
        List<FloatNdArray> initial = model.getWeights();
        model.fit(x, y, epochs(1));
        model.save(file);
        assertLayout(c, model, file);
        try (Model loaded = Model.load(file)) {
          assertEquals(c.make().get().getClass(), loaded.optimizer().getClass(), c.what());
          assertEquals(2, loaded.optimizer().iterations(), c.what());
          loaded.fit(x, y, epochs(2));
          model.fit(x, y, epochs(2));
          assertEquals(6, loaded.optimizer().iterations(), c.what());
          assertSameWeights(model, loaded);
          if (!c.make().get().useEma()) {
            // with use_ema each fit ends by copying the averages into the weights, so one fit of
            // three epochs differs from fits of one and two, in Keras as here
            try (Sequential whole = model()) {
              whole.setWeights(initial);
              whole.compile(c.make().get(), "mse");
              whole.fit(x, y, epochs(3));
              assertSameWeights(whole, loaded);
            }
          }
        }
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError(c.what() + ": " + e.getMessage(), e);
      }
      GraphRuntime.reset();
    }
  }

  /** optimizer/vars holds, in the case's Keras order, exactly the values of tfkeras's variables. */
  private static void assertLayout(Case c, Model model, Path file) throws Exception {
    Optimizer optimizer = model.optimizer();
    List<String> expected = expectedPaths(c, optimizer, model.trainableVariables());
    Map<String, Variable<?>> byPath = new HashMap<>();
    optimizer.variables().forEach(v -> byPath.put(v.path(), v));
    // tfkeras may hold more (RMSprop's fused kernel keeps a momentum even at momentum 0, which it
    // overwrites each step); the bitwise resume shows that Keras's variables are the whole state
    assertTrue(byPath.keySet().containsAll(expected), c.what() + ": " + byPath.keySet() + " holds " + expected);
    boolean weightsOnly = file.toString().endsWith(".h5");
    try (AutoCloseable open = weightsOnly ? new HdfFile(file) : KerasArchive.open(file)) {
      List<Dataset> stored = weightsOnly
          ? KerasWeights.datasets((HdfFile) open, "optimizer/vars")
          : ((KerasArchive) open).variables("optimizer/vars");
      assertEquals(expected.size(), stored.size(), c.what() + ": count");
      for (int i = 0; i < stored.size(); i++) {
        Variable<?> variable = byPath.get(expected.get(i));
        assertTrue(variable != null, c.what() + ": no variable " + expected.get(i));
        try (TType value = variable.value()) {
          assertArrayEquals(value.shape().asArray(), stored.get(i).getDimensionsAsLong(), c.what() + " vars/" + i);
          if (value instanceof TInt64 count) {
            assertTrue(List.of(long.class, Long.class).contains(stored.get(i).getJavaType()), c.what() + ": iterations is int64");
            assertEquals(count.getLong(), ((Number) stored.get(i).getData()).longValue());
          } else {
            assertArrayEquals(floats((TFloat32) value), storedFloats(stored.get(i)), 0f,
                c.what() + " vars/" + i + " is " + expected.get(i));
          }
        }
      }
    }
  }

  private static float[] floats(TFloat32 value) {
    float[] out = new float[Math.toIntExact(value.shape().size())];
    value.copyTo(DataBuffers.of(out, false, false));
    return out;
  }

  private static float[] storedFloats(Dataset dataset) {
    Object data = dataset.getData();
    if (data instanceof Number n) {
      return new float[] {n.floatValue()};
    }
    Object flat = dataset.getDataFlat();
    float[] out = new float[Array.getLength(flat)];
    for (int i = 0; i < out.length; i++) {
      out[i] = ((Number) Array.get(flat, i)).floatValue();
    }
    return out;
  }

  @Test
  void nadamProductIsKerasValueAfterTwoSteps() throws Exception {
    // nadam.py: u_product *= beta_1 * (1 - 0.5 * 0.96 ** (iterations + 1)), once per step
    float[][] x = random(8, 3, 51);
    float[][] y = random(8, 2, 52);
    Path file = dir.resolve("nadam.keras");
    try (Sequential model = model()) {
      model.compile(new Nadam(0.01), "mse");
      model.fit(x, y, epochs(1));
      model.save(file);
    }
    float expected = (float) (0.9 * (1 - 0.5 * 0.96) * 0.9 * (1 - 0.5 * 0.96 * 0.96));
    try (KerasArchive archive = KerasArchive.open(file)) {
      List<Dataset> stored = archive.variables("optimizer/vars");
      assertEquals(expected, ((Number) stored.get(stored.size() - 1).getData()).floatValue(), 1e-7f);
    }
  }

  @Test
  void restoredStateNotYetUsedIsSavedAgain() throws Exception {
    // load then save before any step: the state waits in the optimizer and is written unchanged
    float[][] x = random(8, 3, 61);
    float[][] y = random(8, 2, 62);
    Path first = dir.resolve("first.keras");
    Path second = dir.resolve("second.keras");
    for (Supplier<Optimizer> make : List.<Supplier<Optimizer>>of(() -> new Nadam(0.01), () -> new Ftrl(0.05),
        () -> new Adadelta(1.0).emaMomentum(0.9))) {
      try (Sequential model = model()) {
        model.compile(make.get(), "mse");
        model.fit(x, y, epochs(1));
        model.save(first);
        try (Model loaded = Model.load(first)) {
          loaded.save(second);
        }
        try (Model again = Model.load(second)) {
          again.fit(x, y, epochs(1));
          model.fit(x, y, epochs(1));
          assertSameWeights(model, again);
        }
      }
      try (KerasArchive a = KerasArchive.open(first); KerasArchive b = KerasArchive.open(second)) {
        List<Dataset> da = a.variables("optimizer/vars");
        List<Dataset> db = b.variables("optimizer/vars");
        assertEquals(da.size(), db.size());
        for (int i = 1; i < da.size(); i++) {
          assertArrayEquals(storedFloats(da.get(i)), storedFloats(db.get(i)), 0f, "vars/" + i);
        }
      }
      GraphRuntime.reset();
    }
  }

  @Test
  void weightsOnlyFileCarriesTheStateOfEveryOptimizer() throws Exception {
    // model.save_weights / load_weights: the same optimizer/vars, into a model compiled alike
    float[][] x = random(8, 3, 81);
    float[][] y = random(8, 2, 82);
    Path file = dir.resolve("state.weights.h5");
    List<String> some = List.of("Nadam", "Ftrl", "Adamax use_ema", "Ftrl schedule");
    for (Case c : cases().stream().filter(c -> some.contains(c.what())).toList()) {
      try (Sequential model = model(); Sequential copy = model()) {
        model.compile(c.make().get(), "mse");
        model.fit(x, y, epochs(1));
        model.saveWeights(file);
        assertLayout(c, model, file);
        copy.compile(c.make().get(), "mse");
        copy.loadWeights(file);
        assertEquals(2, copy.optimizer().iterations(), c.what());
        copy.fit(x, y, epochs(1));
        model.fit(x, y, epochs(1));
        assertSameWeights(model, copy);
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError(c.what() + ": " + e.getMessage(), e);
      }
      GraphRuntime.reset();
    }
  }

  /** Dense(2) trained by a step that never gives its bias a gradient. */
  static final class BiasWithoutGradient extends Sequential {
    BiasWithoutGradient() {
      super(Input.of(3), new Dense(2));
    }

    @Override
    protected Map<String, org.tensorflow.Operand<?>> trainStep(dev.tfkeras.models.StepData data) {
      var tf = dev.tfkeras.function.TfFunction.ops();
      var y = tf.dtypes.cast(data.y(), TFloat32.class);
      var tape = new dev.tfkeras.autodiff.GradientTape();
      org.tensorflow.Operand<TFloat32> loss;
      try (tape) {
        loss = tf.math.mean(tf.math.squaredDifference(y, apply(data.x(), true)), tf.constant(new int[] {0, 1}));
      }
      List<Variable<TFloat32>> variables = trainableVariables();
      List<org.tensorflow.Operand<TFloat32>> gradients = new ArrayList<>(tape.gradient(loss, variables));
      gradients.set(1, null);
      optimizer().applyGradients(gradients, variables);
      return Map.of("loss", loss);
    }
  }

  @Test
  void aVariableWithoutGradientGetsTheSlotsKerasBuildsForIt() throws Exception {
    // Keras builds slots for every trainable variable; Adagrad's start at initial_accumulator_value
    float[][] x = random(8, 3, 91);
    float[][] y = random(8, 2, 92);
    Path file = dir.resolve("nobias.weights.h5");
    try (Sequential model = new BiasWithoutGradient(); Sequential copy = new BiasWithoutGradient()) {
      model.compile(new Adagrad(0.05).initialAccumulatorValue(0.25), "mse");
      model.fit(x, y, epochs(1));
      model.saveWeights(file);
      try (HdfFile hdf = new HdfFile(file)) {
        List<Dataset> stored = KerasWeights.datasets(hdf, "optimizer/vars");
        // iterations, learning_rate, the kernel's accumulator, the bias's (as Keras builds it)
        assertEquals(4, stored.size());
        assertArrayEquals(new long[] {3, 2}, stored.get(2).getDimensionsAsLong());
        assertTrue(storedFloats(stored.get(2))[0] > 0.25f, "the kernel's accumulator grew");
        assertArrayEquals(new float[] {0.25f, 0.25f}, storedFloats(stored.get(3)), 0f, "initial_accumulator_value");
      }
      copy.compile(new Adagrad(0.05).initialAccumulatorValue(0.25), "mse");
      copy.loadWeights(file);
      copy.fit(x, y, epochs(1));
      model.fit(x, y, epochs(1));
      assertSameWeights(model, copy);
    }
  }

  @Test
  void nadamStateOfKeras39sOrderIsReadFromAWeightsFile() throws Exception {
    // Keras 3.0 to 3.9 wrote Nadam's u_product before its slots: the same file in that order
    float[][] x = random(8, 3, 101);
    float[][] y = random(8, 2, 102);
    Path file = dir.resolve("nadam.weights.h5");
    Path old = dir.resolve("nadam39.weights.h5");
    try (Sequential model = model(); Sequential copy = model()) {
      model.compile(new Nadam(0.01), "mse");
      model.fit(x, y, epochs(1));
      model.saveWeights(file);
      Map<String, Object> datasets = new java.util.LinkedHashMap<>();
      try (HdfFile hdf = new HdfFile(file)) {
        collect(hdf, datasets);
      }
      int n = (int) datasets.keySet().stream().filter(k -> k.startsWith("optimizer/vars/")).count();
      Map<String, Object> reordered = new java.util.LinkedHashMap<>();
      datasets.forEach((k, v) -> {
        if (!k.startsWith("optimizer/vars/")) {
          reordered.put(k, v);
        }
      });
      // iterations, learning_rate, u_product (the last), then the slots
      List<Integer> from = new ArrayList<>(List.of(0, 1, n - 1));
      for (int i = 2; i < n - 1; i++) {
        from.add(i);
      }
      for (int i = 0; i < n; i++) {
        reordered.put("optimizer/vars/" + i, datasets.get("optimizer/vars/" + from.get(i)));
      }
      try (io.jhdf.WritableHdfFile hdf = HdfFile.write(old)) {
        Map<String, io.jhdf.api.WritableGroup> groups = new HashMap<>();
        for (String path : reordered.keySet()) {
          group(hdf, groups, path.substring(0, path.lastIndexOf('/')));
        }
        reordered.forEach((path, value) ->
            groups.get(path.substring(0, path.lastIndexOf('/'))).putDataset(path.substring(path.lastIndexOf('/') + 1), value));
      }
      copy.compile(new Nadam(0.01), "mse");
      copy.loadWeights(old);
      assertEquals(2, copy.optimizer().iterations());
      copy.fit(x, y, epochs(1));
      model.fit(x, y, epochs(1));
      assertSameWeights(model, copy);
    }
  }

  private static void collect(io.jhdf.api.Group group, Map<String, Object> out) {
    for (io.jhdf.api.Node node : group.getChildren().values()) {
      if (node instanceof io.jhdf.api.Group child) {
        collect(child, out);
      } else if (node instanceof Dataset dataset) {
        out.put(dataset.getPath().replaceFirst("^/", ""), dataset.getData());
      }
    }
  }

  private static io.jhdf.api.WritableGroup group(
      io.jhdf.WritableHdfFile hdf, Map<String, io.jhdf.api.WritableGroup> groups, String path) {
    io.jhdf.api.WritableGroup existing = groups.get(path);
    if (existing != null) {
      return existing;
    }
    int slash = path.lastIndexOf('/');
    io.jhdf.api.WritableGroup created = slash < 0
        ? hdf.putGroup(path)
        : group(hdf, groups, path.substring(0, slash)).putGroup(path.substring(slash + 1));
    groups.put(path, created);
    return created;
  }
}
