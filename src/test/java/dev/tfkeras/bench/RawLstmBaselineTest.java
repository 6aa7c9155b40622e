package dev.tfkeras.bench;

import static dev.tfkeras.testing.Numeric.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.data.Batch;
import dev.tfkeras.data.Dataset;
import dev.tfkeras.data.DatasetIterator;
import dev.tfkeras.losses.SparseCategoricalCrossentropy;
import dev.tfkeras.models.FitOptions;
import dev.tfkeras.models.Model;
import dev.tfkeras.optimizers.Adam;
import dev.tfkeras.testing.FreshRuntime;
import dev.tfkeras.testing.Numeric;
import dev.tfkeras.testing.Tensors;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * The hand-written LSTM baseline ({@link RawTfBaseline#lstmClassifier()}) computes the same model as
 * tfkeras's {@code Sequential(Reshape(28, 28), LSTM(64), Dense(10))} of the side-by-side benchmark:
 * Keras's initial weights, the same logits from the same weights, and the same losses and weights
 * over a few Adam steps, so that the benchmark compares like with like.
 */
@ExtendWith(FreshRuntime.class)
class RawLstmBaselineTest {

  private static final int UNITS = 64;
  private static final int BATCH = 6;

  @Test
  void startsFromKerasDefaultWeights() {
    try (RawTfBaseline raw = RawTfBaseline.lstmClassifier()) {
      List<float[]> w = raw.weightValues();
      assertEquals(
          List.of(28 * 4 * UNITS, UNITS * 4 * UNITS, 4 * UNITS, UNITS * 10, 10),
          w.stream().map(v -> v.length).toList(),
          "kernel, recurrent kernel, bias, dense kernel, dense bias");
      double limit = Math.sqrt(6.0 / (28 + 4 * UNITS));
      for (float v : w.get(0)) {
        assertTrue(Math.abs(v) <= limit, "LSTM kernel within the Glorot limit, was " + v);
      }
      float[] r = w.get(1); // (64, 256): fewer rows than columns, so the rows are orthonormal
      for (int i = 0; i < UNITS; i++) {
        for (int j = 0; j < UNITS; j++) {
          double dot = 0;
          for (int k = 0; k < 4 * UNITS; k++) {
            dot += r[i * 4 * UNITS + k] * r[j * 4 * UNITS + k];
          }
          assertClose(i == j ? 1 : 0, dot, 0, 1e-5, "recurrent kernel row " + i + " · row " + j);
        }
      }
      float[] bias = w.get(2);
      for (int i = 0; i < 4 * UNITS; i++) {
        assertEquals(i >= UNITS && i < 2 * UNITS ? 1f : 0f, bias[i], "bias[" + i + "]: ones on the forget gate");
      }
    }
  }

  @Test
  void forwardPassEqualsTfkerasGivenTheSameWeights() {
    float[] images = uniform(1, BATCH * 28 * 28);
    try (RawTfBaseline raw = RawTfBaseline.lstmClassifier();
        Model model = SideBySideBenchmark.lstm();
        TFloat32 x = Tensors.floats(images, BATCH, 28, 28, 1)) {
      model.buildFor(Shape.of(-1, 28, 28, 1));
      model.setWeights(raw.weightValues());
      float[] expected = raw.predict(x);
      float[] actual;
      try (TFloat32 out = model.predict(x)) {
        assertEquals(Shape.of(BATCH, 10), out.shape());
        actual = Tensors.read(out);
      }
      assertTrue(maxAbs(expected) > 0.05, "the logits are not trivially near zero");
      assertClose(Numeric.toDoubles(expected), actual, 1e-5, 1e-5, "logits");
    }
  }

  @Test
  void adamStepsGiveTheSameLossesAndWeightsAsTfkerasFitAndReduceTheLoss() {
    int steps = 5;
    float[][][][] images = new float[BATCH][28][28][1];
    float[] flat = uniform(2, BATCH * 28 * 28);
    for (int i = 0; i < flat.length; i++) {
      images[i / 784][i / 28 % 28][i % 28][0] = flat[i];
    }
    int[] labels = new Random(3).ints(BATCH, 0, 10).toArray();
    Dataset data = Dataset.fromTensorSlices(images, labels).batch(BATCH);
    try (RawTfBaseline raw = RawTfBaseline.lstmClassifier();
        Model model = SideBySideBenchmark.lstm()) {
      model.buildFor(Shape.of(-1, 28, 28, 1));
      model.setWeights(raw.weightValues());
      double[] rawLosses = new double[steps + 1];
      try (DatasetIterator iterator = data.repeat().iterator()) {
        for (int k = 0; k <= steps; k++) {
          try (Batch batch = iterator.next()) {
            rawLosses[k] = raw.loss(batch);
            if (k < steps) {
              raw.step(batch);
            }
          }
        }
      }
      model.compile(new Adam(), new SparseCategoricalCrossentropy(true));
      List<Double> fitLosses =
          model.fit(data, new FitOptions().epochs(steps).verbose(0)).get("loss"); // each: before its step
      for (int k = 0; k < steps; k++) {
        assertClose(rawLosses[k], fitLosses.get(k), 1e-5, 1e-6, "loss before step " + k);
      }
      assertTrue(rawLosses[steps] < rawLosses[0] - 0.01,
          "the loss falls over " + steps + " steps: " + Arrays.toString(rawLosses));
      List<float[]> rawWeights = raw.weightValues();
      var fitWeights = model.getWeights();
      for (int i = 0; i < rawWeights.size(); i++) {
        float[] fitted = new float[rawWeights.get(i).length];
        fitWeights.get(i).copyTo(DataBuffers.of(fitted, false, false));
        assertClose(Numeric.toDoubles(rawWeights.get(i)), fitted, 1e-4, 1e-6, "weight " + i + " after training");
      }
    }
  }

  private static float[] uniform(long seed, int n) {
    Random random = new Random(seed);
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = random.nextFloat();
    }
    return out;
  }

  private static double maxAbs(float[] values) {
    double max = 0;
    for (float v : values) {
      max = Math.max(max, Math.abs(v));
    }
    return max;
  }
}
