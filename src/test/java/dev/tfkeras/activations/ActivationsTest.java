package dev.tfkeras.activations;

import static dev.tfkeras.testing.Numeric.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.function.TfFunction;
import dev.tfkeras.runtime.GraphRuntime;
import dev.tfkeras.testing.FreshRuntime;
import dev.tfkeras.testing.GradientCheck;
import dev.tfkeras.testing.Tensors;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.types.TFloat32;

/** Every Keras activation against its formula written in Java doubles, and its gradient against finite differences. */
@ExtendWith(FreshRuntime.class)
class ActivationsTest {

  /** Two rows of four, away from every kink (0, +-3, 6), so finite differences are smooth. */
  private static final float[] X = {-2.7f, -1.3f, -0.4f, 0.35f, 1.2f, 2.6f, 4.1f, -4.4f};

  private static final long[] SHAPE = {2, 4};

  private static final double SELU_ALPHA = 1.6732632423543772848170429916717;
  private static final double SELU_SCALE = 1.0507009873554804934193349852946;

  static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  static double softplus(double x) {
    return Math.log1p(Math.exp(x));
  }

  /** erf by its Maclaurin series, exact to double precision for |x| < 5. */
  static double erf(double x) {
    double term = x;
    double sum = x;
    for (int n = 1; n < 200; n++) {
      term *= -x * x / n;
      sum += term / (2 * n + 1);
    }
    return 2 / Math.sqrt(Math.PI) * sum;
  }

  static double hardSigmoid(double x) {
    return Math.min(Math.max(x / 6 + 0.5, 0), 1);
  }

  private static final Map<Activations, DoubleUnaryOperator> ELEMENTWISE = new EnumMap<>(Activations.class);

  static {
    ELEMENTWISE.put(Activations.LINEAR, x -> x);
    ELEMENTWISE.put(Activations.RELU, x -> Math.max(x, 0));
    ELEMENTWISE.put(Activations.RELU6, x -> Math.min(Math.max(x, 0), 6));
    ELEMENTWISE.put(Activations.LEAKY_RELU, x -> x >= 0 ? x : 0.2 * x);
    ELEMENTWISE.put(Activations.SIGMOID, ActivationsTest::sigmoid);
    ELEMENTWISE.put(Activations.TANH, Math::tanh);
    ELEMENTWISE.put(Activations.ELU, x -> x > 0 ? x : Math.exp(x) - 1);
    ELEMENTWISE.put(Activations.SELU, x -> SELU_SCALE * (x > 0 ? x : SELU_ALPHA * (Math.exp(x) - 1)));
    ELEMENTWISE.put(Activations.GELU, x -> 0.5 * x * (1 + erf(x / Math.sqrt(2))));
    ELEMENTWISE.put(Activations.SILU, x -> x * sigmoid(x));
    ELEMENTWISE.put(Activations.SOFTPLUS, ActivationsTest::softplus);
    ELEMENTWISE.put(Activations.SOFTSIGN, x -> x / (Math.abs(x) + 1));
    ELEMENTWISE.put(Activations.EXPONENTIAL, Math::exp);
    ELEMENTWISE.put(Activations.HARD_SIGMOID, ActivationsTest::hardSigmoid);
    ELEMENTWISE.put(Activations.HARD_SILU, x -> x * hardSigmoid(x));
    ELEMENTWISE.put(Activations.MISH, x -> x * Math.tanh(softplus(x)));
    ELEMENTWISE.put(Activations.LOG_SIGMOID, x -> Math.log(sigmoid(x)));
  }

  private static float[] run(ActivationFunction f, float[] x, long... shape) {
    var fn = TfFunction.returning(TFloat32.class, in -> f.apply(TfFunction.ops(), in));
    try (TFloat32 in = Tensors.floats(x, shape);
        TFloat32 out = fn.call(in)) {
      assertEquals(org.tensorflow.ndarray.Shape.of(shape), out.shape());
      return Tensors.read(out);
    }
  }

  private static double[] map(float[] x, DoubleUnaryOperator f) {
    double[] out = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = f.applyAsDouble(x[i]);
    }
    return out;
  }

  /** Softmax (or log-softmax) of each row of a rows x cols matrix. */
  private static double[] softmaxRows(float[] x, int rows, int cols, boolean log) {
    double[] out = new double[x.length];
    for (int r = 0; r < rows; r++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < cols; c++) {
        max = Math.max(max, x[r * cols + c]);
      }
      double sum = 0;
      for (int c = 0; c < cols; c++) {
        sum += Math.exp(x[r * cols + c] - max);
      }
      for (int c = 0; c < cols; c++) {
        double logP = x[r * cols + c] - max - Math.log(sum);
        out[r * cols + c] = log ? logP : Math.exp(logP);
      }
    }
    return out;
  }

  @Test
  void everyElementwiseActivationFollowsItsKerasFormula() {
    for (Activations a : Activations.values()) {
      if (a == Activations.SOFTMAX || a == Activations.LOG_SOFTMAX) {
        continue;
      }
      DoubleUnaryOperator formula = ELEMENTWISE.get(a);
      assertTrue(formula != null, "no Java formula for " + a);
      assertClose(map(X, formula), run(a, X, SHAPE), 2e-6, 1e-6, a.kerasName());
    }
  }

  @Test
  void softmaxAndLogSoftmaxNormalizeTheLastAxis() {
    assertClose(softmaxRows(X, 2, 4, false), run(Activations.SOFTMAX, X, SHAPE), 1e-5, 1e-7, "softmax");
    assertClose(softmaxRows(X, 2, 4, true), run(Activations.LOG_SOFTMAX, X, SHAPE), 1e-5, 1e-6, "log_softmax");
  }

  @Test
  void softmaxOverAnotherAxisOrSeveralAxes() {
    // axis 0 of a 2x4 matrix: the columns; compare with rows of the transpose
    float[] transposed = new float[8];
    for (int r = 0; r < 2; r++) {
      for (int c = 0; c < 4; c++) {
        transposed[c * 2 + r] = X[r * 4 + c];
      }
    }
    double[] byColumn = softmaxRows(transposed, 4, 2, false);
    double[] expected = new double[8];
    for (int r = 0; r < 2; r++) {
      for (int c = 0; c < 4; c++) {
        expected[r * 4 + c] = byColumn[c * 2 + r];
      }
    }
    assertClose(expected, run(Activations.softmax(0), X, SHAPE), 1e-5, 1e-7, "softmax axis 0");
    assertClose(expected, run(Activations.softmax(-2), X, SHAPE), 1e-5, 1e-7, "softmax axis -2");
    // both axes: one distribution over all 8 values
    assertClose(softmaxRows(X, 1, 8, false), run(Activations.softmax(0, 1), X, SHAPE), 1e-5, 1e-7,
        "softmax over both axes");
  }

  @Test
  void configuredActivationsFollowKerasFormulas() {
    // keras.activations.relu docstring: x = [-10, -5, 0, 5, 10]
    float[] x = {-10, -5, 0, 5, 10};
    assertClose(new double[] {-5, -2.5, 0, 5, 10}, run(Activations.relu(0.5f, null, 0f), x, 5), 0, 1e-6,
        "negative_slope=0.5");
    assertClose(new double[] {0, 0, 0, 5, 5}, run(Activations.relu(0f, 5f, 0f), x, 5), 0, 1e-6, "max_value=5");
    assertClose(new double[] {0, 0, 0, 0, 10}, run(Activations.relu(0f, null, 5f), x, 5), 0, 1e-6, "threshold=5");
    // all three at once: x above t (clipped to max), minus slope * relu(t - x)
    DoubleUnaryOperator full = v -> {
      double up = v > 1 ? v : 0;
      up = Math.min(Math.max(up, 0), 3);
      return up - 0.5 * Math.max(1 - v, 0);
    };
    assertClose(map(X, full), run(Activations.relu(0.5f, 3f, 1f), X, SHAPE), 1e-6, 1e-6, "relu(0.5, 3, 1)");
    assertClose(map(X, v -> v >= 0 ? v : 0.1 * v), run(Activations.leakyRelu(0.1f), X, SHAPE), 1e-6, 1e-7,
        "leaky_relu(0.1)");
    assertClose(map(X, v -> v > 0 ? v : 0.5 * (Math.exp(v) - 1)), run(Activations.elu(0.5f), X, SHAPE),
        1e-6, 1e-7, "elu(0.5)");
    DoubleUnaryOperator tanhGelu =
        v -> 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)));
    assertClose(map(X, tanhGelu), run(Activations.gelu(true), X, SHAPE), 2e-6, 1e-6, "gelu approximate");
    assertSame(Activations.RELU, Activations.relu(0f, null, 0f));
    assertSame(Activations.ELU, Activations.elu(1f));
  }

  @Test
  void everyActivationHasAGradientMatchingFiniteDifferences() {
    for (Activations a : Activations.values()) {
      GradientCheck.of(X, SHAPE, x -> a.apply(TfFunction.ops(), x))
          .assertMatchesFiniteDifferences(1e-2, 2e-3, a.kerasName());
      GraphRuntime.reset();
    }
    ActivationFunction[] configured = {
      Activations.relu(0.5f, 3f, 1f), Activations.leakyRelu(0.1f), Activations.elu(0.5f),
      Activations.gelu(true), Activations.softmax(0), Activations.softmax(0, 1)
    };
    for (ActivationFunction f : configured) {
      GradientCheck.of(X, SHAPE, x -> f.apply(TfFunction.ops(), x))
          .assertMatchesFiniteDifferences(1e-2, 2e-3, f.toString());
      GraphRuntime.reset();
    }
  }

  @Test
  void lookupByKerasName() {
    for (Activations a : Activations.values()) {
      assertSame(a, Activations.get(a.kerasName()));
    }
    assertSame(Activations.SILU, Activations.get("swish"));
    assertSame(Activations.HARD_SILU, Activations.get("hard_swish"));
    assertSame(Activations.LINEAR, Activations.get(null));
    assertEquals("leaky_relu", Activations.LEAKY_RELU.kerasName());
    var e = assertThrows(IllegalArgumentException.class, () -> Activations.get("Relu"));
    assertTrue(e.getMessage().startsWith("Could not interpret activation function identifier: Relu."),
        e.getMessage());
    assertTrue(e.getMessage().contains("relu, relu6, leaky_relu"), e.getMessage());
  }

  @Test
  void softmaxArgumentErrors() {
    assertThrows(IllegalArgumentException.class, Activations::softmax);
    var fn = Activations.softmax(2);
    var e = assertThrows(IllegalArgumentException.class, () -> run(fn, X, SHAPE));
    assertEquals("softmax axis 2 is out of range for an input of rank 2 (shape (None, 4)).", e.getMessage());
  }
}
