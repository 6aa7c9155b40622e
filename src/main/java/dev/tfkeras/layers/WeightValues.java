package dev.tfkeras.layers;

import dev.tfkeras.variables.Variable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.StdArrays;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/** Host copies of weights for {@link Layer#getWeights()} and checked assignment for {@link Layer#setWeights}. */
final class WeightValues {

  private WeightValues() {}

  static List<FloatNdArray> read(List<Variable<TFloat32>> weights) {
    List<FloatNdArray> values = new ArrayList<>(weights.size());
    for (Variable<TFloat32> weight : weights) {
      try (TFloat32 value = weight.value()) {
        FloatNdArray copy = NdArrays.ofFloats(value.shape());
        value.copyTo(copy);
        values.add(copy);
      }
    }
    return values;
  }

  static void assign(String layer, List<Variable<TFloat32>> weights, List<?> values) {
    Objects.requireNonNull(values, "weights");
    if (values.size() != weights.size()) {
      List<String> expected = weights.stream().map(w -> w.path() + " " + Layer.format(w.shape())).toList();
      throw new IllegalArgumentException(
          "You called `setWeights(weights)` on layer '" + layer + "' with a weight list of length "
              + values.size() + ", but the layer was expecting " + weights.size() + " weights: "
              + expected + ".");
    }
    List<TFloat32> tensors = new ArrayList<>(weights.size());
    try {
      for (int i = 0; i < weights.size(); i++) {
        tensors.add(toTensor(layer, i, weights.get(i), values.get(i)));
      }
      for (int i = 0; i < weights.size(); i++) {
        weights.get(i).assign(tensors.get(i));
      }
    } finally {
      tensors.forEach(TFloat32::close);
    }
  }

  private static TFloat32 toTensor(String layer, int index, Variable<TFloat32> weight, Object value) {
    Shape shape = weight.shape();
    if (value instanceof float[] flat) {
      if (flat.length != shape.size()) {
        throw new IllegalArgumentException(
            "Layer " + layer + " weight shape " + Layer.format(shape) + " is not compatible with"
                + " provided weight shape (" + flat.length + ",): weight " + index + " ('"
                + weight.path() + "') needs " + shape.size() + " values, received a float[] of "
                + flat.length + ".");
      }
      return TFloat32.tensorOf(shape, DataBuffers.of(flat, true, false));
    }
    FloatNdArray array = asNdArray(value);
    if (array == null) {
      throw new IllegalArgumentException(
          "Weight " + index + " ('" + weight.path() + "') of layer " + layer + " must be a"
              + " FloatNdArray (a TFloat32 included), a nested float array or a flat float[], received "
              + (value == null ? "null" : value.getClass().getName()) + ".");
    }
    if (!array.shape().equals(shape)) {
      throw new IllegalArgumentException(
          "Layer " + layer + " weight shape " + Layer.format(shape) + " is not compatible with"
              + " provided weight shape " + Layer.format(array.shape()) + " (weight " + index + ", '"
              + weight.path() + "').");
    }
    return TFloat32.tensorOf(shape, array::copyTo);
  }

  private static FloatNdArray asNdArray(Object value) {
    if (value instanceof FloatNdArray array) {
      return array;
    }
    if (value instanceof float[][] a) {
      return StdArrays.ndCopyOf(a);
    }
    if (value instanceof float[][][] a) {
      return StdArrays.ndCopyOf(a);
    }
    if (value instanceof float[][][][] a) {
      return StdArrays.ndCopyOf(a);
    }
    if (value instanceof float[][][][][] a) {
      return StdArrays.ndCopyOf(a);
    }
    return null;
  }
}
