package dev.tfkeras.regularizers;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A penalty on a weight, added to the loss: Keras's {@code kernel_regularizer} / {@code
 * bias_regularizer}. Set on a layer ({@code new Dense(64).kernelRegularizer(new L2(1e-4f))}), its
 * penalty joins the loss in {@code fit} and is listed by {@code model.losses()} for custom loops.
 */
@FunctionalInterface
public interface Regularizer {

  /** The scalar penalty of {@code weight}. */
  Operand<TFloat32> apply(Ops tf, Operand<TFloat32> weight);
}
