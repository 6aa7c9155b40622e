package dev.tfkeras.models;

import dev.tfkeras.data.ArrayAdapter;
import dev.tfkeras.data.Dataset;
import java.util.Map;
import java.util.TreeMap;
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
 * on the host: once for arrays, before any tensor is made (Keras's array adapter), per batch for a
 * dataset. Targets (batch,) or (batch, 1) hold class indices (rounded);
 * targets (batch, classes) are one-hot or probabilities, whose arg-max is the class.
 */
final class ClassWeights {

  /** The start of Keras's message for keys that are not classes (Keras 2's data adapter). */
  static final String EXPECTED =
      "Expected classWeight to be a map with keys from 0 to one less than the number of classes,"
          + " found ";

  private final Map<Integer, Double> weights;

  ClassWeights(Map<Integer, Double> weights) {
    this.weights = Map.copyOf(weights);
  }

  /**
   * Refuses a key no target can hold, before training: the classes are the units of the model's
   * output (2 for a single unit, a sigmoid's 0 or 1). Builds the model on the data's input shape
   * first if it has not seen data yet; a model with several inputs is checked only once built.
   */
  void requireClassesOf(Model model, Dataset train) {
    if (!model.isBuilt() && train.featureCount() == 1) {
      model.buildFor(train.featureShape());
    }
    Shape output = model.isBuilt() ? model.outputShape() : null;
    if (output == null || output.isUnknown() || output.numDimensions() < 1
        || output.get(output.numDimensions() - 1) < 1) {
      return;
    }
    long units = output.get(output.numDimensions() - 1);
    long classes = units == 1 ? 2 : units;
    for (int key : new TreeMap<>(weights).keySet()) {
      if (key >= classes) {
        throw new IllegalArgumentException(
            EXPECTED + new TreeMap<>(weights) + ": class " + key + " is out of range, the model"
                + " outputs " + classes + " classes (0 to " + (classes - 1) + "). Remove it, or"
                + " check that the last layer has one unit per class.");
      }
    }
  }

  /**
   * The per-example weights of host targets {@code y}, computed once before any tensor is made, as
   * Keras's array adapter turns {@code class_weight} into {@code sample_weight}.
   */
  float[] sampleWeightsOf(Object y) {
    if (y instanceof java.util.List<?> list) {
      throw new IllegalArgumentException(
          "classWeight is only supported for a single target, received " + list.size() + " targets.");
    }
    ArrayAdapter.Targets targets = ArrayAdapter.targets(y);
    return weightsOf(targets.shape(), targets.values());
  }

  /** A (batch,) float32 tensor of weights for the batch's targets (a dataset's); the caller closes it. */
  TFloat32 forLabels(TType labels, int labelCount) {
    if (labelCount != 1) {
      throw new IllegalArgumentException(
          "classWeight is only supported for a single target, received " + labelCount + " targets.");
    }
    float[] out = weightsOf(labels.shape(), readDoubles(labels));
    return TFloat32.tensorOf(Shape.of(out.length), DataBuffers.of(out, true, false));
  }

  /**
   * One weight per row of targets of {@code shape}: (n,) or (n, 1) hold class indices (rounded),
   * (n, classes) one-hot rows or probabilities, whose arg-max is the class.
   */
  private float[] weightsOf(Shape shape, double[] values) {
    if (shape.numDimensions() < 1 || shape.numDimensions() > 2) {
      throw new IllegalArgumentException(
          "classWeight needs targets of shape (batch,), (batch, 1) or (batch, classes), received "
              + shape + ".");
    }
    int rows = (int) shape.get(0);
    int width = shape.numDimensions() == 2 ? (int) shape.get(1) : 1;
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
    return out;
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
