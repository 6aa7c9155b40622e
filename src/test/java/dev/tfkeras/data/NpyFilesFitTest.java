package dev.tfkeras.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.layers.Dense;
import dev.tfkeras.layers.Flatten;
import dev.tfkeras.losses.MeanSquaredError;
import dev.tfkeras.losses.SparseCategoricalCrossentropy;
import dev.tfkeras.models.FitOptions;
import dev.tfkeras.models.Sequential;
import dev.tfkeras.optimizers.Adam;
import dev.tfkeras.runtime.GraphRuntime;
import dev.tfkeras.testing.FreshRuntime;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.ByteNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

/** {@code fit}, {@code evaluate} and {@code predict} on datasets streamed from .npy files. */
@ExtendWith(FreshRuntime.class)
class NpyFilesFitTest {

  @TempDir Path directory;

  /** y = 3 x1 - 2 x2 + 1 + noise: fit reaches the least-squares plane computed here. */
  @Test
  void regressionReachesTheLeastSquaresFit() throws IOException {
    GraphRuntime.setRandomSeed(11);
    int n = 1024;
    Random random = new Random(4);
    float[] x = new float[n * 2];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      x[2 * i] = (float) (random.nextDouble() * 4 - 2);
      x[2 * i + 1] = (float) (random.nextDouble() * 4 - 2);
      y[i] = (float) (3 * x[2 * i] - 2 * x[2 * i + 1] + 1 + 0.3 * random.nextGaussian());
    }
    Path xFile = NpyTestFiles.write(directory.resolve("x.npy"), HostType.FLOAT32, x, n, 2);
    Path yFile = NpyTestFiles.write(directory.resolve("y.npy"), HostType.FLOAT32, y, n, 1);
    double[] plane = leastSquares(x, y);
    double leastMse = mse(x, y, plane);

    Dataset train = Dataset.fromNpyFiles(xFile, yFile).shuffle(n, 1).batch(32).prefetch(2);
    try (var model = new Sequential(new Dense(1))) {
      model.compile(new Adam(0.05f), new MeanSquaredError());
      model.fit(train, new FitOptions().epochs(25).verbose(0));
      float[][] fitted = model.predict(new float[][] {{0, 0}, {1, 0}, {0, 1}});
      double[] learned = {fitted[1][0] - fitted[0][0], fitted[2][0] - fitted[0][0], fitted[0][0]};
      for (int k = 0; k < 3; k++) {
        assertEquals(plane[k], learned[k], 0.05, "coefficient " + k + " of " + List.of(plane[0], plane[1], plane[2]));
      }
      double evaluated = model.evaluate(Dataset.fromNpyFiles(xFile, yFile).batch(100)).get("loss");
      assertTrue(evaluated < 1.05 * leastMse, "MSE " + evaluated + ", least squares " + leastMse);
      float[][] predicted = model.predict(Dataset.fromNpyFiles(xFile).batch(64));
      assertEquals(n, predicted.length);
      double fromPredictions = 0;
      for (int i = 0; i < n; i++) {
        fromPredictions += (predicted[i][0] - y[i]) * (predicted[i][0] - y[i]) / n;
      }
      assertEquals(fromPredictions, evaluated, 1e-4 * fromPredictions, "evaluate agrees with predict");
    }
  }

  /** The plane (a, b, c) minimizing the squared error of a x1 + b x2 + c, by the normal equations. */
  private static double[] leastSquares(float[] x, float[] y) {
    double[][] a = new double[3][4];
    for (int i = 0; i < y.length; i++) {
      double[] row = {x[2 * i], x[2 * i + 1], 1};
      for (int r = 0; r < 3; r++) {
        for (int c = 0; c < 3; c++) {
          a[r][c] += row[r] * row[c];
        }
        a[r][3] += row[r] * y[i];
      }
    }
    for (int p = 0; p < 3; p++) { // Gauss-Jordan; the matrix is positive definite
      for (int r = 0; r < 3; r++) {
        if (r != p) {
          double factor = a[r][p] / a[p][p];
          for (int c = p; c < 4; c++) {
            a[r][c] -= factor * a[p][c];
          }
        }
      }
    }
    return new double[] {a[0][3] / a[0][0], a[1][3] / a[1][1], a[2][3] / a[2][2]};
  }

  private static double mse(float[] x, float[] y, double[] plane) {
    double sum = 0;
    for (int i = 0; i < y.length; i++) {
      double error = plane[0] * x[2 * i] + plane[1] * x[2 * i + 1] + plane[2] - y[i];
      sum += error * error;
    }
    return sum / y.length;
  }

  /**
   * uint8 images whose class is the brightest of three bands, scaled to float by map, read on
   * across epochs (repeat, stepsPerEpoch) through a prefetch thread; the files are closed after.
   */
  @Test
  void classifierOnUint8ImagesTrainsWithMapRepeatAndStepsPerEpoch() throws Exception {
    GraphRuntime.setRandomSeed(5);
    int n = 600;
    Random random = new Random(9);
    byte[] images = new byte[n * 6 * 6];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = random.nextInt(3);
      for (int p = 0; p < 36; p++) {
        int band = (p / 6) / 2; // rows 0-1, 2-3, 4-5
        int level = band == labels[i] ? 140 + random.nextInt(116) : random.nextInt(110);
        images[i * 36 + p] = (byte) level;
      }
    }
    Path x = NpyTestFiles.write(directory.resolve("images.npy"), HostType.UINT8, images, n, 6, 6);
    Path y = NpyTestFiles.write(directory.resolve("labels.npy"), HostType.INT32, labels, n);
    Dataset train =
        Dataset.fromNpyFiles(x, y).map(NpyFilesFitTest::scaled).repeat().shuffle(200, 2).batch(16).prefetch(2);
    try (var model = new Sequential(new Flatten(), new Dense(3))) {
      model.compile(new Adam(0.02f), new SparseCategoricalCrossentropy(true), new dev.tfkeras.metrics.SparseCategoricalAccuracy());
      model.fit(train, new FitOptions().epochs(3).stepsPerEpoch(40).verbose(0));
      if (NpyTestFiles.openDescriptors(x) >= 0) {
        assertEquals(0, NpyTestFiles.openDescriptors(x) + NpyTestFiles.openDescriptors(y), "files closed after fit");
      }
      Map<String, Double> scores = model.evaluate(Dataset.fromNpyFiles(x, y).map(NpyFilesFitTest::scaled).batch(50));
      float[][] logits = model.predict(Dataset.fromNpyFiles(x).map(NpyFilesFitTest::scaledInput).batch(50));
      int correct = 0;
      for (int i = 0; i < n; i++) {
        int best = 0;
        for (int k = 1; k < 3; k++) {
          best = logits[i][k] > logits[i][best] ? k : best;
        }
        correct += best == labels[i] ? 1 : 0;
      }
      double accuracy = (double) correct / n;
      assertEquals(accuracy, scores.get("sparse_categorical_accuracy"), 1e-6, "evaluate agrees with predict");
      assertTrue(accuracy >= 0.95, "accuracy " + accuracy);
    }
  }

  private static Example scaled(Example e) {
    return Example.of(toFloat((ByteNdArray) e.features()), e.labels());
  }

  private static Example scaledInput(Example e) {
    return Example.of(List.of(toFloat((ByteNdArray) e.features())), List.of(), null);
  }

  private static org.tensorflow.ndarray.FloatNdArray toFloat(ByteNdArray pixels) {
    Shape shape = pixels.shape();
    byte[] bytes = new byte[(int) shape.size()];
    pixels.copyTo(DataBuffers.of(bytes, false, false));
    float[] values = new float[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      values[i] = (bytes[i] & 0xFF) / 255f;
    }
    return NdArrays.wrap(shape, DataBuffers.of(values, false, false));
  }
}
