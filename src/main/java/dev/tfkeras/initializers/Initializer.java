package dev.tfkeras.initializers;

import dev.tfkeras.saving.Config;
import dev.tfkeras.saving.Configurable;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Computes the initial value of a weight; the result runs once, as a variable initializer.
 *
 * <p>tfkeras's initializers have Keras's config ({@link #getConfig()}) and a static {@code
 * fromConfig}; an initializer written as a lambda has none, so a model using one cannot be saved
 * to a Keras file: write it as a class with {@code getConfig()} and register it with {@link
 * dev.tfkeras.saving.CustomObjects}.
 */
@FunctionalInterface
public interface Initializer extends Configurable {

  /**
   * Builds the ops that compute an initial value.
   *
   * @param tf where to add the ops
   * @param shape the weight's shape, fully known
   * @param seed a non-zero seed drawn from the runtime, for initializers that did not get their own
   */
  Operand<TFloat32> create(Ops tf, Shape shape, long seed);

  /**
   * Keras's config of this initializer.
   *
   * @throws UnsupportedOperationException for an initializer that does not define one (e.g. a lambda)
   */
  @Override
  default Config getConfig() {
    throw new UnsupportedOperationException(
        "Initializer " + this + " has no config: a lambda or a class without getConfig() cannot be"
            + " saved. Write it as a class that overrides getConfig() and has a static fromConfig(Config),"
            + " and register it with CustomObjects.register(\"MyInitializer\", MyInitializer::fromConfig).");
  }
}
