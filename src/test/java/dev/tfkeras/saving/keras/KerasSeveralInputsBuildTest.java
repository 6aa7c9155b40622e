package dev.tfkeras.saving.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.layers.Dense;
import dev.tfkeras.models.Model;
import dev.tfkeras.runtime.GraphRuntime;
import dev.tfkeras.saving.Config;
import dev.tfkeras.saving.CustomObjects;
import dev.tfkeras.testing.FreshRuntime;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * A subclassed model of several inputs saved to a {@code .keras} file: its {@code build_config} holds
 * one shape per input ({@code {"input_shape": [[null, 3], [null, 4]]}}, as Keras 3 writes it for a
 * model called on a list), and loading builds it from those shapes before placing the weights, as
 * Keras's {@code build_from_config}.
 */
@ExtendWith(FreshRuntime.class)
class KerasSeveralInputsBuildTest {

  @TempDir Path dir;

  /** Two inputs, each through its own Dense layer, summed. */
  static final class Pair extends Model {
    final Dense left = new Dense(2);
    final Dense right = new Dense(2);

    @Override
    protected Operand<TFloat32> call(List<Operand<?>> inputs, boolean training) {
      return tf().math.add(left.apply(asFloat(inputs.get(0))), right.apply(asFloat(inputs.get(1))));
    }

    @Override
    public Config getConfig() {
      return new Config().put("name", name());
    }

    public static Pair fromConfig(Config config) {
      Pair model = new Pair();
      model.name(config.getString("name", "pair"));
      config.checkAllRead();
      return model;
    }
  }

  @BeforeAll
  static void register() {
    CustomObjects.register("Pair", Pair::fromConfig);
  }

  @AfterAll
  static void unregister() {
    CustomObjects.unregister("Pair");
  }

  private static float[][] random(int rows, int cols, long seed) {
    Random random = new Random(seed);
    float[][] out = new float[rows][cols];
    for (float[] row : out) {
      for (int j = 0; j < cols; j++) {
        row[j] = random.nextFloat();
      }
    }
    return out;
  }

  @Test
  void aSubclassedModelOfTwoInputsLoadsFromItsShapes() throws Exception {
    List<float[][]> x = List.of(random(5, 3, 1), random(5, 4, 2));
    Path file = dir.resolve("pair.keras");
    float[][] saved;
    try (Pair model = new Pair()) {
      saved = model.predict(x);
      model.save(file);
    }
    try (KerasArchive archive = KerasArchive.open(file)) {
      assertEquals("{\"input_shape\":[[null,3],[null,4]]}", archive.config().get("build_config").toString());
    }
    GraphRuntime.reset();
    try (Model loaded = Model.load(file)) {
      assertInstanceOf(Pair.class, loaded);
      assertEquals("[[-1, 3], [-1, 4]]", loaded.inputShapes().toString());
      float[][] again = loaded.predict(x);
      for (int i = 0; i < saved.length; i++) {
        assertArrayEquals(saved[i], again[i]);
      }
    }
  }

  @Test
  void kerasBuildConfigOfAModelCalledOnAListBuildsEachInput() {
    // Keras 3.15.1's get_build_config() of a subclassed model called on [zeros((1, 3)), zeros((1, 4))]
    String json = "{\"module\": null, \"class_name\": \"Pair\", \"config\": {\"name\": \"pair\"},"
        + " \"registered_name\": \"Pair\", \"build_config\": {\"input_shape\": [[1, 3], [1, 4]]}}";
    try (Model model = Model.fromJson(json)) {
      assertTrue(model.isBuilt());
      assertEquals(List.of(3L, 4L), model.inputShapes().stream().map(s -> s.get(1)).toList());
      assertEquals(3L, ((Pair) model).left.inputShape().get(1));
      assertEquals(4L, ((Pair) model).right.inputShape().get(1));
    }
  }

  @Test
  void oneShapeOrOneShapePerInputIsRead() {
    assertEquals("[[-1, 3]]", KerasModelReader.inputShapes(List.of(java.util.Arrays.asList(null, 3))).toString());
    assertEquals("[[-1, 3], [2, 4, 5]]",
        KerasModelReader.inputShapes(List.of(java.util.Arrays.asList(null, 3), List.of(2, 4, 5))).toString());
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> KerasModelReader.inputShapes("(1, 3)"));
    assertTrue(bad.getMessage().contains("input_shape must be a shape (a list of sizes) or a list of shapes"), bad.getMessage());
    IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
        () -> KerasModelReader.inputShapes(List.of(1, "three")));
    assertTrue(size.getMessage().contains("each size in input_shape must be an integer or null, received three"),
        size.getMessage());
  }
}
