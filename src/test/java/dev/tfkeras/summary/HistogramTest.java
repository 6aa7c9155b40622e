package dev.tfkeras.summary;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** tf.summary.histogram's bucketing (TensorBoard's histogram/summary_v2.py), by hand. */
class HistogramTest {

  @Test
  void equalWidthBucketsFromMinToMaxLastOneClosed() {
    double[][] rows = Histogram.buckets("h", new double[] {0, 1, 2, 3, 0.5}, 3);
    assertArrayEquals(new double[] {0, 1, 2}, rows[0]); // 0 and 0.5
    assertArrayEquals(new double[] {1, 2, 1}, rows[1]);
    assertArrayEquals(new double[] {2, 3, 2}, rows[2]); // 2, and 3 clamped into the last
  }

  @Test
  void defaultThirtyBucketsCountEveryValue() {
    double[] data = new double[1000];
    for (int i = 0; i < data.length; i++) {
      data[i] = Math.sin(i);
    }
    double[][] rows = Histogram.buckets("h", data, Histogram.DEFAULT_BUCKET_COUNT);
    assertEquals(30, rows.length);
    double total = 0;
    for (double[] row : rows) {
      total += row[2];
    }
    assertEquals(1000, total);
  }

  @Test
  void oneValueFillsTheLastOfZeroWidthBuckets() {
    double[][] rows = Histogram.buckets("h", new double[] {2.5, 2.5}, 4);
    assertEquals(4, rows.length);
    assertArrayEquals(new double[] {2.5, 2.5, 0}, rows[0]);
    assertArrayEquals(new double[] {2.5, 2.5, 2}, rows[3]);
    assertEquals(0, Histogram.buckets("h", new double[0], 30).length);
  }

  @Test
  void refusesNonFiniteValuesAndNoBuckets() {
    var nan = assertThrows(IllegalArgumentException.class, () -> Histogram.buckets("w", new double[] {1, Double.NaN}, 30));
    assertEquals(
        "Histogram 'w' received a non-finite value, NaN at index 1; expected finite numbers. Find"
            + " where the NaN or infinity comes from (e.g. with TerminateOnNaN) before logging it.",
        nan.getMessage());
    var none = assertThrows(IllegalArgumentException.class, () -> Histogram.buckets("w", new double[] {1}, 0));
    assertEquals(
        "Received an invalid value for `buckets` of histogram 'w', expected a positive integer."
            + " Received: buckets=0",
        none.getMessage());
  }
}
