package dev.tfkeras.layers.preprocessing;

import java.util.Arrays;

/**
 * Keras's approximate quantile summary for {@code Discretization.adapt}, ported step for step from
 * {@code keras/src/layers/preprocessing/discretization.py} ({@code summarize}, {@code
 * merge_summaries}, {@code compress_summary}, {@code get_bin_boundaries}), with NumPy's float32
 * roundings where Keras's arrays are float32 and float64 where NumPy computes in float64 ({@code
 * np.interp}). A summary is a row of sorted values and a row of their weights (counts).
 *
 * <p>The one known difference: Keras sorts a merged summary with NumPy's unstable {@code argsort},
 * this port with a stable sort, so equal values from different batches may keep another order of
 * their weights; on distinct values the boundaries are Keras's.
 */
final class QuantileSummary {

  private float[] values = new float[0];
  private float[] weights = new float[0];
  private final double epsilon;

  QuantileSummary(double epsilon) {
    this.epsilon = epsilon;
  }

  /** Keras's {@code update_state}: summarizes a batch and merges it (the batch first). */
  void add(float[] batch) {
    float[][] next = summarize(batch, epsilon);
    int n = next[0].length + values.length;
    float[] mergedValues = new float[n];
    float[] mergedWeights = new float[n];
    System.arraycopy(next[0], 0, mergedValues, 0, next[0].length);
    System.arraycopy(values, 0, mergedValues, next[0].length, values.length);
    System.arraycopy(next[1], 0, mergedWeights, 0, next[1].length);
    System.arraycopy(weights, 0, mergedWeights, next[1].length, weights.length);
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) order[i] = i;
    Arrays.sort(order, (a, b) -> Float.compare(mergedValues[a], mergedValues[b]));
    float[] sortedValues = new float[n];
    float[] sortedWeights = new float[n];
    for (int i = 0; i < n; i++) {
      sortedValues[i] = mergedValues[order[i]];
      sortedWeights[i] = mergedWeights[order[i]];
    }
    float[][] compressed = compress(new float[][] {sortedValues, sortedWeights}, epsilon);
    values = compressed[0];
    weights = compressed[1];
  }

  boolean isEmpty() {
    return values.length == 0;
  }

  /** Keras's {@code get_bin_boundaries(summary, num_bins)}. */
  float[] binBoundaries(int numBins) {
    float[] bins = compress(new float[][] {values, weights}, 1.0 / numBins)[0];
    return Arrays.copyOf(bins, Math.max(0, bins.length - 1));
  }

  static float[][] summarize(float[] batch, double epsilon) {
    float[] sorted = batch.clone();
    Arrays.sort(sorted);
    int elements = sorted.length;
    double numBuckets = 1.0 / epsilon;
    double increment = elements / numBuckets;
    double step = Math.max(increment, 1);
    double start = step - 1;
    int first = (int) start;
    int stride = (int) step;
    int count = first >= elements ? 0 : (elements - first + stride - 1) / stride;
    float[] boundaries = new float[count];
    float[] weights = new float[count];
    for (int i = 0; i < count; i++) {
      boundaries[i] = sorted[first + i * stride];
      weights[i] = (float) (1f * step);
    }
    return new float[][] {boundaries, weights};
  }

  static float[][] compress(float[][] summary, double epsilon) {
    int n = summary[0].length;
    if (n * epsilon < 1) {
      return summary;
    }
    int size = (int) Math.ceil((1.0 - 0.0) / epsilon);
    double[] percents = new double[size];
    for (int i = 0; i < size; i++) {
      percents[i] = epsilon + i * epsilon;
    }
    float[] cumWeights = new float[n];
    float sum = 0;
    for (int i = 0; i < n; i++) {
      sum += summary[1][i];
      cumWeights[i] = sum;
    }
    double[] cumPercents = new double[n];
    for (int i = 0; i < n; i++) {
      cumPercents[i] = cumWeights[i] / cumWeights[n - 1]; // float32 division, as NumPy's
    }
    double[] bins = new double[n];
    double[] cum = new double[n];
    for (int i = 0; i < n; i++) {
      bins[i] = summary[0][i];
      cum[i] = cumWeights[i];
    }
    float[] newBins = new float[size];
    float[] newWeights = new float[size];
    double previous = 0;
    for (int i = 0; i < size; i++) {
      newBins[i] = (float) interp(percents[i], cumPercents, bins);
      double c = interp(percents[i], cumPercents, cum);
      newWeights[i] = (float) (c - previous);
      previous = c;
    }
    return new float[][] {newBins, newWeights};
  }

  /** NumPy's {@code np.interp(x, xp, fp)} for increasing {@code xp}. */
  static double interp(double x, double[] xp, double[] fp) {
    int n = xp.length;
    if (x >= xp[n - 1]) {
      return fp[n - 1];
    }
    if (x < xp[0]) {
      return fp[0];
    }
    int lo = 0;
    int hi = n - 1;
    while (hi - lo > 1) { // largest j with xp[j] <= x
      int mid = (lo + hi) >>> 1;
      if (xp[mid] <= x) lo = mid; else hi = mid;
    }
    int j = lo;
    double slope = (fp[j + 1] - fp[j]) / (xp[j + 1] - xp[j]);
    double result = slope * (x - xp[j]) + fp[j];
    if (Double.isNaN(result)) {
      result = slope * (x - xp[j + 1]) + fp[j + 1];
      if (Double.isNaN(result) && fp[j] == fp[j + 1]) {
        result = fp[j];
      }
    }
    return result;
  }
}
