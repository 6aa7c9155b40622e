package dev.tfkeras.losses;

import dev.tfkeras.function.TfFunction;
import dev.tfkeras.testing.Tensors;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TNumber;

/** Evaluates a loss on host tensors through a traced function, as a train step would. */
final class LossRunner {

  private LossRunner() {}

  /** The loss value(s) for {@code labels} and {@code predictions}; a scalar gives one element. */
  @SuppressWarnings("unchecked")
  static float[] eval(Loss loss, TNumber labels, TFloat32 predictions) {
    Class<TNumber> labelType = (Class<TNumber>) labels.type();
    var fn = TfFunction.returning(TFloat32.class, labelType, (p, y) -> loss.call(y, p));
    try (TFloat32 out = fn.call(predictions, labels)) {
      return Tensors.read(out);
    }
  }

  /** The message of the IllegalArgumentException that tracing {@code loss} on these inputs throws. */
  @SuppressWarnings("unchecked")
  static String traceError(Loss loss, TNumber labels, TFloat32 predictions) {
    Class<TNumber> labelType = (Class<TNumber>) labels.type();
    var fn = TfFunction.returning(TFloat32.class, labelType, (p, y) -> loss.call(y, p));
    return org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, () -> fn.call(predictions, labels))
        .getMessage();
  }

  /** log Σ exp(z), stably, in doubles. */
  static double logSumExp(double[] z) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : z) {
      max = Math.max(max, v);
    }
    double sum = 0;
    for (double v : z) {
      sum += Math.exp(v - max);
    }
    return max + Math.log(sum);
  }

  /** Row {@code r} of a row-major (rows, cols) float array, as doubles. */
  static double[] row(float[] values, int cols, int r) {
    double[] out = new double[cols];
    for (int c = 0; c < cols; c++) {
      out[c] = values[r * cols + c];
    }
    return out;
  }

  static double sum(double[] values) {
    double s = 0;
    for (double v : values) {
      s += v;
    }
    return s;
  }

  /** Keras's probability clipping: [1e-7, 1 - 1e-7]. */
  static double clip(double p) {
    return Math.min(Math.max(p, 1e-7), 1 - 1e-7);
  }
}
