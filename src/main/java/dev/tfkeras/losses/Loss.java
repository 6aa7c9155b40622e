package dev.tfkeras.losses;

import dev.tfkeras.function.Trace;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TNumber;

/**
 * A loss function {@code (labels, predictions) -> loss}: per-sample values computed by the subclass,
 * then reduced (by default the mean over the batch, as in Keras).
 */
public abstract class Loss {

  private final Reduction reduction;

  protected Loss(Reduction reduction) {
    this.reduction = Objects.requireNonNull(reduction, "reduction");
  }

  /**
   * The reduced loss, built in the function being traced.
   *
   * @param labels true values (class indices for sparse losses)
   * @param predictions model outputs
   */
  public final Operand<TFloat32> call(
      Operand<? extends TNumber> labels, Operand<TFloat32> predictions) {
    Ops tf = Trace.current().ops().withSubScope(getClass().getSimpleName());
    Operand<TFloat32> perSample = perSample(tf, labels, predictions);
    return switch (reduction) {
      case NONE -> perSample;
      case SUM -> tf.sum(perSample, allAxes(tf, perSample));
      case SUM_OVER_BATCH_SIZE -> tf.math.mean(perSample, allAxes(tf, perSample));
    };
  }

  /** The reduction applied by {@link #call}. */
  public Reduction reduction() {
    return reduction;
  }

  /** One loss value per sample, shape {@code (batch)}. */
  protected abstract Operand<TFloat32> perSample(
      Ops tf, Operand<? extends TNumber> labels, Operand<TFloat32> predictions);

  private static Operand<org.tensorflow.types.TInt32> allAxes(Ops tf, Operand<TFloat32> x) {
    return tf.range(tf.constant(0), tf.rank(x), tf.constant(1));
  }
}
