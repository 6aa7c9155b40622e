package dev.tfkeras.saving.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tfkeras.datasets.Mnist;
import dev.tfkeras.models.Model;
import dev.tfkeras.testing.FreshRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.IntNdArray;

/**
 * Keras 3 MNIST models trained in Python by others, read from the directory in the environment
 * variable {@value #DIR_ENV} (skipped when it is not set: the files are third-party and not
 * committed here). Expected files: {@code mnist_dense_keras_3_11.keras} (SannMyatMin/MNIST_99.81_Accuracy
 * mnist_model.keras, Dense 784-128-10, Keras 3.11.3) and {@code mnist_convnet_keras_3_3.keras}
 * (AlibekovAA/mnist mnist_model.keras, three Conv2D, Keras 3.3.3).
 */
@ExtendWith(FreshRuntime.class)
class RealKerasFilesTest {

  static final String DIR_ENV = "TFKERAS_KERAS_FILES";

  private static Path file(String name) {
    String dir = System.getenv(DIR_ENV);
    assumeTrue(dir != null, DIR_ENV + " is not set");
    Path file = Path.of(dir, name);
    assumeTrue(Files.exists(file), file + " is absent");
    return file;
  }

  @Test
  void denseModelMatchesItsNotebookAccuracyExactly() throws Exception {
    Path file = file("mnist_dense_keras_3_11.keras");
    try (KerasArchive archive = KerasArchive.open(file)) {
      assertEquals("3.11.3", archive.kerasVersion());
    }
    Mnist.Data data = Mnist.loadData();
    try (Model model = KerasFiles.load(file)) {
      assertEquals(List.of("dense", "dense_1"), model.layers().stream().map(l -> l.name()).toList());
      assertEquals(101_770, model.countParams()); // the notebook's summary: 100,480 + 1,290
      assertBitwise(file, model, "layers/dense/vars", 0);
      assertBitwise(file, model, "layers/dense_1/vars", 2);
      // The notebook read MNIST from CSV files whose first row was taken as a header, so it
      // evaluated images 1..9999 of the test set: CategoricalAccuracy 0.9796979 = 9796 / 9999.
      float[][] x = flatImages(data.xTest());
      int[] correct = correctByImage(model.predict(x, 500), data.yTest());
      int fromSecond = 0;
      for (int i = 1; i < correct.length; i++) {
        fromSecond += correct[i];
      }
      assertEquals(9796, fromSecond);
    }
  }

  @Test
  void convnetLoadsWithItsWeightsAndClassifiesMnist() throws Exception {
    Path file = file("mnist_convnet_keras_3_3.keras");
    Mnist.Data data = Mnist.loadData();
    try (Model model = KerasFiles.load(file)) {
      assertEquals(List.of("conv2d", "max_pooling2d", "conv2d_1", "max_pooling2d_1", "conv2d_2", "flatten", "dense", "dense_1"),
          model.layers().stream().map(l -> l.name()).toList());
      // from the config: 3*3*1*32+32, 3*3*32*64+64, 3*3*64*64+64, 576*64+64, 64*10+10
      assertEquals(320 + 18_496 + 36_928 + 36_928 + 650, model.countParams());
      assertBitwise(file, model, "layers/conv2d_2/vars", 4);
      assertBitwise(file, model, "layers/dense/vars", 6);
      int[] correct = correctByImage(model.predict(data.xTest(), 500), data.yTest());
      int total = java.util.Arrays.stream(correct).sum();
      // its script trained 10 epochs and printed no test figure; a trained convnet scores ~99%
      assertTrue(total > 9850, "correct: " + total);
    }
  }

  private static void assertBitwise(Path file, Model model, String path, int firstWeight) throws Exception {
    List<FloatNdArray> weights = model.getWeights();
    try (KerasArchive archive = KerasArchive.open(file)) {
      var stored = archive.variables(path);
      for (int v = 0; v < stored.size(); v++) {
        float[] expected = (float[]) stored.get(v).getDataFlat();
        FloatNdArray actual = weights.get(firstWeight + v);
        float[] flat = new float[expected.length];
        actual.copyTo(org.tensorflow.ndarray.buffer.DataBuffers.of(flat, false, false));
        for (int i = 0; i < expected.length; i++) {
          assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(flat[i]), path + "/" + v + "[" + i + "]");
        }
      }
    }
  }

  private static float[][] flatImages(FloatNdArray images) {
    int n = (int) images.shape().get(0);
    float[][] out = new float[n][784];
    for (int i = 0; i < n; i++) {
      images.get(i).copyTo(org.tensorflow.ndarray.buffer.DataBuffers.of(out[i], false, false));
    }
    return out;
  }

  private static int[] correctByImage(float[][] probabilities, IntNdArray labels) {
    int[] correct = new int[probabilities.length];
    for (int i = 0; i < probabilities.length; i++) {
      int best = 0;
      for (int k = 1; k < probabilities[i].length; k++) {
        if (probabilities[i][k] > probabilities[i][best]) {
          best = k;
        }
      }
      correct[i] = best == labels.getInt(i) ? 1 : 0;
    }
    return correct;
  }
}
