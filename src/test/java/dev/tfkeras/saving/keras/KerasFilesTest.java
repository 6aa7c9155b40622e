package dev.tfkeras.saving.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.layers.Dense;
import dev.tfkeras.models.Model;
import dev.tfkeras.testing.FreshRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.FloatNdArray;

/** Keras 3 files written here in Keras's layout: built, weights placed, errors named. */
@ExtendWith(FreshRuntime.class)
class KerasFilesTest {

  @TempDir Path dir;

  @Test
  void snakeCaseIsKerasNaming() {
    assertEquals("dense", KerasModelReader.snakeCase("Dense"));
    assertEquals("conv2d", KerasModelReader.snakeCase("Conv2D"));
    assertEquals("max_pooling2d", KerasModelReader.snakeCase("MaxPooling2D"));
    assertEquals("batch_normalization", KerasModelReader.snakeCase("BatchNormalization"));
    assertEquals("global_average_pooling2d", KerasModelReader.snakeCase("GlobalAveragePooling2D"));
    assertEquals("input_layer", KerasModelReader.snakeCase("InputLayer"));
  }

  @Test
  void sequentialLoadsWithNamesShapesAndWeightsBitwise() throws Exception {
    Path file = KerasFileFixture.write(dir.resolve("m.keras"), KerasFileFixture.sequentialConfig(),
        KerasFileFixture.sequentialWeights());
    try (Model model = Model.load(file)) {
      assertEquals("sequential", model.name());
      assertEquals(List.of("dense", "dense_1"), model.layers().stream().map(l -> l.name()).toList());
      assertEquals(4 * 3 + 3 + 3 * 2 + 2, model.countParams());
      List<FloatNdArray> weights = model.getWeights();
      assertEquals(Float.floatToIntBits(KerasFileFixture.KERNEL[3][2]), Float.floatToIntBits(weights.get(0).getFloat(3, 2)));
      assertEquals(Float.floatToIntBits(KerasFileFixture.BIAS_1[1]), Float.floatToIntBits(weights.get(3).getFloat(1)));
      float[] x = {1f, 2f, 3f, 4f};
      float[][] y = model.predict(new float[][] {x});
      assertArrayEquals(expected(x), y[0], 1e-6f);
    }
  }

  /** The fixture's maths by hand: softmax(relu(x·K + b)·K1 + b1). */
  private static float[] expected(float[] x) {
    float[] h = new float[3];
    for (int j = 0; j < 3; j++) {
      float s = KerasFileFixture.BIAS[j];
      for (int i = 0; i < 4; i++) {
        s += x[i] * KerasFileFixture.KERNEL[i][j];
      }
      h[j] = Math.max(0, s);
    }
    double[] z = new double[2];
    for (int j = 0; j < 2; j++) {
      z[j] = KerasFileFixture.BIAS_1[j];
      for (int i = 0; i < 3; i++) {
        z[j] += h[i] * KerasFileFixture.KERNEL_1[i][j];
      }
    }
    double max = Math.max(z[0], z[1]);
    double e0 = Math.exp(z[0] - max), e1 = Math.exp(z[1] - max);
    return new float[] {(float) (e0 / (e0 + e1)), (float) (e1 / (e0 + e1))};
  }

  @Test
  void unknownLayerClassIsNamedWithTheSupportedOnesAndTheRegistryToCome() throws Exception {
    Path file = KerasFileFixture.write(dir.resolve("m.keras"), KerasFileFixture.SEQUENTIAL_CONFIG.formatted("MyDense", ""),
        KerasFileFixture.sequentialWeights());
    KerasFormatException e = assertThrows(KerasFormatException.class, () -> KerasFiles.load(file));
    assertTrue(e.getMessage().contains("Unknown layer class 'MyDense' (layer 'dense')"), e.getMessage());
    assertTrue(e.getMessage().contains("Conv2D, Dense, Dropout"), e.getMessage());
    assertTrue(e.getMessage().contains("registry of custom objects"), e.getMessage());
    assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
  }

  @Test
  void unknownConfigKeyIsNamedWithItsLayer() throws Exception {
    Path file = KerasFileFixture.write(dir.resolve("m.keras"),
        KerasFileFixture.SEQUENTIAL_CONFIG.formatted("Dense", ", \"future_option\": 7"), KerasFileFixture.sequentialWeights());
    KerasFormatException e = assertThrows(KerasFormatException.class, () -> KerasFiles.load(file));
    assertTrue(e.getMessage().contains("Layer 'dense' (Dense) has config key(s) [future_option]"), e.getMessage());
  }

  @Test
  void weightOfTheWrongShapeNamesLayerVariableAndBothShapes() throws Exception {
    Map<String, List<Object>> weights = KerasFileFixture.sequentialWeights();
    weights.put("layers/dense_1/vars", List.of(new float[3][5], KerasFileFixture.BIAS_1));
    Path file = KerasFileFixture.write(dir.resolve("m.keras"), KerasFileFixture.sequentialConfig(), weights);
    KerasFormatException e = assertThrows(KerasFormatException.class, () -> KerasFiles.load(file));
    assertTrue(e.getMessage().contains("layer 'dense_1' (Dense) variable 0"), e.getMessage());
    assertTrue(e.getMessage().contains("has shape (3, 2) in the model but (3, 5) in model.weights.h5 at layers/dense_1/vars/0"),
        e.getMessage());
  }

  @Test
  void missingVariablesAreNamed() throws Exception {
    Map<String, List<Object>> weights = KerasFileFixture.sequentialWeights();
    weights.remove("layers/dense_1/vars");
    Path file = KerasFileFixture.write(dir.resolve("m.keras"), KerasFileFixture.sequentialConfig(), weights);
    KerasFormatException e = assertThrows(KerasFormatException.class, () -> KerasFiles.load(file));
    assertTrue(e.getMessage().contains("layer 'dense_1' (Dense) has 2 variable(s) in the model but model.weights.h5 holds 0"
        + " at layers/dense_1/vars"), e.getMessage());
  }

  @Test
  void truncatedZipIsNamed() throws Exception {
    Path good = KerasFileFixture.write(dir.resolve("m.keras"), KerasFileFixture.sequentialConfig(),
        KerasFileFixture.sequentialWeights());
    byte[] bytes = Files.readAllBytes(good);
    Path cut = Files.write(dir.resolve("cut.keras"), Arrays.copyOf(bytes, bytes.length / 2));
    KerasFormatException e = assertThrows(KerasFormatException.class, () -> KerasFiles.load(cut));
    assertTrue(e.getMessage().startsWith(cut.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("damaged or truncated"), e.getMessage());
  }

  @Test
  void damagedWeightsPartIsNamed() throws Exception {
    byte[] h5 = Arrays.copyOf(KerasArchive.HDF5_SIGNATURE, 64);
    Path file = KerasFileFixture.zip(dir.resolve("m.keras"), KerasFileFixture.sequentialConfig(), h5);
    KerasFormatException e = assertThrows(KerasFormatException.class, () -> KerasFiles.load(file));
    assertTrue(e.getMessage().contains("its part model.weights.h5 is damaged"), e.getMessage());
  }

  @Test
  void damagedConfigPartIsNamed() throws Exception {
    Path file = KerasFileFixture.write(dir.resolve("m.keras"), "{\"class_name\": ", KerasFileFixture.sequentialWeights());
    KerasFormatException e = assertThrows(KerasFormatException.class, () -> KerasFiles.load(file));
    assertTrue(e.getMessage().contains("its part config.json is not valid JSON"), e.getMessage());
  }

  @Test
  void hdf5BytesAreReadAsALegacyModelWhateverTheName() throws Exception {
    Path file = Files.write(dir.resolve("model.keras"), Arrays.copyOf(KerasArchive.HDF5_SIGNATURE, 512));
    KerasFormatException e = assertThrows(KerasFormatException.class, () -> KerasFiles.load(file));
    assertTrue(e.getMessage().contains("model.keras is damaged and cannot be read as HDF5"), e.getMessage());
    KerasFormatException archive = assertThrows(KerasFormatException.class, () -> KerasArchive.open(file));
    assertTrue(archive.getMessage().contains("is an HDF5 file (a legacy Keras .h5 full model"), archive.getMessage());
  }

  @Test
  void otherBytesAreNotAKerasFile() throws Exception {
    Path file = Files.writeString(dir.resolve("model.keras"), "hello");
    KerasFormatException e = assertThrows(KerasFormatException.class, () -> KerasFiles.load(file));
    assertTrue(e.getMessage().contains("is not a Keras file"), e.getMessage());
  }

  @Test
  void layerClassesUsedByTheMnistModelsAreSupported() {
    assertTrue(KerasLayers.supported().containsAll(List.of("Dense", "Conv2D", "MaxPooling2D", "Flatten", "Dropout")));
    assertTrue(new Dense(1) != null);
  }
}
