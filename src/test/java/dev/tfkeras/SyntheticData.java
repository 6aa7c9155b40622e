package dev.tfkeras;

import java.util.Random;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Four separable classes of 8x8 single-channel images made in the tests: class k has a bright
 * 4x4 quadrant k over uniform noise.
 */
public final class SyntheticData {

  public static final int SIZE = 8;
  public static final int CLASSES = 4;

  public final float[] images;
  public final int[] labels;
  public final int count;

  public SyntheticData(int count, long seed) {
    this.count = count;
    Random random = new Random(seed);
    images = new float[count * SIZE * SIZE];
    labels = new int[count];
    for (int n = 0; n < count; n++) {
      int label = random.nextInt(CLASSES);
      labels[n] = label;
      int rowStart = (label / 2) * 4;
      int colStart = (label % 2) * 4;
      for (int r = 0; r < SIZE; r++) {
        for (int c = 0; c < SIZE; c++) {
          boolean bright = r >= rowStart && r < rowStart + 4 && c >= colStart && c < colStart + 4;
          images[(n * SIZE + r) * SIZE + c] = 0.4f * random.nextFloat() + (bright ? 0.6f : 0f);
        }
      }
    }
  }

  /** Images {@code [from, to)} as a (batch, 8, 8, 1) tensor. */
  public TFloat32 images(int from, int to) {
    float[] slice = new float[(to - from) * SIZE * SIZE];
    System.arraycopy(images, from * SIZE * SIZE, slice, 0, slice.length);
    return TFloat32.tensorOf(Shape.of(to - from, SIZE, SIZE, 1), DataBuffers.of(slice, true, false));
  }

  /** All examples as a dataset of (8, 8, 1) images and int labels, unbatched and unshuffled. */
  public dev.tfkeras.data.Dataset dataset() {
    var x = org.tensorflow.ndarray.NdArrays.wrap(Shape.of(count, SIZE, SIZE, 1), DataBuffers.of(images, true, false));
    var y = org.tensorflow.ndarray.NdArrays.wrap(Shape.of(count), DataBuffers.of(labels, true, false));
    return dev.tfkeras.data.Dataset.fromTensorSlices(x, y);
  }

  /** Labels {@code [from, to)} as a (batch) tensor. */
  public TInt32 labels(int from, int to) {
    int[] slice = new int[to - from];
    System.arraycopy(labels, from, slice, 0, slice.length);
    return TInt32.tensorOf(Shape.of(to - from), DataBuffers.of(slice, true, false));
  }
}
