package dev.tfkeras.layers;

import dev.tfkeras.variables.Variable;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras's {@code GRUCell}, gates in Keras's order z (update), r (reset), h (candidate) along the
 * last axis of the kernels: {@code z = σ(x_z + h_z)}, {@code r = σ(x_r + h_r)}, {@code h = z *
 * h_prev + (1 - z) * tanh(x_h + r * h_h)} where {@code x_* = x · kernel + input bias} and, with
 * {@code resetAfter} (the default), {@code h_* = h_prev · recurrent_kernel + recurrent bias}, the
 * bias being {@code (2, 3 * units)}; without it the reset gate scales {@code h_prev} before its
 * product with the candidate's recurrent kernel, and the bias is {@code (3 * units)}.
 */
final class GRUCell extends RNNCell {

  Activation recurrentActivation = Activation.SIGMOID;
  boolean resetAfter = true;
  private Variable<TFloat32> kernel;
  private Variable<TFloat32> recurrentKernel;
  private Variable<TFloat32> bias;

  GRUCell(int units) {
    super(units);
  }

  private GRUCell(GRUCell other) {
    super(other);
    recurrentActivation = other.recurrentActivation;
    resetAfter = other.resetAfter;
  }

  @Override
  int stateCount() {
    return 1;
  }

  @Override
  RNNCell copy() {
    return new GRUCell(this);
  }

  @Override
  void buildCell(long inputDim) {
    kernel = addWeight("kernel", Shape.of(inputDim, 3L * units), kernelInitializer, true);
    recurrentKernel =
        addWeight("recurrent_kernel", Shape.of(units, 3L * units), recurrentInitializer, true);
    if (useBias) {
      Shape shape = resetAfter ? Shape.of(2, 3L * units) : Shape.of(3L * units);
      bias = addWeight("bias", shape, biasInitializer, true);
    }
  }

  @Override
  List<Operand<TFloat32>> step(Operand<TFloat32> input, List<Operand<TFloat32>> states) {
    Ops tf = tf();
    Operand<TFloat32> hPrev = states.get(0);
    Operand<TFloat32> inputBias = null;
    Operand<TFloat32> recurrentBias = null;
    if (bias != null) {
      if (resetAfter) {
        List<Operand<TFloat32>> biases = List.copyOf(tf.unstack(bias.read(tf), 2L).output());
        inputBias = biases.get(0);
        recurrentBias = biases.get(1);
      } else {
        inputBias = bias.read(tf);
      }
    }
    Operand<TFloat32> matrixX = tf.linalg.matMul(input, kernel.read(tf));
    if (inputBias != null) {
      matrixX = tf.nn.biasAdd(matrixX, inputBias);
    }
    List<Operand<TFloat32>> x = List.copyOf(tf.split(tf.constant(1), matrixX, 3L).output());
    Operand<TFloat32> recurrent = recurrentKernel.read(tf);
    Operand<TFloat32> z;
    Operand<TFloat32> r;
    Operand<TFloat32> candidate;
    if (resetAfter) {
      Operand<TFloat32> inner = tf.linalg.matMul(hPrev, recurrent);
      if (recurrentBias != null) {
        inner = tf.nn.biasAdd(inner, recurrentBias);
      }
      List<Operand<TFloat32>> h = List.copyOf(tf.split(tf.constant(1), inner, 3L).output());
      z = recurrentActivation.apply(tf, tf.math.add(x.get(0), h.get(0)));
      r = recurrentActivation.apply(tf, tf.math.add(x.get(1), h.get(1)));
      candidate = tf.math.mul(r, h.get(2));
    } else {
      List<Operand<TFloat32>> kernels =
          List.copyOf(tf.splitV(recurrent, tf.constant(new long[] {2L * units, units}), tf.constant(1), 2L).output());
      List<Operand<TFloat32>> h =
          List.copyOf(tf.split(tf.constant(1), tf.linalg.matMul(hPrev, kernels.get(0)), 2L).output());
      z = recurrentActivation.apply(tf, tf.math.add(x.get(0), h.get(0)));
      r = recurrentActivation.apply(tf, tf.math.add(x.get(1), h.get(1)));
      candidate = tf.linalg.matMul(tf.math.mul(r, hPrev), kernels.get(1));
    }
    Operand<TFloat32> hh = activation.apply(tf, tf.math.add(x.get(2), candidate));
    // h = z * h_prev + (1 - z) * hh
    Operand<TFloat32> h =
        tf.math.add(tf.math.mul(z, hPrev), tf.math.mul(tf.math.sub(tf.constant(1f), z), hh));
    return List.of(h);
  }
}
