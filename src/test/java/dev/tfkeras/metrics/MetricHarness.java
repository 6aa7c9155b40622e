package dev.tfkeras.metrics;

import dev.tfkeras.function.TfFunction;
import dev.tfkeras.testing.Tensors;
import java.util.Random;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.family.TNumber;

/**
 * Runs metric updates in traced functions: labels and predictions (or values) are fed, so their
 * batch axis is unknown as in fit; the sample weight, if any, is a constant of the traced function.
 * Each call traces a new function in the current runtime, so the metric's state accumulates over
 * several functions as well as several calls.
 */
final class MetricHarness {

  private MetricHarness() {}

  /** {@code metric.update(yTrue, yPred, sampleWeight)}, then closes the three tensors. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static void update(PredictionMetric metric, TNumber yTrue, TNumber yPred, TNumber sampleWeight) {
    Class a = yTrue.type();
    Class b = yPred.type();
    TfFunction.Procedure2 body =
        (t, p) ->
            metric.update(
                (Operand<? extends TNumber>) t,
                (Operand<? extends TNumber>) p,
                sampleWeight == null
                    ? null
                    : (Operand<? extends TNumber>) TfFunction.ops().constantOf(sampleWeight));
    try {
      TfFunction.of(a, b, body).call(yTrue, yPred);
    } finally {
      close(yTrue, yPred, sampleWeight);
    }
  }

  /**
   * {@code mean.update(values, sampleWeight)} with the values fed and the weight a constant; closes
   * both.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static void update(Mean mean, TNumber values, TNumber sampleWeight) {
    Class a = values.type();
    TfFunction.Procedure1 body =
        v ->
            mean.update(
                (Operand<? extends TNumber>) v,
                sampleWeight == null
                    ? null
                    : (Operand<? extends TNumber>) TfFunction.ops().constantOf(sampleWeight));
    try {
      TfFunction.of(a, body).call(values);
    } finally {
      close(values, sampleWeight);
    }
  }

  /**
   * {@code sum.update(values, sampleWeight)} with the values fed and the weight a constant; closes
   * both.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static void update(Sum sum, TNumber values, TNumber sampleWeight) {
    Class a = values.type();
    TfFunction.Procedure1 body =
        v ->
            sum.update(
                (Operand<? extends TNumber>) v,
                sampleWeight == null
                    ? null
                    : (Operand<? extends TNumber>) TfFunction.ops().constantOf(sampleWeight));
    try {
      TfFunction.of(a, body).call(values);
    } finally {
      close(values, sampleWeight);
    }
  }

  private static void close(TNumber... tensors) {
    for (TNumber tensor : tensors) {
      if (tensor != null) {
        tensor.close();
      }
    }
  }

  /** Row-major float32 tensor of {@code shape}. */
  static TFloat32 floats(float[] values, long... shape) {
    return Tensors.floats(values, shape);
  }

  /** Row-major float32 tensor from doubles. */
  static TFloat32 floats(double[] values, long... shape) {
    float[] f = new float[values.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) values[i];
    }
    return Tensors.floats(f, shape);
  }

  /** Row-major float64 tensor of {@code shape}. */
  static TFloat64 doubles(double[] values, long... shape) {
    return TFloat64.tensorOf(Shape.of(shape), DataBuffers.of(values, true, false));
  }

  /** Uniform values in [0, 1), rounded to float32 so that Java references see what TF sees. */
  static double[] uniform(Random random, int n) {
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      values[i] = (float) random.nextDouble();
    }
    return values;
  }

  /** Random weights in [0, 2), float32-exact. */
  static double[] weights(Random random, int n) {
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      values[i] = (float) (2 * random.nextDouble());
    }
    return values;
  }

  /** Random labels in [0, classes). */
  static int[] classes(Random random, int n, int classes) {
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = random.nextInt(classes);
    }
    return labels;
  }

  /** One-hot rows as floats, row-major. */
  static float[] oneHot(int[] labels, int classes) {
    float[] rows = new float[labels.length * classes];
    for (int i = 0; i < labels.length; i++) {
      rows[i * classes + labels[i]] = 1f;
    }
    return rows;
  }

  /** A running weighted mean, the reference for every mean metric: sum(w * v) / sum(w). */
  static final class RefMean {
    double total;
    double count;

    void add(double value, double weight) {
      total += value * weight;
      count += weight;
    }

    double result() {
      return count == 0 ? 0 : total / count;
    }
  }
}
