package dev.tfkeras.data;

import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.IntNdArray;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * A private, flat host copy of a dataset's features and labels, made once, so that gathering a
 * batch is a handful of {@link System#arraycopy} calls instead of per-element ndarray reads.
 */
final class TensorSlices {

  private final float[] features;
  private final int[] labels;
  private final Shape elementShape;
  private final int elementSize;

  private TensorSlices(float[] features, int[] labels, Shape elementShape) {
    this.features = features;
    this.labels = labels;
    this.elementShape = elementShape;
    this.elementSize = (int) elementShape.size();
  }

  /** Copies {@code features} (shape (N, ...)) and {@code labels} (shape (N)) after checking them. */
  static TensorSlices copyOf(FloatNdArray features, IntNdArray labels) {
    if (features == null || labels == null) {
      throw new IllegalArgumentException(
          "features and labels must not be null, received: features="
              + features
              + ", labels="
              + labels);
    }
    Shape featureShape = features.shape();
    Shape labelShape = labels.shape();
    if (featureShape.numDimensions() < 1) {
      throw new IllegalArgumentException(
          "features must have shape (N, ...) with one slice per element, received a scalar");
    }
    if (labelShape.numDimensions() != 1) {
      throw new IllegalArgumentException(
          "labels must have shape (N), one integer class per element, received: shape "
              + format(labelShape));
    }
    long count = featureShape.get(0);
    if (count != labelShape.get(0)) {
      throw new IllegalArgumentException(
          "features has "
              + count
              + " elements but labels has "
              + labelShape.get(0)
              + "; they must have the same first dimension");
    }
    if (count == 0) {
      throw new IllegalArgumentException(
          "the dataset must have at least one element, received: features shape "
              + format(featureShape));
    }
    if (featureShape.size() > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "features must hold at most "
              + (Integer.MAX_VALUE - 8)
              + " floats to fit a host array, received: shape "
              + format(featureShape)
              + " ("
              + featureShape.size()
              + " floats)");
    }
    float[] flatFeatures = new float[(int) featureShape.size()];
    features.copyTo(DataBuffers.of(flatFeatures, false, false));
    int[] flatLabels = new int[(int) count];
    labels.copyTo(DataBuffers.of(flatLabels, false, false));
    return new TensorSlices(flatFeatures, flatLabels, featureShape.tail());
  }

  int count() {
    return labels.length;
  }

  /** Shape of one element's features, without the leading slice dimension. */
  Shape elementShape() {
    return elementShape;
  }

  /** Copies the rows at {@code indices}, in that order, into fresh host arrays. */
  HostBatch gather(int[] indices, boolean batched) {
    float[] gatheredFeatures = new float[indices.length * elementSize];
    int[] gatheredLabels = new int[indices.length];
    for (int row = 0; row < indices.length; row++) {
      int index = indices[row];
      System.arraycopy(features, index * elementSize, gatheredFeatures, row * elementSize, elementSize);
      gatheredLabels[row] = labels[index];
    }
    Shape featureShape = batched ? elementShape.prepend(indices.length) : elementShape;
    Shape labelShape = batched ? Shape.of(indices.length) : Shape.scalar();
    return new HostBatch(gatheredFeatures, featureShape, gatheredLabels, labelShape, indices.length);
  }

  /** Formats a shape the Python way: {@code (-1,28,28,1)}, {@code (-1)} or {@code ()}. */
  static String format(Shape shape) {
    StringBuilder text = new StringBuilder("(");
    for (int i = 0; i < shape.numDimensions(); i++) {
      if (i > 0) {
        text.append(',');
      }
      text.append(shape.get(i));
    }
    return text.append(')').toString();
  }
}
