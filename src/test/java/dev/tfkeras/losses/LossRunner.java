package dev.tfkeras.losses;

import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tfkeras.function.TfFunction;
import dev.tfkeras.testing.Tensors;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
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

  /**
   * The loss value(s) with sample weights: predictions and weights are fed (batch size unknown
   * when traced, as in a train step), the labels are a constant of the graph.
   */
  @SuppressWarnings("unchecked")
  static float[] eval(Loss loss, TNumber labels, TFloat32 predictions, TNumber weights) {
    Class<TNumber> weightType = (Class<TNumber>) weights.type();
    var fn = TfFunction.returning(TFloat32.class, weightType,
        (p, w) -> loss.call((org.tensorflow.Operand<TNumber>) TfFunction.ops().constantOf(labels), p, w));
    try (TFloat32 out = fn.call(predictions, weights)) {
      return Tensors.read(out);
    }
  }

  /** The message of the IllegalArgumentException that tracing {@code loss} with weights throws. */
  @SuppressWarnings("unchecked")
  static String traceError(Loss loss, TNumber labels, TFloat32 predictions, TNumber weights) {
    Class<TNumber> weightType = (Class<TNumber>) weights.type();
    var fn = TfFunction.returning(TFloat32.class, weightType,
        (p, w) -> loss.call((org.tensorflow.Operand<TNumber>) TfFunction.ops().constantOf(labels), p, w));
    return assertThrows(IllegalArgumentException.class, () -> fn.call(predictions, weights))
        .getMessage();
  }

  /**
   * The message of the error that running {@code loss} raises (a run-time check), with
   * TensorFlow's "[part] [value] [part]" assertion layout joined into one line of text.
   */
  static String runError(Loss loss, TNumber labels, TFloat32 predictions) {
    String message = assertThrows(RuntimeException.class, () -> eval(loss, labels, predictions)).getMessage();
    return message.replace("] [", " ");
  }

  /** A float64 tensor of {@code shape}. */
  static TFloat64 doubles(double[] values, long... shape) {
    return TFloat64.tensorOf(Shape.of(shape), DataBuffers.of(values, true, false));
  }

  /** The message of the IllegalArgumentException that tracing {@code loss} on these inputs throws. */
  @SuppressWarnings("unchecked")
  static String traceError(Loss loss, TNumber labels, TFloat32 predictions) {
    Class<TNumber> labelType = (Class<TNumber>) labels.type();
    var fn = TfFunction.returning(TFloat32.class, labelType, (p, y) -> loss.call(y, p));
    return assertThrows(IllegalArgumentException.class, () -> fn.call(predictions, labels))
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

  /** Σ values[i] · weights[i]. */
  static double dot(double[] values, double[] weights) {
    double s = 0;
    for (int i = 0; i < values.length; i++) {
      s += values[i] * weights[i];
    }
    return s;
  }

  /** Keras's clipping to [1e-7, 1] (the KL divergence's). */
  static double clipToOne(double p) {
    return Math.min(Math.max(p, 1e-7), 1);
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
