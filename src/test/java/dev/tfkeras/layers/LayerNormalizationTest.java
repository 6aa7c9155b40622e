package dev.tfkeras.layers;

import static dev.tfkeras.testing.Numeric.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tfkeras.function.TfFunction;
import dev.tfkeras.initializers.Constant;
import dev.tfkeras.runtime.GraphRuntime;
import dev.tfkeras.testing.FreshRuntime;
import dev.tfkeras.variables.Variable;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

@ExtendWith(FreshRuntime.class)
class LayerNormalizationTest {

  /**
   * Normalizes each group of {@code group} consecutive values (the trailing axes) of {@code x}:
   * gamma (x - mean) / sqrt(var + eps) + beta, gamma and beta indexed within the group.
   */
  private static double[] reference(float[] x, int group, float[] gamma, float[] beta, double eps) {
    double[] out = new double[x.length];
    for (int start = 0; start < x.length; start += group) {
      double mean = 0;
      for (int i = 0; i < group; i++) {
        mean += x[start + i] / (double) group;
      }
      double var = 0;
      for (int i = 0; i < group; i++) {
        var += (x[start + i] - mean) * (x[start + i] - mean) / group;
      }
      for (int i = 0; i < group; i++) {
        double g = gamma == null ? 1 : gamma[gamma.length == 1 ? 0 : i];
        double b = beta == null ? 0 : beta[beta.length == 1 ? 0 : i];
        out[start + i] = g * (x[start + i] - mean) / Math.sqrt(var + eps) + b;
      }
    }
    return out;
  }

  @Test
  void normalizesEachExampleOverTheLastAxis() {
    // Keras test_output: arange(5) with gamma = beta = 1 -> [-0.41386, 0.29307, 1.0, 1.70693, 2.41386]
    LayerNormalization ln = new LayerNormalization().gammaInitializer(Constant.of(1f)).betaInitializer(Constant.of(1f));
    var out = LayerConformance.run(ln, Shape.of(1, 5), LayerConformance.range(5), 10);
    assertClose(reference(LayerConformance.range(5), 5, new float[] {1}, new float[] {1}, 1e-3), out.values(),
        1e-5, 1e-6, "arange(5)");
    assertClose(new double[] {-0.41386, 0.29307, 1.0, 1.70693, 2.41386}, out.values(), 0, 1e-5, "Keras's values");
    assertEquals(List.of("layer_normalization/gamma", "layer_normalization/beta"),
        ln.variables().stream().map(Variable::path).toList());
  }

  @Test
  void kerasParameterSetsAndLearnedScaleAndOffset() {
    // test_ln_basics: (3, 4, 2) -> 2 trainable weights of shape (2,)
    float[] gamma = {2f, -0.5f};
    float[] beta = {0.3f, 1f};
    LayerNormalization ln = new LayerNormalization().gammaInitializer(Constant.values(gamma)).betaInitializer(Constant.values(beta));
    float[] x = ConvReference.wave(24, 0.1);
    var out = LayerConformance.run(ln, Shape.of(3, 4, 2), x, 4);
    assertEquals(Shape.of(3, 4, 2), out.shape());
    assertEquals(2, ln.trainableVariables().size());
    assertClose(reference(x, 2, gamma, beta, 1e-3), out.values(), 1e-5, 1e-5, "(3, 4, 2)");
    GraphRuntime.reset();

    LayerNormalization bare = new LayerNormalization().scale(false).center(false);
    float[] y = ConvReference.wave(9, 0.3);
    var plain = LayerConformance.run(bare, Shape.of(3, 3), y, 0);
    assertClose(reference(y, 3, null, null, 1e-3), plain.values(), 1e-5, 1e-5, "no gamma, no beta");
    GraphRuntime.reset();

    // axis (-3, -2, -1) on (2, 8, 8, 3): one mean per image, gamma of shape (8, 8, 3)
    float[] g = ConvReference.wave(192, 1.1);
    LayerNormalization image = new LayerNormalization().axis(-3, -2, -1).epsilon(1e-5).gammaInitializer(Constant.values(g));
    float[] images = ConvReference.wave(2 * 192, 0);
    var normalized = LayerConformance.run(image, Shape.of(2, 8, 8, 3), images, 2 * 192);
    assertEquals(Shape.of(8, 8, 3), image.variables().get(0).shape());
    assertClose(reference(images, 192, g, null, 1e-5), normalized.values(), 1e-4, 1e-5, "whole images");
  }

  @Test
  void innerAxisIsNormalizedOnItsOwn() {
    // axis 1 of (2, 3, 2): statistics over the 3 values of each (example, last index) column
    LayerNormalization ln = new LayerNormalization().axis(1).gammaInitializer(Constant.values(1f, 2f, 3f));
    float[] x = {1, 10, 2, 20, 4, 50, -1, 0, 0, 1, 3, 5};
    var out = LayerConformance.run(ln, Shape.of(2, 3, 2), x, 6);
    double[] expected = new double[12];
    for (int n = 0; n < 2; n++) {
      for (int k = 0; k < 2; k++) {
        float[] column = new float[3];
        for (int j = 0; j < 3; j++) {
          column[j] = x[(n * 3 + j) * 2 + k];
        }
        double[] normalized = reference(column, 3, new float[] {1f, 2f, 3f}, null, 1e-3);
        for (int j = 0; j < 3; j++) {
          expected[(n * 3 + j) * 2 + k] = normalized[j];
        }
      }
    }
    assertClose(expected, out.values(), 1e-5, 1e-5, "axis 1");
  }

  @Test
  void trainingAndInferenceAgree() {
    LayerNormalization ln = new LayerNormalization();
    var train = TfFunction.returning(TFloat32.class, x -> ln.apply(x, true));
    var infer = TfFunction.returning(TFloat32.class, x -> ln.apply(x, false));
    float[] x = ConvReference.wave(12, 0);
    LayerConformance.assertArrayEquals(
        LayerConformance.call(train, Shape.of(3, 4), x).values(),
        LayerConformance.call(infer, Shape.of(3, 4), x).values(), 0f);
  }

  @Test
  void gradientsMatchFiniteDifferences() {
    LayerGradients.check(new LayerNormalization().gammaInitializer(Constant.values(1.5f, -0.5f, 1f))
        .betaInitializer(Constant.values(0.1f, 0.2f, 0.3f)), ConvReference.wave(2 * 2 * 3, 0.4),
        new long[] {2, 2, 3}, true, 5e-3);
  }

  @Test
  void rejectsAxesOutOfBoundsAndDuplicates() {
    for (int axis : new int[] {2, 99, -3}) {
      GraphRuntime.reset();
      LayerNormalization ln = new LayerNormalization().axis(axis);
      var fn = TfFunction.returning(TFloat32.class, x -> ln.apply(x));
      var e = assertThrows(IllegalArgumentException.class,
          () -> LayerConformance.call(fn, Shape.of(2, 4), new float[8]));
      assertEquals("axis " + axis + " is out of bounds for an array with dimension 2.", e.getMessage());
    }
    GraphRuntime.reset();
    LayerNormalization twice = new LayerNormalization().axis(-1, 1);
    var fn = TfFunction.returning(TFloat32.class, x -> twice.apply(x));
    var e = assertThrows(IllegalArgumentException.class,
        () -> LayerConformance.call(fn, Shape.of(2, 4), new float[8]));
    assertEquals("Duplicate axes are not allowed. Received: axis=[-1, 1]", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new LayerNormalization().axis());
    assertEquals("Received an invalid value for `axis`, expected one or more axes. Received: axis=[]",
        e.getMessage());
  }
}
