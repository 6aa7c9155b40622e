package dev.tfkeras.layers;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Squeeze;
import org.tensorflow.op.core.StridedSlice;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The 2-D convolution ops, rewritten around configurations that TensorFlow 2.18's oneDNN CPU
 * kernels (TensorFlow Java 1.1.0, {@code TF_ENABLE_ONEDNN_OPTS} on, the default) compute wrongly.
 * Measured on an AMD EPYC (Zen 5, AVX-512) against plain-Java references and against the same graph
 * with {@code TF_ENABLE_ONEDNN_OPTS=0}, which is right everywhere:
 *
 * <ul>
 *   <li>{@code Conv2DBackpropInput} (the transposed convolution, and the input gradient of every
 *       convolution) with one input and one output channel and a stride above 1: wrong in 155 of
 *       177 random strided configurations, off by up to 1.0 on values of size 1;
 *   <li>{@code Conv2DBackpropInput} whose result has {@code C > 32} channels with {@code C mod 32}
 *       in 1..16 (33–48, 65–80, 97–112, ...), at any stride: wrong in nearly every configuration
 *       (for more than one channel on the other side), off by up to 9;
 *   <li>{@code Conv2D} with a kernel of width 1 and a stride above 1 along it, with many input
 *       channels: wrong in a few configurations (3 of 550 random), off by up to 4; and, at stride 1, with a
 *       kernel {@code (kh > 1, 1)} over an input 1 pixel wide with about 17–32 channels (6 of 51
 *       random), off by up to 1.4;
 *   <li>the kernel gradient ({@code Conv2DBackpropFilter}) of a transposed convolution with a 1x1
 *       kernel and a stride above 1: aborts the JVM (heap corruption freeing oneDNN's {@code
 *       jit_avx512_common_1x1_convolution_bwd_weights} descriptor) in 2 of 2 runs of 40.
 * </ul>
 *
 * <p>The rewrites are exact arithmetic, so they give the same numbers on every CPU: the result
 * channels of {@code Conv2DBackpropInput} are padded with zeros (zero kernel slices) to a count the
 * kernel gets right, and a stride along an axis where the kernel is 1 wide becomes a strided slice
 * of the input followed by stride 1 (the convolution reads exactly those pixels), and a column
 * 1 pixel wide is convolved as a row 1 pixel high (the layout of {@link Conv1D}, right there), and
 * a strided transposed 1x1 kernel gets a zero second tap. {@code
 * OneDnnCrossCheckTest} repeats the comparison on every machine the tests run on.
 */
final class OneDnnSafe {

  private OneDnnSafe() {}

  /**
   * The channel count to give the result of a {@code Conv2DBackpropInput} of {@code channels}
   * result channels from {@code other} channels: {@code channels} itself unless oneDNN is known
   * to get that count wrong (see the class comment).
   */
  static long backpropChannels(long channels, long other, boolean strided) {
    long rest = channels % 32;
    if (channels > 32 && rest >= 1 && rest <= 16) {
      return channels - rest + 32;
    }
    if (channels == 1 && other == 1 && strided) {
      return 2;
    }
    return channels;
  }

  /**
   * {@code conv2d(x, kernel)} with the kernel {@code (kh, kw, in, out)}, {@code strides} {height,
   * width} and {@code padding} ("SAME" or "VALID"), computed so that neither it nor its gradients
   * meet a configuration of the class comment. Plain {@code conv2d} for every configuration not
   * listed there (in particular every stride-1 convolution with at most 32 input channels).
   */
  static Operand<TFloat32> conv2d(
      Ops tf, Operand<TFloat32> x, Operand<TFloat32> kernel, int[] strides, String padding) {
    long[] k = kernel.shape().asArray();
    int[] step = strides.clone();
    int[] slice = {1, 1};
    for (int axis = 0; axis < 2; axis++) {
      if (k[axis] == 1 && step[axis] > 1) {
        slice[axis] = step[axis];
        step[axis] = 1;
      }
    }
    if (Pairs.anyAboveOne(slice)) {
      // a kernel 1 wide along an axis reads pixels 0, s, 2s, ... there, with VALID and SAME alike
      x = tf.stridedSlice(
          x,
          tf.constant(new int[] {0, 0, 0, 0}),
          tf.constant(new int[] {0, 0, 0, 0}),
          tf.constant(new int[] {1, slice[0], slice[1], 1}),
          StridedSlice.beginMask(0b1111L),
          StridedSlice.endMask(0b1111L));
    }
    if (k[1] == 1 && k[0] > 1 && x.shape().get(2) == 1) {
      // a column: convolve it as a row, (b, h, 1, c) -> (b, 1, h, c) moves no data
      Operand<TFloat32> row = tf.expandDims(tf.squeeze(x, Squeeze.axis(List.of(2L))), tf.constant(1));
      Operand<TFloat32> flat = tf.reshape(kernel, tf.constant(new long[] {1, k[0], k[2], k[3]}));
      Operand<TFloat32> y = conv2d(tf, row, flat, new int[] {1, step[0]}, padding);
      return tf.expandDims(tf.squeeze(y, Squeeze.axis(List.of(1L))), tf.constant(2));
    }
    long channels = backpropChannels(k[2], k[3], Pairs.anyAboveOne(step));
    if (channels > k[2]) {
      int extra = (int) (channels - k[2]);
      x = tf.pad(x, tf.constant(new int[][] {{0, 0}, {0, 0}, {0, 0}, {0, extra}}), tf.constant(0f));
      kernel =
          tf.pad(kernel, tf.constant(new int[][] {{0, 0}, {0, 0}, {0, extra}, {0, 0}}), tf.constant(0f));
    }
    return tf.nn.conv2d(x, kernel, List.of(1L, (long) step[0], (long) step[1], 1L), padding);
  }

  /**
   * The transposed convolution {@code conv2dBackpropInput(outputShape, kernel, x)} with the kernel
   * {@code (kh, kw, out, in)} and {@code outputShape} {@code [batch, height, width, out]}, computed
   * so that it avoids the {@code Conv2DBackpropInput} configurations of the class comment.
   */
  static Operand<TFloat32> conv2dTranspose(
      Ops tf,
      List<Operand<TInt32>> outputShape,
      Operand<TFloat32> kernel,
      Operand<TFloat32> x,
      int[] strides,
      String padding) {
    long[] k = kernel.shape().asArray();
    boolean strided = Pairs.anyAboveOne(strides);
    long out = k[2];
    long in = k[3];
    long outChannels = backpropChannels(out, in, strided);
    if (outChannels == 2 && out == 1) {
      // one channel each side: a zero second input channel is cheaper than a second output one
      x = tf.pad(x, tf.constant(new int[][] {{0, 0}, {0, 0}, {0, 0}, {0, 1}}), tf.constant(0f));
      kernel = tf.pad(kernel, tf.constant(new int[][] {{0, 0}, {0, 0}, {0, 0}, {0, 1}}), tf.constant(0f));
      outChannels = out;
    }
    List<Operand<TInt32>> shape = new java.util.ArrayList<>(outputShape);
    int widened = -1;
    if (k[0] == 1 && k[1] == 1 && strided) {
      // A 1x1 kernel puts x[i] at output i·s with either padding. A zero second tap along a strided
      // axis keeps that, with a VALID output 1 longer there (in VALID's range), cropped after.
      widened = strides[0] > 1 ? 0 : 1;
      int[][] tap = new int[4][2];
      tap[widened][1] = 1;
      kernel = tf.pad(kernel, tf.constant(tap), tf.constant(0f));
      shape.set(widened + 1, tf.math.add(shape.get(widened + 1), tf.constant(1)));
      padding = "VALID";
    }
    if (outChannels > out) {
      int extra = (int) (outChannels - out);
      kernel =
          tf.pad(kernel, tf.constant(new int[][] {{0, 0}, {0, 0}, {0, extra}, {0, 0}}), tf.constant(0f));
      shape.set(3, tf.constant((int) outChannels));
    }
    Operand<TFloat32> y =
        tf.nn.conv2dBackpropInput(
            tf.stack(shape), kernel, x, List.of(1L, (long) strides[0], (long) strides[1], 1L), padding);
    if (widened >= 0) {
      int[] end = {0, 0, 0, 0};
      end[widened + 1] = -1;
      y = tf.stridedSlice(
          y,
          tf.constant(new int[] {0, 0, 0, 0}),
          tf.constant(end),
          tf.constant(new int[] {1, 1, 1, 1}),
          StridedSlice.beginMask(0b1111L),
          StridedSlice.endMask(0b1111L & ~(1L << (widened + 1))));
    }
    if (outChannels > out) {
      y = tf.stridedSlice(
          y,
          tf.constant(new int[] {0, 0, 0, 0}),
          tf.constant(new int[] {0, 0, 0, (int) out}),
          tf.constant(new int[] {1, 1, 1, 1}),
          StridedSlice.beginMask(0b1111L),
          StridedSlice.endMask(0b0111L));
    }
    return y;
  }
}
