package dev.tfkeras.layers;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * Base of the element-wise merge layers ({@link Add}, {@link Subtract}, {@link Multiply}, {@link
 * Average}), as Keras's {@code Merge}: applied to a list of inputs, {@code add.apply(List.of(a, b),
 * training)}. Shapes broadcast as in Keras: sizes must match where both are known, unless one is 1;
 * an input of lower rank gets size-1 axes after the batch axis. Batch sizes must agree. If every
 * input carries a Keras mask, the output's mask is their logical or.
 */
public abstract class Merge extends Layer {

  /** Combines inputs of equal rank (broadcastable shapes); the subclass's one line of maths. */
  protected abstract Operand<TFloat32> merge(Ops tf, List<Operand<TFloat32>> inputs);

  @Override
  protected void validateInputs(List<Shape> shapes) {
    requireKnownRanks(shapes);
    checkBatchSizes(shapes);
    Shape output = nonBatch(shapes.get(0));
    for (int i = 1; i < shapes.size(); i++) {
      output = broadcast(output, nonBatch(shapes.get(i)));
    }
  }

  final void requireKnownRanks(List<Shape> shapes) {
    for (int i = 0; i < shapes.size(); i++) {
      if (shapes.get(i).isUnknown() || shapes.get(i).numDimensions() == 0) {
        throw new IllegalArgumentException(
            "Input " + i + " of layer \"" + name() + "\" must have a known rank of at least 1 (a batch"
                + " axis), received " + format(shapes.get(i)) + ". Full input shapes received: "
                + shapeList(shapes));
      }
    }
  }

  private void checkBatchSizes(List<Shape> shapes) {
    long batch = Shape.UNKNOWN_SIZE;
    for (Shape s : shapes) {
      long b = s.get(0);
      if (b != Shape.UNKNOWN_SIZE) {
        if (batch != Shape.UNKNOWN_SIZE && b != batch) {
          throw new IllegalArgumentException(
              "Cannot merge tensors with different batch sizes. Received tensors with shapes "
                  + shapeList(shapes));
        }
        batch = b;
      }
    }
  }

  private static Shape nonBatch(Shape shape) {
    return shape.numDimensions() == 1 ? Shape.scalar() : shape.subShape(1, shape.numDimensions());
  }

  /** Keras's {@code _compute_elemwise_op_output_shape}: trailing axes aligned, 1 broadcasts. */
  private static Shape broadcast(Shape a, Shape b) {
    if (a.numDimensions() < b.numDimensions()) {
      return broadcast(b, a);
    }
    int offset = a.numDimensions() - b.numDimensions();
    long[] out = a.asArray();
    for (int k = 0; k < b.numDimensions(); k++) {
      long i = a.get(offset + k);
      long j = b.get(k);
      if (i == Shape.UNKNOWN_SIZE || j == Shape.UNKNOWN_SIZE) {
        out[offset + k] = Shape.UNKNOWN_SIZE;
      } else if (i == 1) {
        out[offset + k] = j;
      } else if (j != 1 && i != j) {
        throw new IllegalArgumentException(
            "Inputs have incompatible shapes. Received shapes " + format(a) + " and " + format(b));
      }
    }
    return Shape.of(out);
  }

  @Override
  protected Operand<TFloat32> call(List<Operand<?>> inputs, boolean training) {
    Ops tf = tf();
    int maxRank = 0;
    for (Operand<?> x : inputs) {
      maxRank = Math.max(maxRank, x.shape().numDimensions());
    }
    List<Operand<TFloat32>> floats = new ArrayList<>();
    for (Operand<?> x : inputs) {
      Operand<TFloat32> f = asFloat(x);
      for (int r = f.shape().numDimensions(); r < maxRank; r++) {
        f = tf.expandDims(f, tf.constant(1));
      }
      floats.add(f);
    }
    Operand<TFloat32> output = merge(tf, floats);
    Operand<TBool> mask = mergedMask(tf, inputs);
    if (mask != null) {
      setMask(output, mask);
    }
    return output;
  }

  /** The logical or of the inputs' masks if every input has one (Keras's {@code compute_mask}), else null. */
  Operand<TBool> mergedMask(Ops tf, List<Operand<?>> inputs) {
    Operand<TBool> mask = null;
    for (Operand<?> x : inputs) {
      Operand<TBool> m = maskOf(x);
      if (m == null) {
        return null;
      }
      mask = mask == null ? m : tf.math.logicalOr(mask, m);
    }
    return mask;
  }

  /** Keras's way of printing a list of shapes: {@code [(None, 3), (None, 4)]}. */
  static String shapeList(List<Shape> shapes) {
    return "[" + String.join(", ", shapes.stream().map(Layer::format).toList()) + "]";
  }
}
