package dev.tfkeras.initializers;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Computes the initial value of a weight; the result runs once, as a variable initializer. */
@FunctionalInterface
public interface Initializer {

  /**
   * Builds the ops that compute an initial value.
   *
   * @param tf where to add the ops
   * @param shape the weight's shape, fully known
   * @param seed a non-zero seed drawn from the runtime, for initializers that did not get their own
   */
  Operand<TFloat32> create(Ops tf, Shape shape, long seed);
}
