package dev.tfkeras.constraints;

import static dev.tfkeras.testing.Numeric.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.function.TfFunction;
import dev.tfkeras.initializers.Constant;
import dev.tfkeras.layers.Dense;
import dev.tfkeras.models.FitOptions;
import dev.tfkeras.models.Model;
import dev.tfkeras.models.Sequential;
import dev.tfkeras.optimizers.Adam;
import dev.tfkeras.optimizers.Optimizer;
import dev.tfkeras.optimizers.SGD;
import dev.tfkeras.runtime.GraphRuntime;
import dev.tfkeras.testing.FreshRuntime;
import dev.tfkeras.testing.Tensors;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

@ExtendWith(FreshRuntime.class)
class ConstraintsTest {

  /** A (3, 2) matrix: column norms sqrt(1 + 4 + 4) = 3 and sqrt(0.25 + 1 + 0.0625) ~ 1.146. */
  private static final float[] W = {1, -0.5f, -2, 1, 2, 0.25f};

  private static final double EPS = 1e-7;

  private static float[] run(Constraint c, float[] w, long... shape) {
    var fn = TfFunction.returning(TFloat32.class, x -> c.apply(TfFunction.ops(), x));
    try (TFloat32 x = Tensors.floats(w, shape);
        TFloat32 y = fn.call(x)) {
      return Tensors.read(y);
    }
  }

  /** Norms of the columns (axis 0) of a rows x cols matrix. */
  private static double[] columnNorms(float[] w, int rows, int cols) {
    double[] norms = new double[cols];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        norms[c] += (double) w[r * cols + c] * w[r * cols + c];
      }
    }
    for (int c = 0; c < cols; c++) {
      norms[c] = Math.sqrt(norms[c]);
    }
    return norms;
  }

  /** w * desired(norm) / (eps + norm), per column. */
  private static double[] rescaleColumns(float[] w, int rows, int cols, java.util.function.DoubleUnaryOperator desired) {
    double[] norms = columnNorms(w, rows, cols);
    double[] out = new double[w.length];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        out[r * cols + c] = w[r * cols + c] * desired.applyAsDouble(norms[c]) / (EPS + norms[c]);
      }
    }
    return out;
  }

  @Test
  void constraintsFollowKerasFormulas() {
    assertClose(rescaleColumns(W, 3, 2, n -> Math.min(n, 2)), run(new MaxNorm(), W, 3, 2), 1e-6, 1e-7,
        "MaxNorm(2, axis 0)");
    assertClose(rescaleColumns(W, 3, 2, n -> Math.min(n, 1)), run(new MaxNorm(1f), W, 3, 2), 1e-6, 1e-7,
        "MaxNorm(1)");
    assertClose(rescaleColumns(W, 3, 2, n -> 1), run(new UnitNorm(), W, 3, 2), 1e-6, 1e-7, "UnitNorm");
    assertClose(rescaleColumns(W, 3, 2, n -> 0.5 * Math.min(Math.max(n, 1.5), 2.5) + 0.5 * n),
        run(new MinMaxNorm(1.5f, 2.5f, 0.5f, 0), W, 3, 2), 1e-6, 1e-7, "MinMaxNorm(1.5, 2.5, rate 0.5)");
    assertClose(rescaleColumns(W, 3, 2, n -> Math.min(Math.max(n, 0), 1)), run(new MinMaxNorm(), W, 3, 2), 1e-6,
        1e-7, "MinMaxNorm defaults");
    double[] nonNeg = new double[W.length];
    for (int i = 0; i < W.length; i++) {
      nonNeg[i] = Math.max(W[i], 0);
    }
    assertClose(nonNeg, run(new NonNeg(), W, 3, 2), 0, 0, "NonNeg");
    // axis 1 of the (3, 2) matrix: rows, i.e. columns of the transpose
    float[] rowsAsColumns = {1, -2, 2, -0.5f, 1, 0.25f};
    double[] t = rescaleColumns(rowsAsColumns, 2, 3, n -> Math.min(n, 1));
    double[] back = {t[0], t[3], t[1], t[4], t[2], t[5]};
    assertClose(back, run(new MaxNorm(1f, 1), W, 3, 2), 1e-6, 1e-7, "MaxNorm over axis 1");
    // a conv kernel (2, 2, 1, 2) with axes 0, 1, 2: one norm per filter
    float[] kernel = {3, 0, 0, 4, 4, 0, 0, 3};
    double[] perFilter = rescaleColumns(kernel, 4, 2, n -> Math.min(n, 2.5));
    assertClose(perFilter, run(new MaxNorm(2.5f, 0, 1, 2), kernel, 2, 2, 1, 2), 1e-6, 1e-7, "MaxNorm conv kernel");
  }

  @Test
  void identifiersAndArguments() {
    assertInstanceOf(MaxNorm.class, Constraints.get("max_norm"));
    assertInstanceOf(NonNeg.class, Constraints.get("non_neg"));
    assertInstanceOf(UnitNorm.class, Constraints.get("UnitNorm"));
    assertInstanceOf(MinMaxNorm.class, Constraints.get("min_max_norm"));
    var e = assertThrows(IllegalArgumentException.class, () -> Constraints.get("max"));
    assertTrue(e.getMessage().startsWith("Could not interpret constraint identifier: max. Known: MaxNorm,"));
    assertThrows(IllegalArgumentException.class, () -> new UnitNorm(new int[0]));
  }

  private static final float[][] X = {{1, 2, -1}, {0.5f, -1, 2}, {-1, 0.5f, 1}, {2, 1, 0}};
  private static final float[][] Y = {{3, -2}, {-1, 4}, {2, 2}, {5, -3}};
  private static final float[] K = {1.5f, -1, 0.5f, 2, -1, 1}; // column norms ~1.87, ~2.45
  private static final float[] B = {0.1f, -0.1f};

  private static Model model(boolean constrained, Supplier<Optimizer> optimizer) {
    Dense d = new Dense(2).kernelInitializer(Constant.values(K)).biasInitializer(Constant.values(B));
    if (constrained) {
      d.kernelConstraint(new MaxNorm(1f)).biasConstraint(new NonNeg());
    }
    Model m = new Sequential(d);
    m.compile(optimizer.get(), "mse");
    return m;
  }

  private static float[] values(org.tensorflow.ndarray.FloatNdArray a) {
    float[] out = new float[(int) a.shape().size()];
    a.copyTo(DataBuffers.of(out, false, false));
    return out;
  }

  @Test
  void constraintsHoldAfterEachTrainingStep() {
    for (Supplier<Optimizer> optimizer : java.util.List.<Supplier<Optimizer>>of(() -> new SGD(0.05f), () -> new Adam(0.1f))) {
      Model plain = model(false, optimizer);
      Model constrained = model(true, optimizer);
      FitOptions oneStep = new FitOptions().epochs(1).batchSize(4).shuffle(false).verbose(0);
      plain.fit(X, Y, oneStep);
      constrained.fit(X, Y, oneStep);
      // the first step starts from the same weights: constrained = constraint(plain update)
      float[] kPlain = values(plain.getWeights().get(0));
      float[] bPlain = values(plain.getWeights().get(1));
      float[] kernel = values(constrained.getWeights().get(0));
      float[] bias = values(constrained.getWeights().get(1));
      String name = constrained.optimizer().name();
      for (double n : columnNorms(kPlain, 3, 2)) {
        assertTrue(n > 1.2, name + ": the unconstrained update leaves norms above the max, so MaxNorm acts");
      }
      assertClose(rescaleColumns(kPlain, 3, 2, n -> Math.min(n, 1)), kernel, 1e-5, 1e-7, name + " kernel = MaxNorm(update)");
      assertClose(new double[] {Math.max(bPlain[0], 0), Math.max(bPlain[1], 0)}, bias, 1e-6, 0, name + " bias = NonNeg(update)");
      // and keep holding over more steps
      constrained.fit(X, Y, new FitOptions().epochs(5).batchSize(2).shuffle(false).verbose(0));
      kernel = values(constrained.getWeights().get(0));
      bias = values(constrained.getWeights().get(1));
      for (double n : columnNorms(kernel, 3, 2)) {
        assertTrue(n <= 1 + 1e-5, name + ": column norm " + n + " <= 1");
      }
      for (float b : bias) {
        assertTrue(b >= 0, name + ": bias " + b + " >= 0");
      }
      assertEquals(1 + 10, constrained.optimizer().iterations(), name + ": one step per batch");
      plain.close();
      constrained.close();
      GraphRuntime.reset();
    }
  }
}
