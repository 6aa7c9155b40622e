package dev.tfkeras.models;

import java.util.Map;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TUint8;
import org.tensorflow.types.family.TType;

/**
 * Keras's {@code class_weight}: per-example weights looked up from each example's class, computed
 * on the host for every batch. Targets (batch,) or (batch, 1) hold class indices (rounded);
 * targets (batch, classes) are one-hot or probabilities, whose arg-max is the class.
 */
final class ClassWeights {

  private final Map<Integer, Double> weights;

  ClassWeights(Map<Integer, Double> weights) {
    this.weights = Map.copyOf(weights);
  }

  /** A (batch,) float32 tensor of weights for the batch's targets; the caller closes it. */
  TFloat32 forLabels(TType labels, int labelCount) {
    if (labelCount != 1) {
      throw new IllegalArgumentException(
          "classWeight is only supported for a single target, received " + labelCount + " targets.");
    }
    Shape shape = labels.shape();
    if (shape.numDimensions() < 1 || shape.numDimensions() > 2) {
      throw new IllegalArgumentException(
          "classWeight needs targets of shape (batch,), (batch, 1) or (batch, classes), received "
              + shape + ".");
    }
    int rows = (int) shape.get(0);
    int width = shape.numDimensions() == 2 ? (int) shape.get(1) : 1;
    double[] values = readDoubles(labels);
    float[] out = new float[rows];
    for (int r = 0; r < rows; r++) {
      int label;
      if (width == 1) {
        label = (int) Math.round(values[r]);
      } else {
        label = 0;
        for (int c = 1; c < width; c++) {
          if (values[r * width + c] > values[r * width + label]) {
            label = c;
          }
        }
      }
      out[r] = weights.getOrDefault(label, 1.0).floatValue();
    }
    return TFloat32.tensorOf(Shape.of(rows), DataBuffers.of(out, true, false));
  }

  private static double[] readDoubles(TType labels) {
    int n = (int) labels.shape().size();
    double[] out = new double[n];
    int[] i = {0};
    if (labels instanceof TFloat32 t) {
      t.scalars().forEach(s -> out[i[0]++] = s.getFloat());
    } else if (labels instanceof TFloat64 t) {
      t.scalars().forEach(s -> out[i[0]++] = s.getDouble());
    } else if (labels instanceof TInt32 t) {
      t.scalars().forEach(s -> out[i[0]++] = s.getInt());
    } else if (labels instanceof TInt64 t) {
      t.scalars().forEach(s -> out[i[0]++] = s.getLong());
    } else if (labels instanceof TUint8 t) {
      t.scalars().forEach(s -> out[i[0]++] = Byte.toUnsignedInt(s.getByte()));
    } else if (labels instanceof TBool t) {
      t.scalars().forEach(s -> out[i[0]++] = s.getBoolean() ? 1 : 0);
    } else {
      throw new IllegalArgumentException(
          "classWeight needs numeric targets, received " + labels.type().getSimpleName() + ".");
    }
    return out;
  }
}
