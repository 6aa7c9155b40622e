package dev.tfkeras.layers;

import dev.tfkeras.variables.Variable;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/** Keras's {@code SimpleRNNCell}: {@code h = activation(x · kernel + bias + h_prev · recurrent_kernel)}. */
final class SimpleRNNCell extends RNNCell {

  private Variable<TFloat32> kernel;
  private Variable<TFloat32> recurrentKernel;
  private Variable<TFloat32> bias;

  SimpleRNNCell(int units) {
    super(units);
  }

  private SimpleRNNCell(SimpleRNNCell other) {
    super(other);
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
  void buildCell(long inputDim) {
    kernel = addWeight("kernel", Shape.of(inputDim, units), kernelInitializer, true);
    recurrentKernel = addWeight("recurrent_kernel", Shape.of(units, units), recurrentInitializer, true);
    if (useBias) {
      bias = addWeight("bias", Shape.of(units), biasInitializer, true);
    }
  }

  @Override
  List<Operand<TFloat32>> step(Operand<TFloat32> input, List<Operand<TFloat32>> states) {
    var tf = tf();
    Operand<TFloat32> h = tf.linalg.matMul(input, kernel.read(tf));
    if (bias != null) {
      h = tf.nn.biasAdd(h, bias.read(tf));
    }
    h = tf.math.add(h, tf.linalg.matMul(states.get(0), recurrentKernel.read(tf)));
    return List.of(activation.apply(tf, h));
  }
}
