package dev.tfkeras.losses;

import dev.tfkeras.layers.Layer;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TNumber;

/**
 * Targets and predictions of an element-wise loss, as Keras's {@code LossFunctionWrapper} passes
 * them: rank-matched ({@link SameRank}: a {@code (batch,)} target meets a {@code (batch, 1)}
 * prediction), then checked axis by axis, targets cast to float32.
 */
record DenseInputs(Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {

  static DenseInputs of(
      Ops tf, Operand<? extends TNumber> yTrue, Operand<TFloat32> yPred, String loss) {
    return of(tf, yTrue, yPred, loss, false);
  }

  /**
   * As {@link #of(Ops, Operand, Operand, String)}, also letting a size of 1 broadcast against the
   * other side, as Keras's element-wise regression losses do ({@code (n, 1)} targets for {@code (n,
   * 2)} predictions).
   */
  static DenseInputs broadcasting(
      Ops tf, Operand<? extends TNumber> yTrue, Operand<TFloat32> yPred, String loss) {
    return of(tf, yTrue, yPred, loss, true);
  }

  private static DenseInputs of(
      Ops tf,
      Operand<? extends TNumber> yTrue,
      Operand<TFloat32> yPred,
      String loss,
      boolean broadcast) {
    if (!yPred.shape().isUnknown() && yPred.shape().numDimensions() == 0) {
      throw new IllegalArgumentException(
          loss + " needs predictions of shape (batch, ...), received a scalar of shape "
              + Layer.format(yPred.shape()) + ".");
    }
    SameRank.Pair<? extends TNumber, TFloat32> matched = SameRank.match(tf, yTrue, yPred);
    return new DenseInputs(
        LossShapes.denseTargets(tf, matched.first(), matched.second(), broadcast), matched.second());
  }
}
