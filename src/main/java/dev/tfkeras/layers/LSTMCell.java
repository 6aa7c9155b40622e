package dev.tfkeras.layers;

import dev.tfkeras.activations.ActivationFunction;
import dev.tfkeras.initializers.Initializer;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras's {@code LSTMCell}, gates in Keras's order i, f, c, o along the last axis of the kernels:
 * {@code z = x · kernel + h · recurrent_kernel + bias}, {@code i = σ(z_i)}, {@code f = σ(z_f)},
 * {@code c = f * c_prev + i * tanh(z_c)}, {@code o = σ(z_o)}, {@code h = o * tanh(c)} (σ the
 * recurrent activation, tanh the activation). States: {@code [h, c]}.
 */
final class LSTMCell extends RNNCell {

  ActivationFunction recurrentActivation = Activation.SIGMOID;
  boolean unitForgetBias = true;

  LSTMCell(int units) {
    super(units);
  }

  private LSTMCell(LSTMCell other) {
    super(other);
    recurrentActivation = other.recurrentActivation;
    unitForgetBias = other.unitForgetBias;
  }

  @Override
  int gates() {
    return 4;
  }

  @Override
  int stateCount() {
    return 2;
  }

  @Override
  RNNCell copy() {
    return new LSTMCell(this);
  }

  /** Keras's unit forget bias: the bias initializer on i, c and o, ones on the forget gate. */
  @Override
  Initializer biasInitializerForBuild() {
    if (!unitForgetBias) {
      return biasInitializer;
    }
    Initializer base = biasInitializer;
    return (Ops tf, Shape shape, long seed) ->
        tf.concat(
            List.of(
                base.create(tf, Shape.of(units), seed),
                tf.fill(tf.constant(new long[] {units}), tf.constant(1f)),
                base.create(tf, Shape.of(2L * units), seed)),
            tf.constant(0));
  }

  @Override
  List<Operand<TFloat32>> step(Operand<TFloat32> inputPart, List<Operand<TFloat32>> states) {
    Ops tf = tf();
    Operand<TFloat32> h = states.get(0);
    Operand<TFloat32> c = states.get(1);
    Operand<TFloat32> z = sum(tf, inputPart, tf.linalg.matMul(h, recurrentValue(tf)));
    List<Operand<TFloat32>> gates =
        List.copyOf(tf.split(perSequence("axis", () -> tf.constant(1)), z, 4L).output());
    Operand<TFloat32> i = recurrentActivation.apply(tf, gates.get(0));
    Operand<TFloat32> f = recurrentActivation.apply(tf, gates.get(1));
    Operand<TFloat32> newC =
        sum(tf, tf.math.mul(f, c), tf.math.mul(i, activation.apply(tf, gates.get(2))));
    Operand<TFloat32> o = recurrentActivation.apply(tf, gates.get(3));
    return List.of(tf.math.mul(o, activation.apply(tf, newC)), newC);
  }
}
