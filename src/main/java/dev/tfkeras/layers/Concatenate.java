package dev.tfkeras.layers;

import dev.tfkeras.saving.Config;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Any;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * Concatenates its inputs along one axis (default -1, the features), as Keras's {@code
 * Concatenate}: {@code new Concatenate().apply(List.of(a, b), training)}. Inputs must have the same
 * rank and the same sizes on every other axis (where known). If any input carries a Keras mask, the
 * output's mask is Keras's: the masks (all-true for inputs without one) concatenated, then any over
 * the last axis.
 */
public class Concatenate extends Merge {

  private final int axis;

  /** Concatenation along the last axis. */
  public Concatenate() {
    this(-1);
  }

  /** Concatenation along {@code axis}, negative counting from the end. */
  public Concatenate(int axis) {
    this.axis = axis;
  }

  /** The concatenation axis, as given. */
  public int axis() {
    return axis;
  }

  @Override
  protected void validateInputs(List<Shape> shapes) {
    requireKnownRanks(shapes);
    String mismatch =
        "A `Concatenate` layer requires inputs with matching shapes except for the concatenation"
            + " axis. Received: input_shape=" + shapeList(shapes);
    int rank = shapes.get(0).numDimensions();
    for (Shape s : shapes) {
      if (s.numDimensions() != rank) {
        throw new IllegalArgumentException(mismatch);
      }
    }
    int concatAxis = normalizedAxis(rank);
    for (int a = 0; a < rank; a++) {
      if (a == concatAxis) {
        continue;
      }
      long size = Shape.UNKNOWN_SIZE;
      for (Shape s : shapes) {
        long d = s.get(a);
        if (d != Shape.UNKNOWN_SIZE) {
          if (size != Shape.UNKNOWN_SIZE && d != size) {
            throw new IllegalArgumentException(mismatch);
          }
          size = d;
        }
      }
    }
  }

  private int normalizedAxis(int rank) {
    int a = axis < 0 ? axis + rank : axis;
    if (a < 0 || a >= rank) {
      throw new IllegalArgumentException(
          "Invalid `axis` for layer \"" + name() + "\": axis=" + axis + " is out of range for inputs"
              + " of rank " + rank + "; use an axis in [" + -rank + ", " + (rank - 1) + "].");
    }
    return a;
  }

  @Override
  protected Operand<TFloat32> call(List<Operand<?>> inputs, boolean training) {
    Ops tf = tf();
    int concatAxis = normalizedAxis(inputs.get(0).shape().numDimensions());
    List<Operand<TFloat32>> floats = new ArrayList<>();
    for (Operand<?> x : inputs) {
      floats.add(asFloat(x));
    }
    Operand<TFloat32> output = merge(tf, floats);
    Operand<TBool> mask = concatenatedMask(tf, inputs, concatAxis);
    if (mask != null) {
      setMask(output, mask);
    }
    return output;
  }

  @Override
  protected Operand<TFloat32> merge(Ops tf, List<Operand<TFloat32>> inputs) {
    int rank = inputs.get(0).shape().numDimensions();
    return tf.concat(inputs, tf.constant(normalizedAxis(rank)));
  }

  /** Keras's {@code Concatenate.compute_mask}, or null when no input has a mask. */
  private Operand<TBool> concatenatedMask(Ops tf, List<Operand<?>> inputs, int concatAxis) {
    boolean any = false;
    for (Operand<?> x : inputs) {
      any |= maskOf(x) != null;
    }
    if (!any) {
      return null;
    }
    List<Operand<TBool>> masks = new ArrayList<>();
    for (Operand<?> x : inputs) {
      Operand<TBool> m = maskOf(x);
      Operand<TBool> full = tf.fill(tf.shape(x), tf.constant(m == null));
      if (m != null && m.shape().numDimensions() < x.shape().numDimensions()) {
        // broadcast the (batch, time) mask over the features: or with all-false of the input's shape
        full = tf.math.logicalOr(tf.expandDims(m, tf.constant(-1)), full);
      } else if (m != null) {
        full = m;
      }
      masks.add(full);
    }
    return tf.any(tf.concat(masks, tf.constant(concatAxis)), tf.constant(-1), Any.keepDims(false));
  }

  /** Keras's {@code Concatenate.get_config}: {@code axis}. */
  @Override
  public Config getConfig() {
    return super.getConfig().put("axis", axis);
  }

  /** Keras's {@code Concatenate.from_config}. */
  public static Concatenate fromConfig(Config config) {
    return configured(new Concatenate(config.getInt("axis", -1)), config);
  }
}
