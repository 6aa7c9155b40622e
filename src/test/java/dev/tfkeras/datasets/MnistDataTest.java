package dev.tfkeras.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tfkeras.data.Batch;
import dev.tfkeras.data.Dataset;
import java.io.IOException;
import java.nio.ReadOnlyBufferException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * {@link Mnist.Data} holds the images once as bytes: its float views and datasets read exactly
 * {@code (b & 0xFF) / 255f} from them, share them, and shuffle as datasets of float arrays do.
 */
class MnistDataTest {

  private static final TestFiles.FakeMnist FAKE = new TestFiles.FakeMnist(70, 9, 3, 4);
  private static final int PIXELS = FAKE.rows() * FAKE.cols();

  @TempDir Path temp;
  private Mnist.Data data;

  @BeforeEach
  void load() throws IOException {
    FAKE.writeIdx(temp);
    data = Mnist.loadData(temp);
  }

  /** Today's float path: the bytes divided in Java, copied into a dataset with the int labels. */
  private static Dataset floatReference(boolean train) {
    byte[] bytes = FAKE.images(train);
    byte[] digits = FAKE.labels(train);
    float[][][][] images = new float[digits.length][FAKE.rows()][FAKE.cols()][1];
    int[] labels = new int[digits.length];
    for (int i = 0; i < bytes.length; i++) {
      images[i / PIXELS][i % PIXELS / FAKE.cols()][i % FAKE.cols()][0] = (bytes[i] & 0xFF) / 255f;
    }
    for (int i = 0; i < digits.length; i++) {
      labels[i] = digits[i];
    }
    return Dataset.fromTensorSlices(images, labels);
  }

  /** Each batch's labels, then the raw bits of its images, in order; checks dtypes and shapes. */
  private static List<int[]> contents(Dataset batched) {
    List<int[]> contents = new ArrayList<>();
    for (Batch batch : batched) {
      try (batch) {
        TFloat32 x = batch.features(TFloat32.class);
        TInt32 y = batch.labels(TInt32.class);
        int rows = batch.size();
        assertEquals(Shape.of(rows, FAKE.rows(), FAKE.cols(), 1), x.shape());
        int[] labels = new int[rows];
        int[] bits = new int[rows * PIXELS];
        for (int r = 0; r < rows; r++) {
          labels[r] = y.getInt(r);
          for (int p = 0; p < PIXELS; p++) {
            bits[r * PIXELS + p] = Float.floatToRawIntBits(x.getFloat(r, p / FAKE.cols(), p % FAKE.cols(), 0));
          }
        }
        contents.add(labels);
        contents.add(bits);
      }
    }
    return contents;
  }

  private static void assertSameContents(List<int[]> expected, List<int[]> actual) {
    assertEquals(expected.size(), actual.size(), "number of batches x 2");
    for (int i = 0; i < expected.size(); i++) {
      assertArrayEquals(expected.get(i), actual.get(i), (i % 2 == 0 ? "labels" : "image bits") + " of batch " + i / 2);
    }
  }

  @Test
  void datasetsYieldExactlyTheFloatsOfTheBytes() {
    assertEquals(
        "(TensorSpec(shape=(3, 4, 1), dtype=float32), TensorSpec(shape=(), dtype=int32))",
        data.train().elementSpec());
    assertSameContents(contents(floatReference(true).batch(8)), contents(data.train().batch(8)));
    assertSameContents(contents(floatReference(false).batch(4)), contents(data.test().batch(4)));
  }

  @Test
  void shufflingIsTheFloatPathsForTheSameSeed() {
    Dataset reference = floatReference(true).shuffle(50, 1).batch(8);
    Dataset held = data.train().shuffle(50, 1).batch(8).prefetch(2);
    for (int epoch = 0; epoch < 3; epoch++) {
      assertSameContents(contents(reference), contents(held));
    }
  }

  @Test
  void arraysAreViewsOfTheBytes() {
    byte[] bytes = FAKE.images(true);
    FloatNdArray x = data.xTrain();
    assertEquals(Shape.of(70, 3, 4, 1), x.shape());
    assertEquals(Shape.of(70, 3, 4), data.xTrainUint8().shape());
    assertEquals(Shape.of(9, 3, 4), data.xTestUint8().shape());
    for (int i = 0; i < bytes.length; i++) {
      long[] at = {i / PIXELS, i % PIXELS / FAKE.cols(), i % FAKE.cols()};
      assertEquals(
          Float.floatToRawIntBits((bytes[i] & 0xFF) / 255f),
          Float.floatToRawIntBits(x.getFloat(at[0], at[1], at[2], 0)),
          "pixel " + i);
      assertEquals(bytes[i], data.xTrainUint8().getByte(at));
    }
    byte[] labels = FAKE.labels(false);
    for (int i = 0; i < labels.length; i++) {
      assertEquals(labels[i], data.yTest().getInt(i));
    }
    assertThrows(ReadOnlyBufferException.class, () -> x.setFloat(0.5f, 0, 0, 0, 0));
    assertThrows(ReadOnlyBufferException.class, () -> data.yTrain().setInt(1, 0));
  }

  @Test
  void everyViewAndDatasetSharesTheOneCopyOfTheBytes() {
    Dataset first = data.train().batch(70);
    Dataset second = data.train().batch(70);
    byte[] held = data.trainSplit().pixels();
    int last = held.length - 1;
    held[last] = (byte) 200; // written behind the read-only views, to see who reads these bytes
    held[0] = (byte) 51;
    for (Dataset dataset : List.of(first, second)) {
      try (Batch batch = dataset.iterator().next()) {
        TFloat32 x = batch.features(TFloat32.class);
        assertEquals(200 / 255f, x.getFloat(69, 2, 3, 0));
        assertEquals(51 / 255f, x.getFloat(0, 0, 0, 0));
      }
    }
    assertEquals(200 / 255f, data.xTrain().getFloat(69, 2, 3, 0));
    assertEquals((byte) 200, data.xTrainUint8().getByte(69, 2, 3));
    assertSame(data.xTrain(), data.xTrain());
  }

  @Test
  void describesItself() {
    assertEquals("Mnist.Data(train=70 images [70, 3, 4, 1], test=9 images [9, 3, 4, 1])", data.toString());
  }
}
