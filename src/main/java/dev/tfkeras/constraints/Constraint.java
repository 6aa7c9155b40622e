package dev.tfkeras.constraints;

import dev.tfkeras.saving.Config;
import dev.tfkeras.saving.Configurable;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A projection applied to a weight after each optimizer update, as Keras's {@code
 * kernel_constraint} / {@code bias_constraint}: {@code new Dense(64).kernelConstraint(new
 * MaxNorm(3))}. The optimizer assigns {@code apply(w)} to the weight right after updating it.
 */
@FunctionalInterface
public interface Constraint extends Configurable {

  /** The constrained value of {@code weight}, same shape. */
  Operand<TFloat32> apply(Ops tf, Operand<TFloat32> weight);

  /**
   * Keras's config of this constraint.
   *
   * @throws UnsupportedOperationException for a constraint that does not define one (e.g. a lambda)
   */
  @Override
  default Config getConfig() {
    throw new UnsupportedOperationException(
        "Constraint " + this + " has no config: a lambda or a class without getConfig() cannot be"
            + " saved. Write it as a class that overrides getConfig() and has a static fromConfig(Config),"
            + " and register it with CustomObjects.register(\"MyConstraint\", MyConstraint::fromConfig).");
  }
}
