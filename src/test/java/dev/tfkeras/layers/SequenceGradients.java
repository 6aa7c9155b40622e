package dev.tfkeras.layers;

import static dev.tfkeras.testing.Numeric.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tfkeras.autodiff.GradientTape;
import dev.tfkeras.function.TfFunction;
import dev.tfkeras.testing.Param;
import dev.tfkeras.testing.Tensors;
import dev.tfkeras.variables.Variable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.types.TFloat32;

/**
 * The tape's gradients of a sequence model against central finite differences. The objective is
 * {@code Σ_k Σ r ⊙ output_k} over every output of {@code forward}, with fixed coefficients {@code
 * r = sin(1.7 i + 0.3)} so that no gradient hides behind a constant sum; it is differentiated with
 * respect to the input (held in a {@link Param}) and every trainable weight of {@code layer}.
 */
final class SequenceGradients {

  private static final double H = 1e-2;

  private SequenceGradients() {}

  /**
   * @param forward maps the input operand to the outputs to differentiate (applying the layer, and
   *     a {@link Masked} before it if wanted)
   * @param tolerance absolute tolerance, plus 1% of the gradient's size
   */
  static void check(
      Layer layer,
      Function<Operand<TFloat32>, List<Operand<TFloat32>>> forward,
      float[] input,
      long[] inputShape,
      double tolerance) {
    Param x = new Param(input, inputShape);
    TfFunction<TFloat32> objective =
        TfFunction.returning(TFloat32.class, d -> weightedSum(forward.apply(x.apply(d, true)))).named("objective");
    TfFunction<TFloat32> gradient =
        TfFunction.returning(
                TFloat32.class,
                d -> {
                  var tape = new GradientTape();
                  Operand<TFloat32> value;
                  try (tape) {
                    value = weightedSum(forward.apply(x.apply(d, true)));
                  }
                  List<Operand<TFloat32>> flat = new ArrayList<>();
                  Ops tf = TfFunction.ops();
                  for (Operand<TFloat32> g : tape.gradient(value, sources(x, layer))) {
                    flat.add(tf.reshape(g, tf.constant(new long[] {-1})));
                  }
                  return flat.size() == 1 ? flat.get(0) : tf.concat(flat, tf.constant(0));
                })
            .named("gradient");
    try (TFloat32 dummy = Tensors.vector(0f)) {
      float[] tape;
      try (TFloat32 g = gradient.call(dummy)) {
        tape = Tensors.read(g);
      }
      List<Double> numeric = new ArrayList<>();
      for (Variable<TFloat32> v : sources(x, layer)) {
        float[] w0;
        try (TFloat32 t = v.value()) {
          w0 = Tensors.read(t);
        }
        long[] shape = v.shape().asArray();
        for (int i = 0; i < w0.length; i++) {
          float[] plus = w0.clone();
          float[] minus = w0.clone();
          plus[i] += (float) H;
          minus[i] -= (float) H;
          double up = evaluate(objective, v, plus, shape, dummy);
          double down = evaluate(objective, v, minus, shape, dummy);
          numeric.add((up - down) / ((double) plus[i] - (double) minus[i]));
        }
        try (TFloat32 t = Tensors.floats(w0, shape)) {
          v.assign(t);
        }
      }
      assertEquals(numeric.size(), tape.length, "gradient size");
      for (int i = 0; i < tape.length; i++) {
        double expected = numeric.get(i);
        assertClose(expected, tape[i], 0.01, tolerance, "d objective / d parameter " + i);
      }
    }
  }

  private static List<Variable<TFloat32>> sources(Param x, Layer layer) {
    List<Variable<TFloat32>> all = new ArrayList<>(x.trainableVariables());
    all.addAll(layer.trainableVariables());
    return all;
  }

  private static double evaluate(
      TfFunction<TFloat32> objective, Variable<TFloat32> v, float[] values, long[] shape, TFloat32 dummy) {
    try (TFloat32 t = Tensors.floats(values, shape)) {
      v.assign(t);
    }
    try (TFloat32 out = objective.call(dummy)) {
      return Tensors.read(out)[0];
    }
  }

  static Operand<TFloat32> weightedSum(List<Operand<TFloat32>> outputs) {
    Ops tf = TfFunction.ops();
    Operand<TFloat32> total = tf.constant(0f);
    for (Operand<TFloat32> y : outputs) {
      Operand<TFloat32> flat = tf.reshape(y, tf.constant(new long[] {-1}));
      Operand<TFloat32> index = tf.dtypes.cast(tf.range(tf.constant(0), tf.size(flat), tf.constant(1)), TFloat32.class);
      Operand<TFloat32> r = tf.math.sin(tf.math.add(tf.math.mul(index, tf.constant(1.7f)), tf.constant(0.3f)));
      total = tf.math.add(total, tf.reduceSum(tf.math.mul(flat, r), tf.constant(0), ReduceSum.keepDims(false)));
    }
    return total;
  }
}
