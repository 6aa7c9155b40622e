package dev.tfkeras.layers;

import dev.tfkeras.saving.Config;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Reshapes every example to {@code targetShape} (batch axis excluded), as Keras's {@code Reshape}:
 * {@code new Reshape(3, 4)} turns {@code (None, 12)} into {@code (None, 3, 4)}. One dimension may be
 * -1, inferred from the input's size (unknown if the input has unknown dimensions).
 */
public class Reshape extends Layer {

  private final long[] targetShape;

  /**
   * @param targetShape the shape of one example; non-negative sizes and at most one -1
   * @throws IllegalArgumentException for a size below -1 or several -1
   */
  public Reshape(long... targetShape) {
    this.targetShape = targetShape.clone();
    int unknown = 0;
    for (long d : this.targetShape) {
      if (d < -1) {
        throw new IllegalArgumentException(
            "Each dimension in `target_shape` must be a non-negative integer, or `-1` for a single"
                + " unknown dimension. Received: target_shape=" + tuple(this.targetShape) + ".");
      }
      unknown += d == -1 ? 1 : 0;
    }
    if (unknown > 1) {
      throw new IllegalArgumentException(
          "There must be at most one unknown dimension (-1) in `target_shape`. Received:"
              + " target_shape=" + tuple(this.targetShape) + ".");
    }
  }

  /** The target shape of one example, as given (-1 for the inferred dimension). */
  public long[] targetShape() {
    return targetShape.clone();
  }

  @Override
  protected void validateInput(Shape shape) {
    requireMinRank(shape, 1);
    resolve(shape);
  }

  /**
   * The shape of one output example: the target with its -1 resolved, or left -1 (unknown) when
   * the input has unknown non-batch dimensions, as Keras's {@code compute_reshape_output_shape}.
   */
  private long[] resolve(Shape inputShape) {
    long[] example = new long[inputShape.numDimensions() - 1];
    long size = 1;
    boolean known = true;
    for (int i = 0; i < example.length; i++) {
      example[i] = inputShape.get(i + 1);
      known &= example[i] != Shape.UNKNOWN_SIZE;
      size *= Math.max(example[i], 0);
    }
    if (!known) {
      return targetShape.clone();
    }
    long knownSize = 1;
    int unknownIndex = -1;
    for (int i = 0; i < targetShape.length; i++) {
      if (targetShape[i] == -1) {
        unknownIndex = i;
      } else {
        knownSize *= targetShape[i];
      }
    }
    if (unknownIndex < 0) {
      if (knownSize != size) {
        throw new IllegalArgumentException(
            "The total size of the tensor must be unchanged. Received: input_shape=" + tuple(example)
                + ", target_shape=" + tuple(targetShape) + ". Layer \"" + name() + "\" cannot reshape "
                + size + " values per example into " + knownSize + ".");
      }
      return targetShape.clone();
    }
    if (knownSize == 0 || size % knownSize != 0) {
      throw new IllegalArgumentException(
          "The total size of the tensor must be unchanged, however, the input size cannot be divided"
              + " by the specified dimensions in target_shape. Received: input_shape=" + tuple(example)
              + ", target_shape=" + tuple(targetShape) + ".");
    }
    long[] resolved = targetShape.clone();
    resolved[unknownIndex] = size / knownSize;
    return resolved;
  }

  @Override
  protected Operand<TFloat32> call(Operand<TFloat32> input, boolean training) {
    Ops tf = tf();
    long[] example = resolve(input.shape());
    Operand<TInt64> batch =
        tf.slice(tf.shape(input, TInt64.class), tf.constant(new long[] {0}), tf.constant(new long[] {1}));
    return tf.reshape(input, tf.concat(List.of(batch, tf.constant(example)), tf.constant(0)));
  }

  /** A Python tuple of numbers, as Keras prints arguments: {@code (3, 4)}, {@code (12,)}. */
  static String tuple(long[] dims) {
    StringBuilder out = new StringBuilder("(");
    for (int i = 0; i < dims.length; i++) {
      out.append(i > 0 ? ", " : "").append(dims[i]);
    }
    return out.append(dims.length == 1 ? ",)" : ")").toString();
  }

  /** Keras's {@code Reshape.get_config}: {@code target_shape}. */
  @Override
  public Config getConfig() {
    return super.getConfig().put("target_shape", targetShape);
  }

  /** Keras's {@code Reshape.from_config}. */
  public static Reshape fromConfig(Config config) {
    long[] target = config.getLongs("target_shape");
    if (target == null) {
      throw config.invalid("target_shape", "a list of integers");
    }
    return configured(new Reshape(target), config);
  }
}
