package dev.tfkeras.layers;

import dev.tfkeras.activations.ActivationFunction;
import dev.tfkeras.activations.Activations;
import dev.tfkeras.saving.Config;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * Softmax over one axis (default -1) or several, as Keras's {@code layers.Softmax}. A Keras mask on
 * the input, or a mask passed as a second input ({@code softmax.apply(List.of(scores, mask),
 * training)}; true or {@code > 0.5} = keep), must broadcast to the input: masked positions get
 * probability 0 (they enter as -1e9, then are zeroed in case a whole axis is masked).
 */
public class Softmax extends Layer {

  private final int[] axes;
  private final ActivationFunction softmax;

  /** Softmax over the last axis. */
  public Softmax() {
    this(-1);
  }

  /**
   * @param axes the axes normalized together, negative counting from the end
   * @throws IllegalArgumentException if no axis is given
   */
  public Softmax(int... axes) {
    if (axes.length == 0) {
      throw new IllegalArgumentException("Softmax needs at least one axis, received none.");
    }
    this.axes = axes.clone();
    this.softmax = Activations.softmax(this.axes);
  }

  /** The normalized axes, as given. */
  public int[] axes() {
    return axes.clone();
  }

  @Override
  protected boolean supportsMasking() {
    return true;
  }

  @Override
  protected void validateInputs(List<Shape> shapes) {
    if (shapes.size() > 2) {
      throw new IllegalArgumentException(
          "Layer \"" + name() + "\" takes the scores and an optional mask, received " + shapes.size()
              + " inputs.");
    }
    Shape input = shapes.get(0);
    if (input.isUnknown()) {
      throw incompatible("expected an input of known rank", input);
    }
    for (int axis : axes) {
      int rank = input.numDimensions();
      if (axis >= rank || axis < -rank) {
        throw incompatible("axis " + axis + " is out of range for an input of rank " + rank, input);
      }
    }
    if (shapes.size() == 2) {
      checkMask(input, shapes.get(1));
    }
  }

  private void checkMask(Shape input, Shape mask) {
    if (mask.isUnknown()) {
      return;
    }
    if (mask.numDimensions() > input.numDimensions()) {
      throw new IllegalArgumentException(
          "The `mask` must be broadcastable to `inputs` and must not have more dimensions. Received:"
              + " inputs.shape=" + format(input) + ", mask.shape=" + format(mask));
    }
    for (int i = 1; i <= mask.numDimensions(); i++) {
      long m = mask.get(mask.numDimensions() - i);
      long d = input.get(input.numDimensions() - i);
      if (m != Shape.UNKNOWN_SIZE && d != Shape.UNKNOWN_SIZE && m != 1 && m != d) {
        throw new IllegalArgumentException(
            "The `mask` must be broadcastable to `inputs`. Each mask dimension must be 1 or match the"
                + " corresponding input dimension. Received: inputs.shape=" + format(input)
                + ", mask.shape=" + format(mask));
      }
    }
  }

  @Override
  protected Operand<TFloat32> call(List<Operand<?>> inputs, boolean training) {
    Ops tf = tf();
    Operand<TFloat32> x = asFloat(inputs.get(0));
    Operand<?> mask = inputs.size() == 2 ? inputs.get(1) : maskOf(inputs.get(0));
    if (mask == null) {
      return softmax.apply(tf, x);
    }
    checkMask(x.shape(), mask.shape());
    Operand<TFloat32> keep = tf.dtypes.cast(keepMask(tf, mask), TFloat32.class);
    // where(mask, x, -1e9) and where(mask, y, 0), as products with the 0/1 mask
    Operand<TFloat32> masked =
        tf.math.add(
            tf.math.mul(x, keep),
            tf.math.mul(tf.math.sub(tf.constant(1f), keep), tf.constant(-1e9f)));
    return tf.math.mul(softmax.apply(tf, masked), keep);
  }

  @SuppressWarnings("unchecked")
  private static Operand<TBool> keepMask(Ops tf, Operand<?> mask) {
    if (mask.type() == TBool.class) {
      return (Operand<TBool>) mask;
    }
    Operand<TFloat32> values =
        tf.dtypes.cast((Operand<? extends org.tensorflow.types.family.TType>) mask, TFloat32.class);
    return tf.math.greater(values, tf.constant(0.5f));
  }

  /** Keras's {@code Softmax.get_config}: {@code axis}, an int or a list. */
  @Override
  public Config getConfig() {
    return super.getConfig().put("axis", Configs.intOrList(axes));
  }

  /** Keras's {@code Softmax.from_config}. */
  public static Softmax fromConfig(Config config) {
    return configured(new Softmax(Configs.intOrInts(config, "axis", new int[] {-1})), config);
  }
}
