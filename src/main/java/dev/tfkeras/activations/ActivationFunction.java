package dev.tfkeras.activations;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A function applied to a layer's output, as Keras's {@code activation=} callables: one of {@link
 * Activations} ({@code Activations.RELU}, {@code Activations.get("gelu")}), a configured one such as
 * {@link Activations#leakyRelu(double)}, or a lambda of your own.
 */
@FunctionalInterface
public interface ActivationFunction {

  /** Adds the ops computing the activation of {@code x} to {@code tf}. */
  Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x);
}
