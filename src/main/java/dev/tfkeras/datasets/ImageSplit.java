package dev.tfkeras.datasets;

import dev.tfkeras.data.Dataset;
import java.nio.ReadOnlyBufferException;
import org.tensorflow.ndarray.ByteNdArray;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.IntNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.ByteDataBuffer;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.ndarray.buffer.layout.FloatDataLayout;

/**
 * One split (training or test) of an image classification data set, held once: the pixels as read
 * from the file (uint8, row-major) and the labels. The arrays and datasets it hands out are
 * read-only views of them, never copies; float32 images are converted from the bytes as they are
 * read, as {@code (b & 0xFF) / 255f}.
 */
final class ImageSplit {

  private final byte[] pixels;
  private final int[] labels;
  private final ByteNdArray uint8Images;
  private final FloatNdArray images;
  private final IntNdArray labelArray;

  /**
   * @param pixels the images' bytes, shared
   * @param shape the images' shape, (N, rows, cols) for grayscale or (N, rows, cols, channels)
   * @param labels one class index per image, shared
   */
  ImageSplit(byte[] pixels, Shape shape, int[] labels) {
    this.pixels = pixels;
    this.labels = labels;
    ByteDataBuffer bytes = DataBuffers.of(pixels, true, false);
    this.uint8Images = NdArrays.wrap(shape, bytes);
    this.images = NdArrays.wrap(floatShape(shape), new UnitScale().applyTo(bytes));
    this.labelArray = NdArrays.wrap(Shape.of(labels.length), DataBuffers.of(labels, true, false));
  }

  /** Grayscale images get a channel axis, as Keras examples add with {@code expand_dims(x, -1)}. */
  private static Shape floatShape(Shape shape) {
    return shape.numDimensions() == 3 ? shape.append(1) : shape;
  }

  /** The images as float32 in [0, 1], shape (N, rows, cols, channels); read-only. */
  FloatNdArray images() {
    return images;
  }

  /** The images' bytes as stored, shape (N, rows, cols[, channels]); read-only. */
  ByteNdArray uint8Images() {
    return uint8Images;
  }

  /** The labels, shape (N); read-only. */
  IntNdArray labels() {
    return labelArray;
  }

  /** (image, label) pairs yielding float32 images in [0, 1], converted per batch from the shared bytes. */
  Dataset dataset() {
    return Dataset.wrapSlices(images.shape(), pixels, labelArray.shape(), labels).uint8ToFloat32(255f);
  }

  /** The bytes every view and dataset reads, for tests that check nothing was copied. */
  byte[] pixels() {
    return pixels;
  }

  int size() {
    return labels.length;
  }

  /** Reads a byte buffer's values as float32 {@code (b & 0xFF) / 255f}; writing is refused. */
  private static final class UnitScale implements FloatDataLayout<ByteDataBuffer> {

    @Override
    public float readFloat(ByteDataBuffer buffer, long index) {
      return (buffer.getByte(index) & 0xFF) / 255f;
    }

    @Override
    public void writeFloat(ByteDataBuffer buffer, float value, long index) {
      throw new ReadOnlyBufferException();
    }
  }
}
