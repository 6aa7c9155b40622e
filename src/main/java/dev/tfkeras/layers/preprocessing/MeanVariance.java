package dev.tfkeras.layers.preprocessing;

import java.util.Arrays;

/**
 * The mean and (population) variance of every index of the kept axes, over the other axes of a
 * stream of batches, in double precision: each batch's mean and sum of squared deviations are
 * computed in two passes, then merged into the running totals by Chan et al.'s parallel
 * combination ({@code M2 = M2a + M2b + δ² · na · nb / n}), which stays exact where the textbook
 * {@code E[x²] − E[x]²} cancels. Keras's streamed adapt computes the same quantity with its
 * lack-of-fit update.
 */
final class MeanVariance {

  private final boolean[] kept;
  private final long[] keptShape;
  private final int keptSize;
  private final double[] mean;
  private final double[] m2;
  private long count;

  /**
   * @param rank rank of every batch
   * @param keepAxis the kept axes, sorted, non-negative
   * @param keptShape the sizes of the kept axes
   */
  MeanVariance(int rank, int[] keepAxis, long[] keptShape) {
    this.kept = new boolean[rank];
    for (int axis : keepAxis) {
      kept[axis] = true;
    }
    this.keptShape = keptShape.clone();
    this.keptSize = (int) Arrays.stream(keptShape).reduce(1, Math::multiplyExact);
    this.mean = new double[keptSize];
    this.m2 = new double[keptSize];
  }

  /** Adds a batch: {@code values} in row-major order of {@code shape} (whose kept axes match). */
  void add(double[] values, long[] shape) {
    if (values.length == 0) {
      return;
    }
    int[] index = keptIndexOf(shape);
    long batchCount = values.length / keptSize;
    double[] batchMean = new double[keptSize];
    for (int i = 0; i < values.length; i++) {
      batchMean[index[i]] += values[i];
    }
    for (int k = 0; k < keptSize; k++) {
      batchMean[k] /= batchCount;
    }
    double[] batchM2 = new double[keptSize];
    for (int i = 0; i < values.length; i++) {
      double d = values[i] - batchMean[index[i]];
      batchM2[index[i]] += d * d;
    }
    long total = count + batchCount;
    for (int k = 0; k < keptSize; k++) {
      double delta = batchMean[k] - mean[k];
      mean[k] += delta * batchCount / total;
      m2[k] += batchM2[k] + delta * delta * ((double) count * batchCount / total);
    }
    count = total;
  }

  /** For each value of a batch of {@code shape}, the row-major index of its kept-axes position. */
  private int[] keptIndexOf(long[] shape) {
    int rank = shape.length;
    long[] stride = new long[rank];
    long step = 1;
    for (int d = rank - 1, k = keptShape.length - 1; d >= 0; d--) {
      if (kept[d]) {
        stride[d] = step;
        step *= keptShape[k--];
      }
    }
    int n = (int) Arrays.stream(shape).reduce(1, Math::multiplyExact);
    int[] out = new int[n];
    long[] coords = new long[rank];
    long position = 0;
    for (int i = 0; i < n; i++) {
      out[i] = (int) position;
      for (int d = rank - 1; d >= 0; d--) {
        coords[d]++;
        position += stride[d];
        if (coords[d] < shape[d]) {
          break;
        }
        position -= stride[d] * shape[d];
        coords[d] = 0;
      }
    }
    return out;
  }

  /** Values counted per kept index so far. */
  long count() {
    return count;
  }

  double[] mean() {
    return mean.clone();
  }

  /** The population variance, {@code M2 / n}, as NumPy's {@code np.var}. */
  double[] variance() {
    double[] out = new double[keptSize];
    for (int k = 0; k < keptSize; k++) {
      out[k] = m2[k] / count;
    }
    return out;
  }
}
