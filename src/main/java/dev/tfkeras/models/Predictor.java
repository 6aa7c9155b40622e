package dev.tfkeras.models;

import dev.tfkeras.callbacks.Callback;
import dev.tfkeras.data.Batch;
import dev.tfkeras.data.Dataset;
import dev.tfkeras.function.TfFunction;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.ndarray.index.Indices;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TType;

/**
 * Batched inference behind {@code Model.predict} and {@code Model.buildFor}: the model's traced
 * inference function returns every output, run once per batch; each output's batches are stacked
 * on the first axis.
 */
final class Predictor {

  private Predictor() {}

  static TFloat32 predict(TfFunction<List<TType>> function, TFloat32 x, int batchSize) {
    long n = requireBatchAxis(x.shape());
    if (n <= batchSize) {
      return (TFloat32) one(function.call(x));
    }
    Stack stack = new Stack();
    for (long from = 0; from < n; from += batchSize) {
      long to = Math.min(n, from + batchSize);
      FloatNdArray slice = x.slice(Indices.range(from, to));
      try (TFloat32 batch = TFloat32.tensorOf(slice.shape(), slice::copyTo);
          TFloat32 out = (TFloat32) one(function.call(batch))) {
        stack.add(out);
      }
    }
    return TFloat32.tensorOf(stack.shape(), DataBuffers.of(stack.values(), true, false));
  }

  /** Every output for every batch of {@code data} (targets, if any, are ignored), full shapes. */
  static List<FloatNdArray> predictAll(
      TfFunction<List<TType>> function, Dataset data, List<Callback> callbacks) {
    if (!data.isBatched()) {
      throw new IllegalArgumentException(
          "predict needs a batched dataset: call .batch(32) on it, received " + data + ".");
    }
    List<Stack> stacks = null;
    callbacks.forEach(Callback::onPredictBegin);
    int index = 0;
    for (Batch batch : data) {
      try (batch) {
        int b = index++;
        callbacks.forEach(c -> c.onPredictBatchBegin(b));
        TType[] inputs = new TType[batch.featureCount()];
        for (int i = 0; i < inputs.length; i++) {
          inputs[i] = batch.features(i);
        }
        List<TType> outputs = function.call(inputs);
        try {
          if (stacks == null) {
            stacks = new ArrayList<>();
            for (int k = 0; k < outputs.size(); k++) {
              stacks.add(new Stack());
            }
          }
          for (int k = 0; k < outputs.size(); k++) {
            stacks.get(k).add((TFloat32) outputs.get(k));
          }
          if (!callbacks.isEmpty()) {
            List<TFloat32> batchOutputs = outputs.stream().map(TFloat32.class::cast).toList();
            callbacks.forEach(c -> c.onPredictBatchEnd(b, batchOutputs));
          }
        } finally {
          outputs.forEach(TType::close);
        }
      }
    }
    callbacks.forEach(Callback::onPredictEnd);
    if (stacks == null) {
      return List.of(NdArrays.ofFloats(Shape.of(0))); // no batch: no example, no known output shape
    }
    return stacks.stream().map(s -> (FloatNdArray) NdArrays.wrap(s.shape(), DataBuffers.of(s.values(), false, false))).toList();
  }

  /** One row per example of {@code output}, each the example's values flattened. */
  static float[][] rows(FloatNdArray output) {
    long n = output.shape().numDimensions() == 0 ? 0 : output.shape().get(0);
    int width = n == 0 ? 0 : (int) (output.size() / n);
    float[] values = new float[(int) output.size()];
    output.copyTo(DataBuffers.of(values, false, false));
    float[][] rows = new float[(int) n][];
    for (int i = 0; i < n; i++) {
      rows[i] = new float[width];
      System.arraycopy(values, i * width, rows[i], 0, width);
    }
    return rows;
  }

  static void build(TfFunction<List<TType>> function, Shape inputShape) {
    build(function, List.of(inputShape));
  }

  /** Builds by running {@code function} once on zeros of each input shape (batch axis set to 1). */
  static void build(TfFunction<List<TType>> function, List<Shape> inputShapes) {
    if (inputShapes.isEmpty()) {
      throw new IllegalArgumentException("build needs at least one input shape, received none.");
    }
    List<TFloat32> zeros = new java.util.ArrayList<>();
    try {
      for (Shape inputShape : inputShapes) {
        zeros.add(zeros(inputShape));
      }
      function.call(zeros.toArray(new TType[0])).forEach(TType::close); // built; the outputs are discarded
    } finally {
      zeros.forEach(TType::close);
    }
  }

  /** A batch of one example of zeros of {@code inputShape}, checked to have a batch axis and known sizes. */
  private static TFloat32 zeros(Shape inputShape) {
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
    return TFloat32.tensorOf(Shape.of(dims), data -> data.scalars().forEach(s -> s.setFloat(0f)));
  }

  /** The one output of a single-output model; closes them all otherwise and says what to call. */
  private static TType one(List<TType> outputs) {
    if (outputs.size() != 1) {
      outputs.forEach(TType::close);
      throw new IllegalStateException(
          "The model has " + outputs.size() + " outputs; predict(TFloat32) returns one. Use"
              + " predictArrays(x) or predictOutputs(x) for all of them.");
    }
    return outputs.get(0);
  }

  private static long requireBatchAxis(Shape shape) {
    if (shape.numDimensions() < 1) {
      throw new IllegalArgumentException(
          "predict needs inputs with a batch axis first, received a scalar of shape " + shape + ".");
    }
    return shape.get(0);
  }

  /** One output's batches, stacked on the first axis. */
  private static final class Stack {
    private final List<float[]> parts = new ArrayList<>();
    private long[] rowDims;
    private long rows;

    void add(TFloat32 out) {
      Shape shape = out.shape();
      if (shape.numDimensions() < 1) {
        throw new IllegalStateException(
            "predict needs outputs with a batch axis first, received a scalar output.");
      }
      long[] dims = shape.asArray();
      if (rowDims == null) {
        rowDims = dims;
      } else {
        for (int i = 1; i < dims.length; i++) {
          if (dims.length != rowDims.length || dims[i] != rowDims[i]) {
            throw new IllegalStateException(
                "predict cannot stack outputs of shapes " + Shape.of(rowDims) + " and " + shape
                    + ": every batch's output must have the same non-batch axes (pad the inputs to"
                    + " one length).");
          }
        }
      }
      rows += dims[0];
      float[] values = new float[(int) out.size()];
      out.copyTo(DataBuffers.of(values, false, false));
      parts.add(values);
    }

    Shape shape() {
      long[] dims = rowDims.clone();
      dims[0] = rows;
      return Shape.of(dims);
    }

    float[] values() {
      long size = 0;
      for (float[] part : parts) {
        size += part.length;
      }
      if (size > Integer.MAX_VALUE - 8) {
        throw new IllegalStateException(
            "predict's output holds " + size + " values, more than one Java array can; predict"
                + " the data in parts.");
      }
      float[] all = new float[(int) size];
      int offset = 0;
      for (float[] part : parts) {
        System.arraycopy(part, 0, all, offset, part.length);
        offset += part.length;
      }
      return all;
    }
  }
}
