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
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Gradients of a layer, as the tape computes them, against central finite differences: the
 * objective is {@code Σ r ⊙ layer(x)} with fixed coefficients {@code r = sin(1.7 i + 0.3)}, so that
 * no output's gradient hides behind a sum that is constant (a normalization's outputs sum to a
 * constant). Differentiated with respect to the input (held in a {@link Param}) and every trainable
 * weight of the layer.
 */
final class LayerGradients {

  private static final double H = 1e-2;

  private LayerGradients() {}

  /** Checks every gradient to {@code tolerance} (absolute) plus 1% of its size. */
  static void check(Layer layer, float[] input, long[] inputShape, boolean training, double tolerance) {
    Param x = new Param(input, inputShape);
    TfFunction<TFloat32> objective =
        TfFunction.returning(TFloat32.class, d -> weightedSum(layer.apply(x.apply(d), training)))
            .named("objective");
    List<Variable<TFloat32>> sources = new ArrayList<>();
    TfFunction<TFloat32> gradient =
        TfFunction.returning(TFloat32.class, d -> {
          var tape = new GradientTape();
          Operand<TFloat32> value;
          try (tape) {
            value = weightedSum(layer.apply(x.apply(d), training));
          }
          sources.clear();
          sources.addAll(x.trainableVariables());
          sources.addAll(layer.trainableVariables());
          Ops tf = TfFunction.ops();
          List<Operand<TFloat32>> flat = new ArrayList<>();
          for (Operand<TFloat32> g : tape.gradient(value, sources)) {
            flat.add(tf.reshape(g, tf.constant(new long[] {-1})));
          }
          return flat.size() == 1 ? flat.get(0) : tf.concat(flat, tf.constant(0));
        }).named("gradient");
    try (TFloat32 dummy = Tensors.vector(0f)) {
      float[] tape;
      try (TFloat32 g = gradient.call(dummy)) {
        tape = Tensors.read(g);
      }
      List<Double> numeric = new ArrayList<>();
      for (Variable<TFloat32> source : sources) {
        float[] w0;
        try (TFloat32 v = source.value()) {
          w0 = Tensors.read(v);
        }
        for (int i = 0; i < w0.length; i++) {
          float[] plus = w0.clone();
          float[] minus = w0.clone();
          plus[i] += (float) H;
          minus[i] -= (float) H;
          double up = evaluate(objective, dummy, source, plus);
          double down = evaluate(objective, dummy, source, minus);
          numeric.add((up - down) / ((double) plus[i] - (double) minus[i]));
        }
        assign(source, w0);
      }
      assertEquals(numeric.size(), tape.length, "gradient size");
      for (int i = 0; i < tape.length; i++) {
        assertClose(numeric.get(i), tape[i], 1e-2, tolerance, "d objective / d parameter " + i);
      }
    }
  }

  private static double evaluate(TfFunction<TFloat32> objective, TFloat32 dummy, Variable<TFloat32> source, float[] values) {
    assign(source, values);
    try (TFloat32 out = objective.call(dummy)) {
      return Tensors.read(out)[0];
    }
  }

  private static void assign(Variable<TFloat32> variable, float[] values) {
    try (TFloat32 t = Tensors.floats(values, variable.shape().asArray())) {
      variable.assign(t);
    }
  }

  /** Σ sin(1.7 i + 0.3) · y_i over y in row-major order. */
  private static Operand<TFloat32> weightedSum(Operand<TFloat32> y) {
    Ops tf = TfFunction.ops();
    Operand<TInt64> shape = tf.shape(y, TInt64.class);
    Operand<TFloat32> index =
        tf.dtypes.cast(tf.range(tf.constant(0L), tf.size(y, TInt64.class), tf.constant(1L)), TFloat32.class);
    Operand<TFloat32> r =
        tf.reshape(tf.math.sin(tf.math.add(tf.math.mul(index, tf.constant(1.7f)), tf.constant(0.3f))), shape);
    return tf.reshape(tf.sum(tf.math.mul(y, r), tf.range(tf.constant(0), tf.rank(y), tf.constant(1))),
        tf.constant(new long[] {1}));
  }
}
