package dev.tfkeras.layers.preprocessing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.data.Dataset;
import dev.tfkeras.layers.Dense;
import dev.tfkeras.layers.Input;
import dev.tfkeras.models.Sequential;
import dev.tfkeras.runtime.GraphRuntime;
import dev.tfkeras.testing.FreshRuntime;
import dev.tfkeras.testing.Tensors;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.StdArrays;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/** Ports keras/src/layers/preprocessing/normalization_test.py and the class docstring's examples. */
@ExtendWith(FreshRuntime.class)
class NormalizationTest {

  private static float[] run(Normalization layer, Object x) {
    try (TFloat32 y = layer.apply(x)) {
      return Tensors.read(y);
    }
  }

  private static float[] values(FloatNdArray array) {
    float[] out = new float[(int) array.shape().size()];
    array.copyTo(DataBuffers.of(out, false, false));
    return out;
  }

  private static float[][] random(Random random, int rows, int columns) {
    float[][] x = new float[rows][columns];
    for (float[] row : x) {
      for (int j = 0; j < columns; j++) {
        row[j] = random.nextFloat();
      }
    }
    return x;
  }

  /** Mean and population variance of column j of the flat (rows, columns) output. */
  private static void assertStandardized(float[] out, int columns, double tolerance) {
    int rows = out.length / columns;
    for (int j = 0; j < columns; j++) {
      double mean = 0;
      for (int i = 0; i < rows; i++) mean += out[i * columns + j];
      mean /= rows;
      double var = 0;
      for (int i = 0; i < rows; i++) var += Math.pow(out[i * columns + j] - mean, 2);
      var /= rows;
      assertEquals(0.0, mean, tolerance, "mean of column " + j);
      assertEquals(1.0, var, tolerance, "variance of column " + j);
    }
  }

  // ---- the docstring's examples, exact values --------------------------------------------------

  @Test
  void docstringGlobalMeanAndVarianceWithAxisNone() {
    Normalization layer = new Normalization().axis();
    layer.adapt(new float[] {1, 2, 3, 4, 5});
    assertArrayEquals(new float[] {-1.4142135f, -0.70710677f, 0f}, run(layer, new float[] {1, 2, 3}), 1e-6f);
  }

  @Test
  void docstringPerIndexOfTheLastAxis() {
    float[][] adapt = {{0, 7, 4}, {2, 9, 6}, {0, 7, 4}, {2, 9, 6}};
    Normalization layer = new Normalization();
    layer.adapt(adapt);
    assertArrayEquals(new float[] {-1, -1, -1}, run(layer, new float[][] {{0, 7, 4}}), 0f);
  }

  @Test
  void docstringMeanAndVarianceGiven() {
    Normalization layer = new Normalization(3.0, 2.0);
    assertArrayEquals(
        new float[] {-1.4142135f, -0.70710677f, 0f}, run(layer, new float[][] {{1}, {2}, {3}}), 1e-6f);
  }

  @Test
  void docstringInvert() {
    float[][] adapt = {{0, 7, 4}, {2, 9, 6}, {0, 7, 4}, {2, 9, 6}};
    Normalization layer = new Normalization().invert(true);
    layer.adapt(adapt);
    assertArrayEquals(new float[] {2, 10, 8}, run(layer, new float[][] {{1, 2, 3}}), 0f);
  }

  // ---- normalization_test.py ---------------------------------------------------------------------

  /** test_normalization_basics: weight counts, shapes and masking support. */
  @Test
  void normalizationBasics() {
    Normalization adapted = new Normalization().axis(-1);
    run(adapted, new float[2][3]);
    assertEquals(0, adapted.trainableVariables().size());
    assertEquals(3, adapted.nonTrainableVariables().size());
    assertEquals(Shape.of(3), adapted.nonTrainableVariables().get(0).shape());
    assertEquals(Shape.scalar(), adapted.nonTrainableVariables().get(2).shape());
    assertTrue(adapted.nonTrainableVariables().get(0).path().endsWith("mean"));
    assertTrue(adapted.nonTrainableVariables().get(1).path().endsWith("variance"));
    assertTrue(adapted.nonTrainableVariables().get(2).path().endsWith("count"));

    for (boolean invert : new boolean[] {false, true}) {
      Normalization given =
          new Normalization(new double[] {0.5, 0.2, -0.1}, new double[] {0.1, 0.2, 0.3}).axis(-1).invert(invert);
      float[] out = run(given, new float[][] {{1, 2, 3}, {4, 5, 6}});
      assertEquals(6, out.length);
      assertEquals(0, given.trainableVariables().size());
      assertEquals(0, given.nonTrainableVariables().size());
      float expected = invert
          ? 0.5f + 1f * (float) Math.sqrt(0.1f)
          : (1f - 0.5f) / (float) Math.sqrt(0.1f);
      assertEquals(expected, out[0], 1e-6f);
    }
  }

  /** test_normalization_adapt, "np" and "tf.data", both halves (2-D, and 4-D with axis=(1, 2)). */
  @Test
  void normalizationAdaptOnArraysAndDatasets() {
    Random random = new Random(1);
    float[][] x = random(random, 32, 4);
    for (boolean dataset : new boolean[] {false, true}) {
      GraphRuntime.reset();
      Normalization layer = new Normalization();
      layer.adapt(dataset ? Dataset.fromTensorSlices(x).batch(8) : x);
      assertTrue(layer.isAdapted());
      assertStandardized(run(layer, x), 4, 1e-5);
    }
    float[][][][] x4 = new float[32][4][3][5];
    for (float[][][] a : x4) for (float[][] b : a) for (float[] c : b) for (int i = 0; i < 5; i++) c[i] = random.nextFloat();
    for (boolean dataset : new boolean[] {false, true}) {
      GraphRuntime.reset();
      Normalization layer = new Normalization().axis(1, 2);
      layer.adapt(dataset ? Dataset.fromTensorSlices(x4).batch(8) : x4);
      float[] out = run(layer, x4);
      // var and mean over axes (0, 3) for each of the 4 x 3 kept positions
      for (int p = 0; p < 12; p++) {
        double mean = 0;
        double sq = 0;
        for (int b = 0; b < 32; b++) {
          for (int k = 0; k < 5; k++) {
            double v = out[(b * 12 + p) * 5 + k];
            mean += v;
            sq += v * v;
          }
        }
        mean /= 160;
        assertEquals(0.0, mean, 1e-5);
        assertEquals(1.0, sq / 160 - mean * mean, 1e-5);
      }
    }
  }

  @Test
  void normalizationWithMeanOnlyOrVarianceOnlyRaisesError() {
    var meanOnly = assertThrows(IllegalArgumentException.class, () -> new Normalization(new double[] {0.5}, null));
    assertTrue(meanOnly.getMessage().contains("both `mean` and `variance` must be set"), meanOnly.getMessage());
    var varianceOnly = assertThrows(IllegalArgumentException.class, () -> new Normalization(null, new double[] {0.1}));
    assertTrue(varianceOnly.getMessage().contains("both `mean` and `variance` must be set"));
    var shapes = assertThrows(IllegalArgumentException.class,
        () -> new Normalization(new double[] {1, 2}, new double[] {1}));
    assertTrue(shapes.getMessage().contains("must have the same shape"), shapes.getMessage());
  }

  /** test_normalization_axis_too_high / _too_low. */
  @Test
  void normalizationAxisOutOfRange() {
    var high = assertThrows(IllegalArgumentException.class, () -> run(new Normalization().axis(3), new float[2][2]));
    assertEquals(
        "All `axis` values must be in the range [-ndim, ndim). Received inputs with ndim=2, while axis=(3,)",
        high.getMessage());
    var low = assertThrows(IllegalArgumentException.class, () -> run(new Normalization().axis(-4), new float[2][3][4]));
    assertTrue(low.getMessage().startsWith("All `axis` values must be in the range"), low.getMessage());
  }

  /** test_normalization_unknown_axis_shape: axis=1 of (None, None). */
  @Test
  void normalizationUnknownAxisShape() {
    var e = assertThrows(IllegalArgumentException.class, () -> new Normalization().axis(1).apply(Input.of(-1)));
    assertEquals(
        "All `axis` values to be kept must have a known shape. Received axis=(1,), inputs.shape=(None, None),"
            + " with unknown axis at index 1",
        e.getMessage());
  }

  /** test_normalization_adapt_with_incompatible_shape: built for (10, 5), adapted on (10, 3). */
  @Test
  void normalizationAdaptWithIncompatibleShape() {
    Normalization layer = new Normalization().axis(-1);
    run(layer, new float[10][5]); // an eager call builds for (None, 5): any batch size
    var e = assertThrows(IllegalArgumentException.class, () -> layer.adapt(new float[10][3]));
    assertEquals(
        "The layer was built with input_shape=(None, 5), but adapt() is being called with data with an"
            + " incompatible shape, data.shape=(10, 3)",
        e.getMessage());
  }

  /** The same check for data adapted before the build, at the first call. */
  @Test
  void adaptedSizesFixTheInput() {
    Normalization layer = new Normalization();
    layer.adapt(new float[][] {{1, 2, 3}, {3, 4, 5}});
    var e = assertThrows(IllegalArgumentException.class, () -> run(layer, new float[2][4]));
    assertTrue(e.getMessage().contains("expected the kept axes (-1,) to have sizes [3] (from adapt()), found [4]"),
        e.getMessage());
  }

  /** test_normalization_with_scalar_mean_var. */
  @Test
  void normalizationWithScalarMeanVar() {
    float[] out = run(new Normalization(3.0, 2.0), new float[][] {{1, 2, 3}});
    float s = (float) Math.sqrt(2f);
    assertArrayEquals(new float[] {(1 - 3) / s, (2 - 3) / s, 0}, out, 0f);
  }

  /** test_broadcast_non_scalar_middle_axis: mean (5,) on axis 2 of (2, 4, 5, 3) is (1, 1, 5, 1). */
  @Test
  void broadcastNonScalarMiddleAxis() {
    double[] mean = {1, 2, 3, 4, 5};
    Normalization layer = new Normalization(mean, new double[] {1, 1, 1, 1, 1}).axis(2);
    run(layer, new float[2][4][5][3]);
    assertEquals(Shape.of(1, 1, 5, 1), layer.mean().shape());
    assertArrayEquals(new float[] {1, 2, 3, 4, 5}, values(layer.mean()), 0f);
  }

  /** test_broadcast_multiple_axes: (10, 13) on axes (1, 2) of (None, 10, 13, 3) is (1, 10, 13, 1). */
  @Test
  void broadcastMultipleAxes() {
    Normalization layer =
        new Normalization(NdArrays.ofDoubles(Shape.of(10, 13)), StdArrays.ndCopyOf(ones(10, 13))).axis(1, 2);
    layer.apply(Input.of(10, 13, 3));
    assertEquals(Shape.of(1, 10, 13, 1), layer.mean().shape());
  }

  private static double[][] ones(int rows, int columns) {
    double[][] out = new double[rows][columns];
    for (double[] row : out) java.util.Arrays.fill(row, 1);
    return out;
  }

  /** test_broadcast_partial_keep_axis: mean (5,) on axes (1, 2) of (2, 7, 5, 3) aligns right. */
  @Test
  void broadcastPartialKeepAxis() {
    Normalization layer =
        new Normalization(new double[] {1, 2, 3, 4, 5}, new double[] {1, 1, 1, 1, 1}).axis(1, 2);
    run(layer, new float[2][7][5][3]);
    assertEquals(Shape.of(1, 7, 5, 1), layer.mean().shape());
    float[] mean = values(layer.mean());
    for (int h = 0; h < 7; h++) {
      assertArrayEquals(new float[] {1, 2, 3, 4, 5}, java.util.Arrays.copyOfRange(mean, h * 5, h * 5 + 5), 0f);
    }
  }

  /** test_scalar_broadcast: mean 5 on (3, 7) is (1, 7) of fives. */
  @Test
  void scalarBroadcast() {
    Normalization layer = new Normalization(5.0, 1.0).axis(-1);
    run(layer, new float[3][7]);
    assertEquals(Shape.of(1, 7), layer.mean().shape());
    assertArrayEquals(new float[] {5, 5, 5, 5, 5, 5, 5}, values(layer.mean()), 0f);
  }

  /**
   * test_adapt_list_of_batches, test_adapt_iterable_same_result_as_ndarray: a batched dataset gives
   * the array's result.
   */
  @Test
  void adaptBatchesSameResultAsArray() {
    float[][] x = random(new Random(2), 64, 5);
    Normalization fromBatches = new Normalization();
    fromBatches.adapt(Dataset.fromTensorSlices(x).batch(16));
    Normalization fromArray = new Normalization();
    fromArray.adapt(x);
    assertArrayEquals(values(fromArray.mean()), values(fromBatches.mean()), 1e-6f);
    assertArrayEquals(values(fromArray.variance()), values(fromBatches.variance()), 1e-6f);
    assertStandardized(run(fromBatches, x), 5, 1e-5);
  }

  /** test_adapt_iterable_axis_none: one scalar mean and variance over (20, 2, 3). */
  @Test
  void adaptIterableAxisNone() {
    Random random = new Random(3);
    float[][][] x = new float[20][2][3];
    for (float[][] a : x) for (float[] b : a) for (int i = 0; i < 3; i++) b[i] = random.nextFloat();
    Normalization layer = new Normalization().axis();
    layer.adapt(Dataset.fromTensorSlices(x).batch(5));
    assertEquals(Shape.of(1, 1, 1), layer.mean().shape());
    assertStandardized(run(layer, x), 1, 1e-5);
  }

  /** test_adapt_iterable_single_batch and test_adapt_iterator_of_batches with uneven batches. */
  @Test
  void adaptUnevenBatchesAndUnbatchedDataset() {
    float[][] x = random(new Random(4), 24, 3);
    for (Dataset data : new Dataset[] {Dataset.fromTensorSlices(x).batch(7), Dataset.fromTensorSlices(x)}) {
      GraphRuntime.reset();
      Normalization layer = new Normalization();
      layer.adapt(data);
      assertStandardized(run(layer, x), 3, 1e-5);
    }
  }

  /** test_adapt_tf_dataset_with_labels: (x, y) batches read x; ones have mean 1, variance 0. */
  @Test
  void adaptTfDatasetWithLabels() {
    float[][] x = new float[32][3];
    for (float[] row : x) java.util.Arrays.fill(row, 1f);
    Normalization layer = new Normalization();
    layer.adapt(Dataset.fromTensorSlices(x, new int[32]).batch(8));
    assertArrayEquals(new float[] {1, 1, 1}, values(layer.mean()), 0f);
    assertArrayEquals(new float[] {0, 0, 0}, values(layer.variance()), 0f);
    // variance 0: divided by epsilon, (x - mean) stays 0
    assertArrayEquals(new float[] {0, 0, 0}, run(layer, new float[][] {{1, 1, 1}}), 0f);
  }

  @Test
  void adaptGivenMeanAndVarianceFails() {
    var e = assertThrows(IllegalStateException.class, () -> new Normalization(1.0, 2.0).adapt(new float[] {1, 2}));
    assertTrue(e.getMessage().contains("Create it as new Normalization()"), e.getMessage());
  }

  /** test_normalization_basics' supports_masking: a Keras mask passes through. */
  @Test
  void passesMasksOn() {
    Normalization layer = new Normalization(1.0, 4.0);
    var fn = dev.tfkeras.function.TfFunction.returning(TFloat32.class, x -> {
      var tf = dev.tfkeras.function.TfFunction.ops();
      dev.tfkeras.function.Trace.current().setMask(x, tf.math.notEqual(x, tf.constant(0f)));
      var y = layer.apply(x);
      assertTrue(dev.tfkeras.function.Trace.current().mask(y) != null, "the mask passes through");
      return y;
    });
    try (TFloat32 x = Tensors.floats(new float[] {0, 3, 5}, 1, 3);
        TFloat32 y = fn.call(x)) {
      assertArrayEquals(new float[] {-0.5f, 1, 2}, Tensors.read(y), 0f);
    }
  }

  /** Keras's summary counts mean, variance and count: 3 + 3 + 1 non-trainable parameters. */
  @Test
  void summaryCountsTheStatistics() {
    try (Sequential model = new Sequential(Input.of(3), new Normalization(), new Dense(1))) {
      var text = new java.io.ByteArrayOutputStream();
      model.summary(new java.io.PrintStream(text, true, java.nio.charset.StandardCharsets.UTF_8));
      String summary = text.toString(java.nio.charset.StandardCharsets.UTF_8);
      assertTrue(summary.contains("Non-trainable params: 7 (28.00 B)"), summary);
      assertTrue(summary.contains("Trainable params: 4 (16.00 B)"), summary);
    }
  }

  /** Beyond Keras's tests: the parallel combination stays exact where E[x²] − E[x]² cancels. */
  @Test
  void adaptIsNumericallyStableForLargeOffsets() {
    double[][] x = new double[1000][1];
    for (int i = 0; i < 1000; i++) x[i][0] = 1e9 + (i % 2 == 0 ? 1 : -1);
    Normalization layer = new Normalization();
    layer.adapt(Dataset.fromTensorSlices(x).batch(3));
    assertEquals(1e9f, values(layer.mean())[0], 0f);
    assertEquals(1f, values(layer.variance())[0], 0f);
  }

  /** Adapted after the build (inside a built model), the weights are assigned, as Keras does. */
  @Test
  void adaptAfterBuildAssignsTheWeights() {
    Normalization norm = new Normalization();
    try (Sequential model = new Sequential(Input.of(2), norm)) {
      assertArrayEquals(new float[] {1, 2}, model.predict(new float[][] {{1, 2}})[0], 0f);
      norm.adapt(new float[][] {{0, 10}, {2, 30}});
      assertArrayEquals(new float[] {1, 20}, values(norm.mean()), 0f);
      assertArrayEquals(new float[] {1, 100}, values(norm.variance()), 0f);
      assertArrayEquals(new float[] {1, 1}, model.predict(new float[][] {{2, 30}})[0], 0f);
    }
  }

  /** Adapted before the build, the weights are created with the statistics; they save and load. */
  @Test
  void adaptedStatisticsSaveLoadBitwiseAndExport(@TempDir Path tmp) throws Exception {
    float[][] x = random(new Random(5), 100, 3);
    for (float[] row : x) { row[0] = row[0] * 100 + 7; row[2] = row[2] / 3 - 1; }
    Normalization norm = new Normalization();
    norm.adapt(x);
    float[] mean;
    float[] variance;
    float[][] predicted;
    Path weights = tmp.resolve("weights");
    Path export = tmp.resolve("export");
    try (Sequential model = new Sequential(Input.of(3), norm, new Dense(2))) {
      mean = values(norm.mean());
      variance = values(norm.variance());
      predicted = model.predict(x);
      model.saveWeights(weights);
      model.export(export);
    }
    GraphRuntime.reset();
    Normalization fresh = new Normalization();
    try (Sequential restored = new Sequential(Input.of(3), fresh, new Dense(2))) {
      restored.buildFor(Shape.of(-1, 3));
      assertFalse(java.util.Arrays.equals(mean, values(fresh.mean())), "zeros before loading");
      restored.loadWeights(weights);
      assertArrayEquals(mean, values(fresh.mean()), 0f);
      assertArrayEquals(variance, values(fresh.variance()), 0f);
      float[][] again = restored.predict(x);
      for (int i = 0; i < x.length; i++) assertArrayEquals(predicted[i], again[i], 0f);
    }
    try (SavedModelBundle bundle = SavedModelBundle.load(export.toString(), "serve");
        TFloat32 input = TFloat32.tensorOf(StdArrays.ndCopyOf(x));
        var result = bundle.function("serving_default").call(Map.<String, Tensor>of("inputs", input))) {
      float[] served = Tensors.read((TFloat32) result.get("output_0").orElseThrow());
      for (int i = 0; i < x.length; i++) {
        assertArrayEquals(predicted[i], java.util.Arrays.copyOfRange(served, 2 * i, 2 * i + 2), 1e-6f);
      }
    }
  }
}
