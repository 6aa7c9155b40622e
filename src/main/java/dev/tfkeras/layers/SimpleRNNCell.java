package dev.tfkeras.layers;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** Keras's {@code SimpleRNNCell}: {@code h = activation(x · kernel + bias + h_prev · recurrent_kernel)}. */
final class SimpleRNNCell extends RNNCell {

  SimpleRNNCell(int units) {
    super(units);
  }

  private SimpleRNNCell(SimpleRNNCell other) {
    super(other);
  }

  @Override
  int gates() {
    return 1;
  }

  @Override
  int stateCount() {
    return 1;
  }

  @Override
  RNNCell copy() {
    return new SimpleRNNCell(this);
  }

  @Override
  List<Operand<TFloat32>> step(Operand<TFloat32> inputPart, List<Operand<TFloat32>> states) {
    var tf = tf();
    Operand<TFloat32> h = sum(tf, inputPart, tf.linalg.matMul(states.get(0), recurrentValue(tf)));
    return List.of(activation.apply(tf, h));
  }
}
