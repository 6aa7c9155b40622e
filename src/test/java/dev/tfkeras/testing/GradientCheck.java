package dev.tfkeras.testing;

import static dev.tfkeras.testing.Numeric.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.tfkeras.autodiff.GradientTape;
import dev.tfkeras.function.TfFunction;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Checks the tape's gradients of {@code f(x1, ..., xn)} against central finite differences of the
 * same function. The scalar differentiated is {@code Σ_i c_i f_i} with fixed coefficients {@code c_i
 * = sin(i + 1)}, so every output element counts with its own weight (a plain sum would hide the
 * gradient of softmax, whose outputs sum to 1).
 */
public final class GradientCheck {

  private final List<Param> params = new ArrayList<>();
  private final TfFunction<TFloat32> value;
  private final List<TfFunction<TFloat32>> gradients = new ArrayList<>();

  /** {@code inputs[k]} (row-major values) of {@code shapes[k]}, and the function of them. */
  public GradientCheck(
      List<float[]> inputs, List<long[]> shapes, Function<List<Operand<TFloat32>>, Operand<TFloat32>> f) {
    for (int k = 0; k < inputs.size(); k++) {
      params.add(new Param(inputs.get(k), shapes.get(k)));
    }
    value = TfFunction.returning(TFloat32.class, unused -> objective(f)).named("gc_value");
    for (int k = 0; k < params.size(); k++) {
      int index = k;
      gradients.add(
          TfFunction.returning(TFloat32.class, unused -> {
            var tape = new GradientTape();
            Operand<TFloat32> y;
            try (tape) {
              y = objective(f);
            }
            Operand<TFloat32> g = tape.gradient(y, params.get(index).trainableVariables()).get(0);
            assertNotNull(g, "no gradient for input " + index);
            return g;
          }).named("gc_gradient_" + k));
    }
  }

  /** One input. */
  public static GradientCheck of(float[] input, long[] shape, Function<Operand<TFloat32>, Operand<TFloat32>> f) {
    return new GradientCheck(List.of(input), List.of(shape), xs -> f.apply(xs.get(0)));
  }

  private Operand<TFloat32> objective(Function<List<Operand<TFloat32>>, Operand<TFloat32>> f) {
    Ops tf = TfFunction.ops();
    List<Operand<TFloat32>> xs = new ArrayList<>();
    for (Param p : params) {
      xs.add(p.apply(tf.constant(0f)));
    }
    Operand<TFloat32> flat = tf.reshape(f.apply(xs), tf.constant(new int[] {-1}));
    Operand<TInt32> n = tf.size(flat);
    Operand<TFloat32> index =
        tf.dtypes.cast(tf.range(tf.constant(1), tf.math.add(n, tf.constant(1)), tf.constant(1)), TFloat32.class);
    return tf.sum(tf.math.mul(flat, tf.math.sin(index)), tf.constant(0));
  }

  /** The tape's gradient with respect to input {@code k}. */
  public float[] tapeGradient(int k) {
    try (TFloat32 dummy = TFloat32.scalarOf(0f);
        TFloat32 g = gradients.get(k).call(dummy)) {
      assertEquals(params.get(k).weight().shape(), g.shape());
      return Tensors.read(g);
    }
  }

  private double objectiveValue() {
    try (TFloat32 dummy = TFloat32.scalarOf(0f);
        TFloat32 y = value.call(dummy)) {
      return y.getFloat();
    }
  }

  /** Central differences with step {@code h} with respect to input {@code k}. */
  public double[] finiteDifferences(int k, double h) {
    Param p = params.get(k);
    float[] w0 = p.value();
    double[] out = new double[w0.length];
    for (int i = 0; i < w0.length; i++) {
      float[] plus = w0.clone();
      float[] minus = w0.clone();
      plus[i] += (float) h;
      minus[i] -= (float) h;
      p.assign(plus);
      double up = objectiveValue();
      p.assign(minus);
      double down = objectiveValue();
      out[i] = (up - down) / ((double) plus[i] - (double) minus[i]);
    }
    p.assign(w0);
    return out;
  }

  /** Asserts, for every input, that the tape's gradient matches central differences. */
  public void assertMatchesFiniteDifferences(double h, double tolerance, String what) {
    for (int k = 0; k < params.size(); k++) {
      float[] tape = tapeGradient(k);
      assertClose(finiteDifferences(k, h), tape, 0, tolerance, what + " d/dx" + k);
    }
  }
}
