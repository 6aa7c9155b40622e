package dev.tfkeras.utils;

import static dev.tfkeras.utils.Utils.timeseriesDatasetFromArray;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.data.Batch;
import dev.tfkeras.data.Dataset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TType;

/** Ports keras/src/utils/timeseries_dataset_utils_test.py (the "tf" format). */
class TimeseriesDatasetFromArrayTest {

  private record Window(Shape shape, int[] inputs, int[] targets) {
    int[] row(int j) {
      int width = (int) shape.get(1);
      return Arrays.copyOfRange(inputs, j * width, (j + 1) * width);
    }
  }

  private static int[] ints(TType tensor) {
    TInt32 t = (TInt32) tensor;
    int[] out = new int[(int) t.shape().size()];
    t.copyTo(DataBuffers.of(out, false, false));
    return out;
  }

  private static List<Window> read(Dataset dataset) {
    List<Window> out = new ArrayList<>();
    for (Batch batch : dataset) {
      try (batch) {
        out.add(new Window(batch.features().shape(), ints(batch.features()),
            batch.labelCount() == 0 ? null : ints(batch.labels())));
      }
    }
    return out;
  }

  private static int[] arange(int from, int to, int step) {
    return IntStream.iterate(from, i -> i < to, i -> i + step).toArray();
  }

  private static int[] times(int[] x, int factor) {
    return Arrays.stream(x).map(v -> v * factor).toArray();
  }

  /** The first column of a batch, times 2: the targets of data * 2. */
  private static int[] firstTimesTwo(Window w) {
    int width = (int) w.shape().get(1);
    return IntStream.range(0, (int) w.shape().get(0)).map(j -> w.inputs()[j * width] * 2).toArray();
  }

  @Test
  void basics() {
    int[] data = arange(0, 100, 1);
    List<Window> batches = read(timeseriesDatasetFromArray(data, times(data, 2), 9, 1, 1, 5, false, null, null, null));
    assertEquals(19, batches.size());
    for (int i = 0; i < batches.size(); i++) {
      Window w = batches.get(i);
      assertEquals(i < 18 ? Shape.of(5, 9) : Shape.of(2, 9), w.shape());
      assertArrayEquals(firstTimesTwo(w), w.targets());
      for (int j = 0; j < w.shape().get(0); j++) {
        assertArrayEquals(arange(i * 5 + j, i * 5 + j + 9, 1), w.row(j));
      }
    }
  }

  @Test
  void timeseriesRegression() {
    int[] data = arange(0, 10, 1);
    int offset = 3;
    int[] targets = Arrays.copyOfRange(data, offset, data.length);
    List<Window> batches = read(timeseriesDatasetFromArray(data, targets, offset, 1, 1, 1, false, null, null, null));
    assertEquals(7, batches.size());
    for (int i = 0; i < 7; i++) {
      assertEquals(Shape.of(1, 3), batches.get(i).shape());
      assertEquals(data[offset + i], batches.get(i).targets()[0]);
      assertArrayEquals(Arrays.copyOfRange(data, i, i + offset), batches.get(i).inputs());
    }
  }

  @Test
  void noTargets() {
    int[] data = arange(0, 50, 1);
    List<Window> batches = read(timeseriesDatasetFromArray(data, null, 10, 1, 1, 5, false, null, null, null));
    assertEquals(9, batches.size());
    for (int i = 0; i < 9; i++) {
      Window w = batches.get(i);
      assertEquals(i < 8 ? Shape.of(5, 10) : Shape.of(1, 10), w.shape());
      for (int j = 0; j < w.shape().get(0); j++) {
        assertArrayEquals(arange(i * 5 + j, i * 5 + j + 10, 1), w.row(j));
      }
    }
  }

  /** test_shuffle_tf: shuffled, a new pass differs, the same seed repeats the first pass. */
  @Test
  void shuffle() {
    int[] data = arange(0, 10, 1);
    Dataset dataset = timeseriesDatasetFromArray(data, times(data, 2), 5, 1, 1, 1, true, 123L, null, null);
    List<Window> firstPass = read(dataset);
    Window first = firstPass.get(0);
    // Keras asserts the first window is not [0..4] for seed 123 under NumPy's generator; Java's
    // generator draws other orders for the same seed, so the pass as a whole is checked
    assertFalse(Arrays.equals(new int[] {0, 1, 2, 3, 4, 5}, firstPass.stream().mapToInt(w -> w.inputs()[0]).toArray()),
        "shuffled");
    for (Window w : firstPass) {
      assertArrayEquals(firstTimesTwo(w), w.targets());
    }
    // Keras asserts the next pass starts elsewhere; with 6 windows a pass may repeat a start by
    // chance, so compare whole passes
    List<Window> pass1 = read(dataset);
    List<Window> pass2 = read(dataset);
    assertFalse(Arrays.deepEquals(
        pass1.stream().map(Window::inputs).toArray(), pass2.stream().map(Window::inputs).toArray()),
        "a new pass has a new order");
    Dataset again = timeseriesDatasetFromArray(data, times(data, 2), 5, 1, 1, 1, true, 123L, null, null);
    assertArrayEquals(first.inputs(), read(again.take(1)).get(0).inputs(), "same seed, same first pass");
    // every window exactly once per pass
    assertEquals(List.of(0, 1, 2, 3, 4, 5), pass1.stream().map(w -> w.inputs()[0]).sorted().toList());
  }

  @Test
  void samplingRate() {
    int[] data = arange(0, 100, 1);
    List<Window> batches = read(timeseriesDatasetFromArray(data, times(data, 2), 9, 1, 2, 5, false, null, null, null));
    assertEquals(17, batches.size());
    for (int i = 0; i < batches.size(); i++) {
      Window w = batches.get(i);
      assertEquals(i < 16 ? Shape.of(5, 9) : Shape.of(4, 9), w.shape());
      assertArrayEquals(firstTimesTwo(w), w.targets());
      for (int j = 0; j < w.shape().get(0); j++) {
        int start = i * 5 + j;
        assertArrayEquals(arange(start, start + 9 * 2, 2), w.row(j));
      }
    }
  }

  @Test
  void sequenceStride() {
    int[] data = arange(0, 100, 1);
    List<Window> batches = read(timeseriesDatasetFromArray(data, times(data, 2), 9, 3, 1, 5, false, null, null, null));
    assertEquals(7, batches.size());
    for (int i = 0; i < batches.size(); i++) {
      Window w = batches.get(i);
      assertEquals(i < 6 ? Shape.of(5, 9) : Shape.of(1, 9), w.shape());
      assertArrayEquals(firstTimesTwo(w), w.targets());
      for (int j = 0; j < w.shape().get(0); j++) {
        int start = i * 5 * 3 + j * 3;
        assertArrayEquals(arange(start, start + 9, 1), w.row(j));
      }
    }
  }

  @Test
  void startAndEndIndex() {
    int[] data = arange(0, 100, 1);
    List<Window> batches = read(timeseriesDatasetFromArray(data, null, 9, 3, 2, 5, false, null, 10, 90));
    assertFalse(batches.isEmpty());
    for (Window w : batches) {
      assertTrue(Arrays.stream(w.inputs()).max().getAsInt() < 90);
      assertTrue(Arrays.stream(w.inputs()).min().getAsInt() > 9);
    }
    // the first window starts at start_index, and the last ends before end_index
    assertEquals(10, batches.get(0).inputs()[0]);
  }

  @Test
  void errors() {
    int[] data = arange(0, 10, 1);
    assertMessage("`start_index` must be 0 or greater. Received: start_index=-1",
        () -> timeseriesDatasetFromArray(data, null, 3, 1, 1, 128, false, null, -1, null));
    assertMessage("`start_index` must be lower than the length of the data. Received: start_index=11, for data of length 10",
        () -> timeseriesDatasetFromArray(data, null, 3, 1, 1, 128, false, null, 11, null));
    assertMessage("`end_index` must be higher than 0. Received: end_index=-1",
        () -> timeseriesDatasetFromArray(data, null, 3, 1, 1, 128, false, null, null, -1));
    assertMessage("`end_index` must be lower than the length of the data. Received: end_index=11, for data of length 10",
        () -> timeseriesDatasetFromArray(data, null, 3, 1, 1, 128, false, null, null, 11));
    assertMessage("`sampling_rate` must be higher than 0. Received: sampling_rate=0",
        () -> timeseriesDatasetFromArray(data, null, 3, 1, 0, 128, false, null, null, null));
    assertMessage("`sequence_stride` must be higher than 0. Received: sequence_stride=0",
        () -> timeseriesDatasetFromArray(data, null, 3, 0, 1, 128, false, null, null, null));
  }

  private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
    assertEquals(expected, assertThrows(IllegalArgumentException.class, call).getMessage());
  }

  @Test
  void notBatched() {
    Dataset dataset = timeseriesDatasetFromArray(arange(0, 100, 1), null, 9, 1, 1, null, true, null, null, null);
    assertFalse(dataset.isBatched());
    try (Batch sample = dataset.iterator().next()) {
      assertEquals(1, sample.features().shape().numDimensions());
    }
  }

  /** Beyond Keras's tests: a (steps, features) float series gives (batch, length, features) windows. */
  @Test
  void multivariateFloatSeries() {
    float[][] data = new float[20][2];
    for (int i = 0; i < 20; i++) {
      data[i][0] = i;
      data[i][1] = -i;
    }
    float[] targets = new float[20];
    for (int i = 0; i < 20; i++) targets[i] = i + 0.5f;
    Dataset dataset = timeseriesDatasetFromArray(data, targets, 4, 2, 3, 2, false, null, 1, null);
    try (Batch first = dataset.iterator().next()) {
      TFloat32 x = (TFloat32) first.features();
      assertEquals(Shape.of(2, 4, 2), x.shape());
      float[] values = new float[16];
      x.copyTo(DataBuffers.of(values, false, false));
      assertArrayEquals(new float[] {1, -1, 4, -4, 7, -7, 10, -10, 3, -3, 6, -6, 9, -9, 12, -12}, values);
      float[] y = new float[2];
      ((TFloat32) first.labels()).copyTo(DataBuffers.of(y, false, false));
      assertArrayEquals(new float[] {1.5f, 3.5f}, y);
    }
  }
}
