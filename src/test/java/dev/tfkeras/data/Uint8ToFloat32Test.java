package dev.tfkeras.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.IntNdArray;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TUint8;

/** {@link Dataset#uint8ToFloat32}: uint8 inputs yielded as float32 / divisor, converted per batch. */
class Uint8ToFloat32Test {

  /** 256 examples of 2x3 pixels covering every byte value; example i's label is i. */
  private static byte[][][] images() {
    byte[][][] images = new byte[256][2][3];
    for (int i = 0; i < 256; i++) {
      for (int p = 0; p < 6; p++) {
        images[i][p / 3][p % 3] = (byte) (i * 7 + p * 53);
      }
    }
    return images;
  }

  private static int[] labels(int n) {
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = i;
    }
    return labels;
  }

  /** The same images as float32 computed in plain Java: {@code (b & 0xFF) / divisor}. */
  private static float[][][] floats(byte[][][] images, float divisor) {
    float[][][] floats = new float[images.length][2][3];
    for (int i = 0; i < images.length; i++) {
      for (int r = 0; r < 2; r++) {
        for (int c = 0; c < 3; c++) {
          floats[i][r][c] = (images[i][r][c] & 0xFF) / divisor;
        }
      }
    }
    return floats;
  }

  /** Every batch's labels and the raw bits of its features, in order. */
  private static List<int[]> contents(Dataset dataset) {
    List<int[]> contents = new ArrayList<>();
    for (Batch batch : dataset) {
      try (batch) {
        TFloat32 x = batch.features(TFloat32.class);
        TInt32 y = batch.labels(TInt32.class);
        int rows = (int) y.shape().get(0);
        int[] bits = new int[(int) x.shape().size()];
        int[] labels = new int[rows];
        for (int r = 0; r < rows; r++) {
          labels[r] = y.getInt(r);
          for (int p = 0; p < 6; p++) {
            bits[r * 6 + p] = Float.floatToRawIntBits(x.getFloat(r, p / 3, p % 3));
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
      assertArrayEquals(expected.get(i), actual.get(i), "entry " + i);
    }
  }

  @Test
  void batchesAreFloat32EqualBitwiseToTheJavaDivision() {
    for (float divisor : new float[] {255f, 127.5f, 3f}) {
      Dataset converted = Dataset.fromTensorSlices(images(), labels(256)).uint8ToFloat32(divisor).batch(32);
      Dataset reference = Dataset.fromTensorSlices(floats(images(), divisor), labels(256)).batch(32);
      assertSameContents(contents(reference), contents(converted));
    }
  }

  @Test
  void batchesHaveTheFloatSpecAndShape() {
    Dataset converted = Dataset.fromTensorSlices(images(), labels(256)).uint8ToFloat32(255f);
    assertEquals(
        "(TensorSpec(shape=(2, 3), dtype=float32), TensorSpec(shape=(), dtype=int32))",
        converted.elementSpec());
    assertArrayEquals(new long[] {-1, 2, 3}, converted.batch(10).featureShape().asArray());
    try (DatasetIterator iterator = converted.batch(10).iterator();
        Batch batch = iterator.next()) {
      assertEquals(TFloat32.class, batch.features().type());
      assertEquals(Shape.of(10, 2, 3), batch.features().shape());
    }
  }

  @Test
  void shuffledOrderIsTheFloatPathsForTheSameSeed() {
    Dataset converted =
        Dataset.fromTensorSlices(images(), labels(256)).uint8ToFloat32(255f).shuffle(100, 1).batch(32).prefetch(2);
    Dataset reference = Dataset.fromTensorSlices(floats(images(), 255f), labels(256)).shuffle(100, 1).batch(32);
    for (int epoch = 0; epoch < 2; epoch++) {
      assertSameContents(contents(reference), contents(converted));
    }
  }

  @Test
  void itConvertsWhereverItStandsInThePipeline() {
    List<int[]> reference =
        contents(Dataset.fromTensorSlices(floats(images(), 255f), labels(256)).shuffle(50, 3).batch(16));
    Dataset base = Dataset.fromTensorSlices(images(), labels(256));
    assertSameContents(reference, contents(base.shuffle(50, 3).uint8ToFloat32(255f).batch(16)));
    assertSameContents(reference, contents(base.shuffle(50, 3).batch(16).uint8ToFloat32(255f)));
  }

  @Test
  void mapSeesFloatInputsAndItsResultsAreConvertedToo() {
    byte[][][] images = images();
    Dataset converted = Dataset.fromTensorSlices(images, labels(256)).uint8ToFloat32(255f);
    java.util.Map<Integer, Float> seen = new java.util.concurrent.ConcurrentHashMap<>();
    Dataset mapped =
        converted.map(
            e -> {
              seen.put(((IntNdArray) e.labels()).getInt(), ((FloatNdArray) e.features()).getFloat(1, 2));
              return e;
            });
    assertSameContents(contents(converted.batch(64)), contents(mapped.batch(64)));
    assertEquals(256, seen.size());
    for (int i = 0; i < 256; i++) {
      assertEquals((images[i][1][2] & 0xFF) / 255f, seen.get(i), "example " + i);
    }

    // A map that returns bytes, converted after it: new slices for every element.
    Dataset bytesMapped =
        Dataset.fromTensorSlices(images, labels(256)).map(e -> e).uint8ToFloat32(255f).batch(32);
    assertSameContents(contents(converted.batch(32)), contents(bytesMapped));
  }

  @Test
  void otherInputsTargetsAndWeightsKeepTheirDtype() {
    byte[][] pixels = {{0, (byte) 255}, {51, 102}};
    float[][] extra = {{1.5f}, {2.5f}};
    byte[] classes = {3, (byte) 200};
    Dataset converted =
        Dataset.fromTensorSlices(List.of(pixels, extra), classes, new float[] {1f, 0.5f})
            .uint8ToFloat32(255f)
            .batch(2);
    try (DatasetIterator iterator = converted.iterator();
        Batch batch = iterator.next()) {
      TFloat32 x0 = (TFloat32) batch.features(0);
      assertEquals(1f, x0.getFloat(0, 1));
      assertEquals(102 / 255f, x0.getFloat(1, 1));
      assertEquals(2.5f, ((TFloat32) batch.features(1)).getFloat(1, 0));
      TUint8 y = batch.labels(TUint8.class);
      assertEquals(200, y.getByte(1) & 0xFF);
      assertEquals(0.5f, ((TFloat32) batch.sampleWeights()).getFloat(1));
    }
  }

  @Test
  void aConvertedDatasetConcatenatesWithAFloatOne() {
    byte[][][] images = images();
    Dataset converted = Dataset.fromTensorSlices(images, labels(256)).uint8ToFloat32(255f);
    Dataset floats = Dataset.fromTensorSlices(floats(images, 255f), labels(256));
    assertSameContents(
        contents(floats.concatenate(floats).batch(100)),
        contents(converted.concatenate(floats).batch(100)));
  }

  @Test
  void argumentsAreChecked() {
    Dataset bytes = Dataset.fromTensorSlices(images(), labels(256));
    for (float divisor : new float[] {0f, -1f, Float.NaN, Float.POSITIVE_INFINITY}) {
      var e = assertThrows(IllegalArgumentException.class, () -> bytes.uint8ToFloat32(divisor));
      assertEquals(
          "divisor must be a positive finite number, e.g. 255 for pixels in [0, 1], received: divisor="
              + divisor,
          e.getMessage());
    }
    var e =
        assertThrows(
            IllegalStateException.class,
            () -> Dataset.fromTensorSlices(new float[][] {{1f}}, new byte[] {1}).uint8ToFloat32(255f));
    assertEquals(
        "uint8ToFloat32 converts uint8 inputs, and this dataset has none: (TensorSpec(shape=(1,),"
            + " dtype=float32), TensorSpec(shape=(), dtype=uint8)). Apply it to a dataset made from"
            + " byte arrays (read as uint8).",
        e.getMessage());
    assertThrows(IllegalStateException.class, () -> bytes.uint8ToFloat32(255f).uint8ToFloat32(255f));
  }
}
