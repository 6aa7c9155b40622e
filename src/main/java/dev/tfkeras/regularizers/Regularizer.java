package dev.tfkeras.regularizers;

import dev.tfkeras.saving.Config;
import dev.tfkeras.saving.Configurable;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A penalty on a weight, added to the loss: Keras's {@code kernel_regularizer} / {@code
 * bias_regularizer}. Set on a layer ({@code new Dense(64).kernelRegularizer(new L2(1e-4f))}), its
 * penalty joins the loss in {@code fit} and is listed by {@code model.losses()} for custom loops.
 */
@FunctionalInterface
public interface Regularizer extends Configurable {

  /** The scalar penalty of {@code weight}. */
  Operand<TFloat32> apply(Ops tf, Operand<TFloat32> weight);

  /**
   * Keras's config of this regularizer.
   *
   * @throws UnsupportedOperationException for a regularizer that does not define one (e.g. a lambda)
   */
  @Override
  default Config getConfig() {
    throw new UnsupportedOperationException(
        "Regularizer " + this + " has no config: a lambda or a class without getConfig() cannot be"
            + " saved. Write it as a class that overrides getConfig() and has a static fromConfig(Config),"
            + " and register it with CustomObjects.register(\"MyRegularizer\", MyRegularizer::fromConfig).");
  }
}
