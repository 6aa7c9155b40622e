package dev.tfkeras.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.SyntheticData;
import dev.tfkeras.testing.FreshRuntime;
import dev.tfkeras.testing.Tensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Tensor;
import org.tensorflow.types.TFloat32;

@ExtendWith(FreshRuntime.class)
class SavedModelTest {

  static final SyntheticData TRAIN = new SyntheticData(64, 41);
  // one predict batch (32): predict splits larger inputs, and other batch shapes may round differently
  static final SyntheticData SAMPLES = new SyntheticData(32, 42);

  @TempDir Path tmp;

  /** {@code serving_default} of the SavedModel in {@code dir} applied to the samples. */
  static float[] serve(Path dir) {
    try (SavedModelBundle bundle = SavedModelBundle.load(dir.toString(), "serve");
        TFloat32 x = SAMPLES.images(0, SAMPLES.count);
        var result = bundle.function("serving_default").call(Map.<String, Tensor>of("inputs", x))) {
      assertEquals(List.of("output_0"), List.copyOf(result.keySet()));
      TFloat32 y = (TFloat32) result.get("output_0").orElseThrow();
      assertEquals(List.of((long) SAMPLES.count, 4L), List.of(y.shape().get(0), y.shape().get(1)));
      return Tensors.read(y);
    }
  }

  static float[] predict(Model model) {
    try (TFloat32 x = SAMPLES.images(0, SAMPLES.count);
        TFloat32 y = model.predict(x)) {
      return Tensors.read(y);
    }
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void servingDefaultGivesTheModelsPredictionsAndResavingReplacesTheExport() throws IOException {
    Path dir = tmp.resolve("export");
    try (var model = new TestModels.SmallCnn()) {
      TestModels.compile(model);
      model.fit(TRAIN.dataset().batch(32), 1, null, 0);
      float[] first = predict(model);
      model.save(dir);
      assertArrayEquals(first, serve(dir), "serving_default == predict, bitwise");
      assertEquals(List.of(".tfkeras-export", "saved_model.pb", "variables", "weights.npz"), names(dir));

      model.fit(TRAIN.dataset().batch(32), 1, null, 0);
      float[] second = predict(model);
      assertFalse(java.util.Arrays.equals(first, second), "training changed the model");
      model.save(dir);
      assertArrayEquals(second, serve(dir), "the second export serves the new weights");
      assertEquals(List.of("export"), names(tmp), "no .saving- or .old- directories left beside it");

      // the export's weights.npz loads into a new instance
      model.close();
      try (var restored = new TestModels.SmallCnn()) {
        restored.buildFor(TestModels.INPUT);
        restored.loadWeights(dir);
        assertArrayEquals(second, predict(restored));
      }
    }
  }

  @Test
  void saveNeedsABuiltModel() {
    try (var model = new TestModels.SmallCnn()) {
      var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> model.save(tmp.resolve("x")));
      assertTrue(e.getMessage().startsWith("Model 'small_cnn' has not been built yet."), e.getMessage());
      assertEquals(List.of(), List.of(tmp.toFile().list()));
    }
  }
}
