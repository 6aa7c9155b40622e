package dev.tfkeras.metrics;

import static dev.tfkeras.metrics.MetricHarness.floats;
import static dev.tfkeras.metrics.MetricHarness.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tfkeras.saving.Config;
import dev.tfkeras.saving.Serialization;
import dev.tfkeras.testing.FreshRuntime;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The IoU metrics against Keras's own test values (keras/src/metrics/iou_metrics_test.py) and a
 * plain-Java confusion matrix on random data; the batch matrix is tensorflow-framework's
 * confusionMatrix.
 */
@ExtendWith(FreshRuntime.class)
class IoUMetricsTest {

  private static final double ATOL = 1e-3; // Keras's tests' tolerance

  private static float[] f(double... v) {
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) v[i];
    }
    return out;
  }

  @Test
  void iouUnweightedWeightedAndMultiDimAsKerasTests() {
    IoU unweighted = new IoU(2, new int[] {0, 1});
    update(unweighted, floats(f(0, 0, 1, 1), 4), floats(f(0, 1, 0, 1), 4), null);
    assertEquals((1.0 / 3 + 1.0 / 3) / 2, unweighted.result(), ATOL);

    IoU weighted = new IoU("iou", 2, new int[] {1, 0}, null, true, true, -1).dtype("float32");
    update(weighted, floats(f(0, 0, 1, 1), 4), floats(f(0, 1, 0, 1), 4), floats(f(0.2, 0.3, 0.4, 0.1), 4));
    assertEquals((0.1 / (0.4 + 0.5 - 0.1) + 0.2 / (0.6 + 0.5 - 0.2)) / 2, weighted.result(), ATOL);

    IoU multiDim = new IoU(2, new int[] {0, 1}).dtype("float32");
    update(multiDim, floats(f(0, 0, 1, 1), 2, 2), floats(f(0, 1, 0, 1), 2, 2), floats(f(0.2, 0.3, 0.4, 0.1), 2, 2));
    assertEquals((0.2 / (0.6 + 0.5 - 0.2) + 0.1 / (0.4 + 0.5 - 0.1)) / 2, multiDim.result(), ATOL);
  }

  @Test
  void zeroValidEntriesAbsentClassesAndOutOfRangeValuesAsKeras() {
    assertEquals(0, new IoU(2, new int[] {0, 1}).result(), ATOL);
    IoU one = new IoU(2, new int[] {0, 1});
    update(one, floats(f(1), 1), floats(f(1), 1), null);
    assertEquals(1.0, one.result(), ATOL);
    IoU absent = new IoU(4, new int[] {0, 1, 2, 3});
    update(absent, floats(f(0, 0, 1, 1), 4), floats(f(0, 1, 0, 1), 4), null);
    assertEquals(1.0 / 3, absent.result(), ATOL);
    // out of range or negative labels and predictions are left out (Keras 3 masks them)
    double[][][] cases = {{{0, 2}, {0, 1}}, {{0, 1}, {0, 2}}, {{-1, 0}, {0, 0}}, {{0, 1}, {-1, 1}}};
    for (double[][] c : cases) {
      IoU m = new IoU(2, new int[] {0, 1});
      update(m, floats(c[0], 2), floats(c[1], 2), null);
      assertEquals(1.0, m.result(), ATOL, java.util.Arrays.deepToString(c));
    }
  }

  @Test
  void binaryIoUThresholdsAsKerasTests() {
    BinaryIoU low = new BinaryIoU("b", new int[] {0, 1}, 0.3).dtype("float32");
    update(low, floats(f(0, 1, 0, 1), 4), floats(f(0.1, 0.2, 0.4, 0.7), 4), floats(f(0.2, 0.3, 0.4, 0.1), 4));
    assertEquals((0.2 / (0.6 + 0.5 - 0.2) + 0.1 / (0.4 + 0.5 - 0.1)) / 2, low.result(), ATOL);
    BinaryIoU half = new BinaryIoU("b", new int[] {0, 1}, 0.5).dtype("float32");
    update(half, floats(f(0, 1, 0, 1), 4), floats(f(0.1, 0.2, 0.4, 0.7), 4), floats(f(0.1, 0.2, 0.4, 0.3), 4));
    assertEquals((0.5 / (0.5 + 0.7 - 0.5) + 0.3 / (0.5 + 0.3 - 0.3)) / 2, half.result(), ATOL);
    BinaryIoU unweighted = new BinaryIoU("b", new int[] {0, 1}, 0.5);
    update(unweighted, floats(f(0, 1, 0, 1), 4), floats(f(0.1, 0.2, 0.4, 0.7), 4), null);
    assertEquals((2.0 / (2 + 3 - 2) + 1.0 / (2 + 1 - 1)) / 2, unweighted.result(), ATOL);
    BinaryIoU multiDim = new BinaryIoU("b", new int[] {0, 1}, 0.4).dtype("float32");
    update(multiDim, floats(f(0, 1, 0, 1), 2, 2), floats(f(0.1, 0.7, 0.9, 0.3), 2, 2), floats(f(0.2, 0.3, 0.4, 0.1), 2, 2));
    assertEquals((0.2 / (0.6 + 0.3 - 0.2) + 0.3 / (0.4 + 0.7 - 0.3)) / 2, multiDim.result(), ATOL);
  }

  @Test
  void meanAndOneHotVariantsAsKerasDocstrings() {
    MeanIoU mean = new MeanIoU(2);
    update(mean, floats(f(0, 0, 1, 1), 4), floats(f(0, 1, 0, 1), 4), null);
    assertEquals(0.33333334, mean.result(), 1e-6);
    // OneHotIoU's docstring (float32 weights): cm [[0, 0, .6], [.3, 0, 0], [0, 0, .1]]
    OneHotIoU oneHot = new OneHotIoU(3, new int[] {0, 2}).dtype("float32");
    update(oneHot, floats(f(0, 0, 1, 1, 0, 0, 0, 1, 0, 1, 0, 0), 4, 3),
        floats(f(0.2, 0.3, 0.5, 0.1, 0.2, 0.7, 0.5, 0.3, 0.1, 0.1, 0.4, 0.5), 4, 3), floats(f(0.1, 0.2, 0.3, 0.4), 4));
    assertEquals((0 / (0.3 + 0.6 - 0) + 0.1 / (0.7 + 0.1 - 0.1)) / 2, oneHot.result(), ATOL);
    OneHotMeanIoU oneHotMean = new OneHotMeanIoU(3).dtype("float32");
    update(oneHotMean, floats(f(0, 0, 1, 1, 0, 0, 0, 1, 0, 1, 0, 0), 4, 3),
        floats(f(0.2, 0.3, 0.5, 0.1, 0.2, 0.7, 0.5, 0.3, 0.1, 0.1, 0.4, 0.5), 4, 3), floats(f(0.1, 0.2, 0.3, 0.4), 4));
    // class 1: tp 0, denominator 0 + 0.3 = 0.3 -> iou 0, counted
    assertEquals((0 + 0 + 0.1 / 0.7) / 3, oneHotMean.result(), ATOL);
  }

  @Test
  void intDtypeTruncatesWeightsAsKerasDefault() {
    MeanIoU m = new MeanIoU(2);
    update(m, floats(f(0, 0, 1, 1), 4), floats(f(0, 1, 0, 1), 4), floats(f(0.3, 0.3, 2.7, 1), 4));
    // weights as ints: [0, 0, 2, 1]: cm [[0, 0], [2, 1]]
    assertEquals((0 + 1.0 / (1 + 3 - 1)) / 2, m.result(), ATOL);
  }

  @Test
  void ignoreClassAndRandomDataAgainstAPlainJavaMatrix() {
    Random random = new Random(5);
    int n = 4;
    int size = 200;
    double[] t = new double[size];
    double[] p = new double[size];
    double[] w = new double[size];
    double[][] cm = new double[n][n];
    for (int i = 0; i < size; i++) {
      t[i] = random.nextInt(n + 1) - (i % 17 == 0 ? 1 : 0); // some -1 and n: out of range
      p[i] = random.nextInt(n);
      w[i] = (float) random.nextDouble();
      if (t[i] >= 0 && t[i] < n && t[i] != 2) {
        cm[(int) t[i]][(int) p[i]] += (float) w[i];
      }
    }
    MeanIoU m = new MeanIoU("m", n, 2, true, true, -1).dtype("float32");
    update(m, floats(t, size), floats(p, size), floats(w, size));
    double sum = 0;
    int valid = 0;
    for (int c = 0; c < n; c++) {
      double row = 0;
      double col = 0;
      for (int k = 0; k < n; k++) {
        row += cm[k][c];
        col += cm[c][k];
      }
      double denominator = row + col - cm[c][c];
      if (denominator > 1e-9) {
        valid++;
        sum += cm[c][c] / (denominator + 1e-7);
      }
    }
    assertEquals(sum / valid, m.result(), 1e-5);
  }

  @Test
  void configsAsKerasWritesThem() {
    assertEquals(Config.fromJson("{\"name\": \"io_u\", \"dtype\": \"int\", \"num_classes\": 2, \"target_class_ids\": [1, 0],"
        + " \"ignore_class\": null, \"sparse_y_true\": true, \"sparse_y_pred\": true, \"axis\": -1}"),
        new IoU(2, new int[] {1, 0}).getConfig());
    assertEquals(Config.fromJson("{\"target_class_ids\": [1, 0], \"threshold\": 0.1, \"name\": \"iou_class_1_0\", \"dtype\": \"int\"}"),
        new BinaryIoU("iou_class_1_0", new int[] {1, 0}, 0.1).getConfig());
    for (Metric metric : List.of(new IoU("x", 3, new int[] {2}, 0, false, true, 1).dtype("float32"), new MeanIoU(3),
        new BinaryIoU("b", new int[] {1}, 0.3), new OneHotIoU(4, new int[] {0, 3}), new OneHotMeanIoU(5).dtype("float32"))) {
      Config config = metric.getConfig();
      Metric back = Serialization.deserialize(Serialization.serialize(metric), Metric.class);
      assertEquals(metric.getClass(), back.getClass());
      assertEquals(config, back.getConfig());
    }
    IllegalArgumentException range = assertThrows(IllegalArgumentException.class, () -> new IoU(2, new int[] {0, 2}));
    assertEquals("Target class id 2 is out of range, which is [0, 2).", range.getMessage());
  }
}
