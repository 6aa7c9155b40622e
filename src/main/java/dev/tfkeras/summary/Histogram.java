package dev.tfkeras.summary;

/**
 * The buckets of {@code tf.summary.histogram} (TensorBoard's {@code histogram/summary_v2.py}): rows
 * {@code [left edge, right edge, count]}, {@value #DEFAULT_BUCKET_COUNT} of equal width from the
 * minimum to the maximum by default, the last one closed; no row for no data; when every value is
 * the same, {@code bucketCount} rows of zero width at that value, all the count in the last.
 */
final class Histogram {

  static final int DEFAULT_BUCKET_COUNT = 30;

  private Histogram() {}

  /**
   * @throws IllegalArgumentException if a value is NaN or infinite, or {@code bucketCount < 1}
   */
  static double[][] buckets(String tag, double[] data, int bucketCount) {
    if (bucketCount < 1) {
      throw new IllegalArgumentException(
          "Received an invalid value for `buckets` of histogram '" + tag + "', expected a positive"
              + " integer. Received: buckets=" + bucketCount);
    }
    if (data.length == 0) {
      return new double[0][];
    }
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < data.length; i++) {
      if (!Double.isFinite(data[i])) {
        throw new IllegalArgumentException(
            "Histogram '" + tag + "' received a non-finite value, " + data[i] + " at index " + i
                + "; expected finite numbers. Find where the NaN or infinity comes from (e.g. with"
                + " TerminateOnNaN) before logging it.");
      }
      min = Math.min(min, data[i]);
      max = Math.max(max, data[i]);
    }
    double[][] rows = new double[bucketCount][];
    double range = max - min;
    if (range == 0) {
      for (int b = 0; b < bucketCount; b++) {
        rows[b] = new double[] {max, max, 0};
      }
      rows[bucketCount - 1][2] = data.length;
      return rows;
    }
    double width = range / bucketCount;
    double[] counts = new double[bucketCount];
    for (double value : data) {
      int index = (int) Math.floor((value - min) / width);
      counts[Math.min(index, bucketCount - 1)]++;
    }
    for (int b = 0; b < bucketCount; b++) {
      // numpy/TF linspace: start + b * step; the last edge is max itself
      double left = min + b * width;
      double right = b == bucketCount - 1 ? max : min + (b + 1) * width;
      rows[b] = new double[] {left, right, counts[b]};
    }
    return rows;
  }
}
