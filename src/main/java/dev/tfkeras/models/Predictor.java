package dev.tfkeras.models;

import dev.tfkeras.data.Batch;
import dev.tfkeras.data.Dataset;
import dev.tfkeras.function.TfFunction;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.ndarray.index.Indices;
import org.tensorflow.types.TFloat32;

/** Batched inference behind {@code Model.predict} and {@code Model.buildFor}. */
final class Predictor {

  private Predictor() {}

  static TFloat32 predict(Supplier<TfFunction<TFloat32>> function, TFloat32 x, int batchSize) {
    long n = requireBatchAxis(x.shape());
    if (n <= batchSize) {
      return function.get().call(x);
    }
    List<float[]> parts = new ArrayList<>();
    Shape rowShape = null;
    for (long from = 0; from < n; from += batchSize) {
      long to = Math.min(n, from + batchSize);
      FloatNdArray slice = x.slice(Indices.range(from, to));
      try (TFloat32 batch = TFloat32.tensorOf(slice.shape(), slice::copyTo);
          TFloat32 out = function.get().call(batch)) {
        rowShape = out.shape();
        float[] values = new float[(int) out.size()];
        out.copyTo(DataBuffers.of(values, false, false));
        parts.add(values);
      }
    }
    long[] dims = rowShape.asArray();
    dims[0] = n;
    float[] all = new float[(int) Shape.of(dims).size()];
    int offset = 0;
    for (float[] part : parts) {
      System.arraycopy(part, 0, all, offset, part.length);
      offset += part.length;
    }
    return TFloat32.tensorOf(Shape.of(dims), DataBuffers.of(all, true, false));
  }

  /** One output row per example of batched {@code data} (targets, if any, are ignored). */
  static float[][] predictRows(Supplier<TfFunction<TFloat32>> function, Dataset data) {
    if (!data.isBatched()) {
      throw new IllegalArgumentException(
          "predict needs a batched dataset: call .batch(32) on it, received " + data + ".");
    }
    List<float[]> rows = new ArrayList<>();
    for (Batch batch : data) {
      try (batch) {
        var inputs = new org.tensorflow.types.family.TType[batch.featureCount()];
        for (int i = 0; i < inputs.length; i++) {
          inputs[i] = batch.features(i);
        }
        try (TFloat32 out = function.get().call(inputs)) {
          addRows(out, rows);
        }
      }
    }
    return rows.toArray(new float[0][]);
  }

  static void build(Supplier<TfFunction<TFloat32>> function, Shape inputShape) {
    if (inputShape.isUnknown() || inputShape.numDimensions() < 1) {
      throw new IllegalArgumentException(
          "build needs an input shape with a batch axis, e.g. Shape.of(-1, 28, 28, 1), received "
              + inputShape + ".");
    }
    long[] dims = inputShape.asArray();
    for (int i = 1; i < dims.length; i++) {
      if (dims[i] < 0) {
        throw new IllegalArgumentException(
            "build needs every non-batch axis known, received " + inputShape + " (axis " + i + ").");
      }
    }
    dims[0] = 1;
    // tensorOf(shape) leaves the memory as it was: fill it, or token ids read garbage.
    try (TFloat32 zeros = TFloat32.tensorOf(Shape.of(dims), data -> data.scalars().forEach(s -> s.setFloat(0f)));
        TFloat32 out = function.get().call(zeros)) {
      // built; the output is discarded
    }
  }

  private static void addRows(TFloat32 out, List<float[]> rows) {
    if (out.shape().numDimensions() < 1) {
      throw new IllegalStateException(
          "predict needs outputs with a batch axis first, received a scalar output.");
    }
    long n = out.shape().get(0);
    int width = (int) (out.size() / Math.max(1, n));
    float[] values = new float[(int) out.size()];
    out.copyTo(DataBuffers.of(values, false, false));
    for (int i = 0; i < n; i++) {
      float[] row = new float[width];
      System.arraycopy(values, i * width, row, 0, width);
      rows.add(row);
    }
  }

  private static long requireBatchAxis(Shape shape) {
    if (shape.numDimensions() < 1) {
      throw new IllegalArgumentException(
          "predict needs inputs with a batch axis first, received a scalar of shape " + shape + ".");
    }
    return shape.get(0);
  }
}
