package dev.tfkeras.constraints;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A projection applied to a weight after each optimizer update, as Keras's {@code
 * kernel_constraint} / {@code bias_constraint}: {@code new Dense(64).kernelConstraint(new
 * MaxNorm(3))}. The optimizer assigns {@code apply(w)} to the weight right after updating it.
 */
@FunctionalInterface
public interface Constraint {

  /** The constrained value of {@code weight}, same shape. */
  Operand<TFloat32> apply(Ops tf, Operand<TFloat32> weight);
}
