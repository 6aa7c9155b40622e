package dev.tfkeras.layers;

import static dev.tfkeras.testing.Numeric.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tfkeras.function.TfFunction;
import dev.tfkeras.function.Trace;
import dev.tfkeras.initializers.Constant;
import dev.tfkeras.runtime.GraphRuntime;
import dev.tfkeras.testing.FreshRuntime;
import dev.tfkeras.testing.Tensors;
import dev.tfkeras.variables.Variable;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

@ExtendWith(FreshRuntime.class)
class BatchNormalizationTest {

  private static final double EPS = 1e-3;

  private static float[] read(Variable<TFloat32> v) {
    try (TFloat32 t = v.value()) {
      return Tensors.read(t);
    }
  }

  /** Batch mean and biased variance of each of the {@code c} features of row-major {@code (n, c)}. */
  private static double[][] stats(float[] x, int c) {
    int n = x.length / c;
    double[] mean = new double[c];
    double[] var = new double[c];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < c; j++) {
        mean[j] += x[i * c + j] / (double) n;
      }
    }
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < c; j++) {
        double d = x[i * c + j] - mean[j];
        var[j] += d * d / n;
      }
    }
    return new double[][] {mean, var};
  }

  /** gamma (x - mean) / sqrt(var + eps) + beta per feature (last axis). */
  private static double[] normalize(float[] x, double[] mean, double[] var, float[] gamma, float[] beta) {
    int c = mean.length;
    double[] out = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      int j = i % c;
      out[i] = gamma[j] * (x[i] - mean[j]) / Math.sqrt(var[j] + EPS) + beta[j];
    }
    return out;
  }

  @Test
  void kerasBasicsWeightsAndShapes() {
    // batch_normalization_test.py test_bn_basics: (2, 3) -> 2 trainable + 2 non-trainable weights
    BatchNormalization bn = new BatchNormalization();
    float[] x = ConvReference.wave(6, 0);
    var out = LayerConformance.run(bn, Shape.of(2, 3), x, 4 * 3);
    assertEquals(Shape.of(2, 3), out.shape());
    assertEquals(
        List.of("batch_normalization/gamma", "batch_normalization/beta",
            "batch_normalization/moving_mean", "batch_normalization/moving_variance"),
        bn.variables().stream().map(Variable::path).toList());
    assertEquals(List.of(bn.gamma(), bn.beta()), bn.trainableVariables());
    assertEquals(List.of(bn.movingMean(), bn.movingVariance()), bn.nonTrainableVariables());
    // inference with fresh statistics (mean 0, variance 1): x / sqrt(1 + eps)
    double[] expected = normalize(x, new double[3], new double[] {1, 1, 1}, new float[] {1, 1, 1}, new float[3]);
    assertClose(expected, out.values(), 1e-6, 1e-7, "inference output");
    GraphRuntime.reset();

    BatchNormalization bare = new BatchNormalization().center(false).scale(false);
    LayerConformance.run(bare, Shape.of(2, 3), x, 2 * 3);
    assertEquals(0, bare.trainableVariables().size());
    assertEquals(2, bare.nonTrainableVariables().size());
    GraphRuntime.reset();

    var image = LayerConformance.run(new BatchNormalization(), Shape.of(2, 4, 4, 3), ConvReference.wave(96, 0), 12);
    assertEquals(Shape.of(2, 4, 4, 3), image.shape());
  }

  @Test
  void trainingNormalizesByTheBatchAndMovesTheStatisticsAsKerasDoes() {
    float[] gamma = {2f, 0.5f, 1f};
    float[] beta = {0.1f, -1f, 0f};
    BatchNormalization bn = new BatchNormalization().momentum(0.9)
        .gammaInitializer(Constant.values(gamma)).betaInitializer(Constant.values(beta));
    var train = TfFunction.returning(TFloat32.class, x -> bn.apply(x, true));
    var infer = TfFunction.returning(TFloat32.class, x -> bn.apply(x, false));
    float[] first = {1, 2, 3, 4, -1, 0, 0.5f, 2, 7, -2, 2, 1};
    float[] second = {3, 0, 1, 1, 1, 1, -4, 2, 0, 0, 5, 2};

    double[][] s1 = stats(first, 3);
    var out1 = LayerConformance.call(train, Shape.of(4, 3), first);
    assertClose(normalize(first, s1[0], s1[1], gamma, beta), out1.values(), 1e-5, 1e-5, "first training output");
    double[] mm = new double[3];
    double[] mv = {1, 1, 1};
    for (int j = 0; j < 3; j++) {
      mm[j] = mm[j] * 0.9 + s1[0][j] * (1 - 0.9);
      mv[j] = mv[j] * 0.9 + s1[1][j] * (1 - 0.9);
    }
    assertClose(mm, read(bn.movingMean()), 1e-5, 1e-7, "moving mean after one step");
    assertClose(mv, read(bn.movingVariance()), 1e-5, 1e-7, "moving variance after one step");

    double[][] s2 = stats(second, 3);
    var out2 = LayerConformance.call(train, Shape.of(4, 3), second);
    assertClose(normalize(second, s2[0], s2[1], gamma, beta), out2.values(), 1e-5, 1e-5, "second training output");
    for (int j = 0; j < 3; j++) {
      mm[j] = mm[j] * 0.9 + s2[0][j] * (1 - 0.9);
      mv[j] = mv[j] * 0.9 + s2[1][j] * (1 - 0.9);
    }
    assertClose(mm, read(bn.movingMean()), 1e-5, 1e-7, "moving mean after two steps");
    assertClose(mv, read(bn.movingVariance()), 1e-5, 1e-7, "moving variance after two steps");

    // inference uses the moving statistics and leaves them alone
    float[] before = read(bn.movingMean());
    var inferred = LayerConformance.call(infer, Shape.of(4, 3), first);
    LayerConformance.call(infer, Shape.of(4, 3), second);
    assertClose(normalize(first, mm, mv, gamma, beta), inferred.values(), 1e-5, 1e-5, "inference output");
    LayerConformance.assertArrayEquals(before, read(bn.movingMean()), 0f);
    assertClose(mv, read(bn.movingVariance()), 1e-5, 1e-7, "inference changes nothing");
  }

  @Test
  void normalizesAnyAxisAndWithMomentumZeroInferenceMatchesTraining() {
    // Keras test_correctness with axis=1 on (5, 3, 3, 2): 3 features on axis 1
    BatchNormalization bn = new BatchNormalization().axis(1).momentum(0);
    var train = TfFunction.returning(TFloat32.class, x -> bn.apply(x, true));
    var infer = TfFunction.returning(TFloat32.class, x -> bn.apply(x, false));
    float[] x = new float[5 * 3 * 3 * 2];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (5 + 10 * Math.sin(1.3 * i));
    }
    float[] trained = LayerConformance.call(train, Shape.of(5, 3, 3, 2), x).values();
    assertEquals(Shape.of(3), bn.movingMean().shape());
    double[] mean = new double[3];
    double[] var = new double[3];
    int perFeature = 5 * 3 * 2;
    for (int i = 0; i < x.length; i++) {
      mean[(i / 6) % 3] += x[i] / (double) perFeature;
    }
    for (int i = 0; i < x.length; i++) {
      double d = x[i] - mean[(i / 6) % 3];
      var[(i / 6) % 3] += d * d / perFeature;
    }
    for (int i = 0; i < x.length; i++) {
      int f = (i / 6) % 3;
      assertClose((x[i] - mean[f]) / Math.sqrt(var[f] + EPS), trained[i], 1e-4, 1e-5, "output " + i);
    }
    assertClose(mean, read(bn.movingMean()), 1e-5, 1e-5, "moving mean = batch mean at momentum 0");
    assertClose(var, read(bn.movingVariance()), 1e-5, 1e-4, "moving variance = batch variance");
    float[] inferred = LayerConformance.call(infer, Shape.of(5, 3, 3, 2), x).values();
    LayerConformance.assertArrayEquals(trained, inferred, 1e-4f);
  }

  @Test
  void aFrozenLayerRunsInInferenceModeAndUpdatesNothing() {
    // Keras test_trainable_behavior
    BatchNormalization bn = new BatchNormalization().momentum(0.8).epsilon(1e-7);
    bn.setTrainable(false);
    var frozen = TfFunction.returning(TFloat32.class, x -> bn.apply(x, true));
    float[] x = new float[20 * 3];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (5 + 10 * Math.cos(0.9 * i));
    }
    float[] out = LayerConformance.call(frozen, Shape.of(20, 3), x).values();
    assertEquals(4, bn.variables().size());
    assertEquals(0, bn.trainableVariables().size());
    assertEquals(4, bn.nonTrainableVariables().size());
    // moving mean 0, variance 1, epsilon 1e-7: the identity, as Keras asserts
    LayerConformance.assertArrayEquals(x, out, 1e-5f);
    LayerConformance.assertArrayEquals(new float[3], read(bn.movingMean()), 0f);

    bn.setTrainable(true); // takes effect in new traces
    assertEquals(2, bn.trainableVariables().size());
    var training = TfFunction.returning(TFloat32.class, v -> bn.apply(v, true));
    float[] normalized = LayerConformance.call(training, Shape.of(20, 3), x).values();
    double[][] s = stats(x, 3);
    for (int i = 0; i < x.length; i++) {
      int j = i % 3;
      assertClose((x[i] - s[0][j]) / Math.sqrt(s[1][j] + 1e-7), normalized[i], 1e-4, 1e-5, "unfrozen " + i);
    }
    for (int j = 0; j < 3; j++) {
      assertClose(s[0][j] * (1 - 0.8), read(bn.movingMean())[j], 1e-5, 1e-6, "moving mean " + j);
    }
  }

  @Test
  void maskedStepsAreLeftOutOfTheBatchStatistics() {
    // Keras test_bachnorm_ignore_masked_values: rows [1, 5], [2, 5] and two masked rows, momentum 0
    float[] x = new float[10 * 4 * 2];
    for (int n = 0; n < 10; n++) {
      float[] example = {1, 5, 2, 5, 0, 0, 0, 0};
      System.arraycopy(example, 0, x, n * 8, 8);
    }
    BatchNormalization bn = new BatchNormalization().momentum(0);
    var train = TfFunction.returning(TFloat32.class, v -> {
      Ops tf = TfFunction.ops();
      Trace.current().setMask(v, tf.reduceAny(tf.math.notEqual(v, tf.constant(0f)), tf.constant(-1)));
      return bn.apply(v, true);
    });
    float[] out = LayerConformance.call(train, Shape.of(10, 4, 2), x).values();
    assertClose(new double[] {1.5, 5.0}, read(bn.movingMean()), 1e-5, 1e-6, "masked moving mean");
    assertClose(new double[] {0.25, 0.0}, read(bn.movingVariance()), 1e-5, 1e-6, "masked moving variance");
    assertClose(-0.5 / Math.sqrt(0.25 + EPS), out[0], 1e-4, 1e-6, "first real step, feature 0");
  }

  @Test
  void gradientsMatchFiniteDifferencesInTrainingAndInference() {
    float[] x = ConvReference.wave(4 * 3, 0.2);
    LayerGradients.check(new BatchNormalization().gammaInitializer(Constant.values(1.5f, 0.7f, -1f))
        .betaInitializer(Constant.values(0.2f, 0f, -0.3f)), x, new long[] {4, 3}, true, 5e-3);
    GraphRuntime.reset();
    LayerGradients.check(new BatchNormalization().movingMeanInitializer(Constant.of(0.3f))
        .movingVarianceInitializer(Constant.of(2f)), ConvReference.wave(2 * 2 * 2 * 2, 0.5),
        new long[] {2, 2, 2, 2}, false, 2e-3);
  }

  @Test
  void rejectsAxesOutOfBoundsAndOtherFeatureCounts() {
    BatchNormalization outOfBounds = new BatchNormalization().axis(4);
    var fn = TfFunction.returning(TFloat32.class, x -> outOfBounds.apply(x));
    var e = assertThrows(IllegalArgumentException.class,
        () -> LayerConformance.call(fn, Shape.of(1, 2, 2, 3), new float[12]));
    assertEquals("Axis 4 is out of bounds for input shape (None, 2, 2, 3). Received: axis=4", e.getMessage());
    GraphRuntime.reset();

    BatchNormalization bn = new BatchNormalization();
    LayerConformance.run(bn, Shape.of(1, 3), new float[3], 12);
    var other = TfFunction.returning(TFloat32.class, x -> bn.apply(x));
    e = assertThrows(IllegalArgumentException.class,
        () -> LayerConformance.call(other, Shape.of(1, 5), new float[5]));
    assertEquals(
        "Input 0 of layer \"batch_normalization\" is incompatible with the layer: expected axis 1 of"
            + " input shape to have value 3, found 5. Full shape received: (None, 5)",
        e.getMessage());
    var ise = assertThrows(IllegalStateException.class, () -> bn.momentum(0.5));
    assertEquals(
        "Cannot change momentum of layer 'batch_normalization' after it was built; set it before"
            + " the first apply().",
        ise.getMessage());
  }
}
