package dev.tfkeras.layers;

import dev.tfkeras.activations.ActivationFunction;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Keras's {@code GRUCell}, gates in Keras's order z (update), r (reset), h (candidate) along the
 * last axis of the kernels: {@code z = σ(x_z + h_z)}, {@code r = σ(x_r + h_r)}, {@code h = z *
 * h_prev + (1 - z) * tanh(x_h + r * h_h)} where {@code x_* = x · kernel + input bias} and, with
 * {@code resetAfter} (the default), {@code h_* = h_prev · recurrent_kernel + recurrent bias}, the
 * bias being {@code (2, 3 * units)} (input bias, recurrent bias); without it the reset gate scales
 * {@code h_prev} before its product with the candidate's recurrent kernel, and the bias is {@code
 * (3 * units)}.
 */
final class GRUCell extends RNNCell {

  ActivationFunction recurrentActivation = Activation.SIGMOID;
  boolean resetAfter = true;

  GRUCell(int units) {
    super(units);
  }

  private GRUCell(GRUCell other) {
    super(other);
    recurrentActivation = other.recurrentActivation;
    resetAfter = other.resetAfter;
  }

  @Override
  int gates() {
    return 3;
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
  Shape biasShape() {
    return resetAfter ? Shape.of(2, 3L * units) : super.biasShape();
  }

  @Override
  Operand<TFloat32> inputBias(Ops tf) {
    return resetAfter ? biasRow(tf, 0) : super.inputBias(tf);
  }

  /** Row {@code row} of the {@code (2, 3 * units)} bias, or null without bias. */
  private Operand<TFloat32> biasRow(Ops tf, int row) {
    if (bias == null) {
      return null;
    }
    return perSequence("bias_" + row, () -> tf.unstack(bias.read(tf), 2L).output().get(row));
  }

  @Override
  List<Operand<TFloat32>> step(Operand<TFloat32> inputPart, List<Operand<TFloat32>> states) {
    Ops tf = tf();
    Operand<TFloat32> hPrev = states.get(0);
    Operand<TInt32> axis = perSequence("axis", () -> tf.constant(1));
    List<Operand<TFloat32>> x = List.copyOf(tf.split(axis, inputPart, 3L).output());
    Operand<TFloat32> z;
    Operand<TFloat32> r;
    Operand<TFloat32> candidate;
    if (resetAfter) {
      Operand<TFloat32> inner = tf.linalg.matMul(hPrev, recurrentValue(tf));
      Operand<TFloat32> recurrentBias = biasRow(tf, 1);
      if (recurrentBias != null) {
        inner = tf.nn.biasAdd(inner, recurrentBias);
      }
      List<Operand<TFloat32>> h = List.copyOf(tf.split(axis, inner, 3L).output());
      z = recurrentActivation.apply(tf, sum(tf, x.get(0), h.get(0)));
      r = recurrentActivation.apply(tf, sum(tf, x.get(1), h.get(1)));
      candidate = tf.math.mul(r, h.get(2));
    } else {
      // recurrent_kernel[:, :2u] for z and r, recurrent_kernel[:, 2u:] for the candidate
      Operand<TFloat32> zr = perSequence("recurrent_zr", () -> recurrentColumns(tf, 0, 2 * units));
      Operand<TFloat32> hh = perSequence("recurrent_h", () -> recurrentColumns(tf, 2 * units, units));
      List<Operand<TFloat32>> h = List.copyOf(tf.split(axis, tf.linalg.matMul(hPrev, zr), 2L).output());
      z = recurrentActivation.apply(tf, sum(tf, x.get(0), h.get(0)));
      r = recurrentActivation.apply(tf, sum(tf, x.get(1), h.get(1)));
      candidate = tf.linalg.matMul(tf.math.mul(r, hPrev), hh);
    }
    Operand<TFloat32> hh = activation.apply(tf, sum(tf, x.get(2), candidate));
    // z * h_prev + (1 - z) * hh, as hh + z * (h_prev - hh): fewer ops, equal up to rounding
    return List.of(sum(tf, hh, tf.math.mul(z, tf.math.sub(hPrev, hh))));
  }

  /**
   * Columns {@code [start, start + count)} of the recurrent kernel. (int32 bounds: the C++ gradient
   * of Slice fails on int64 ones.)
   */
  private Operand<TFloat32> recurrentColumns(Ops tf, int start, int count) {
    return tf.slice(recurrentValue(tf), tf.constant(new int[] {0, start}), tf.constant(new int[] {units, count}));
  }
}
