package dev.tfkeras.utils;

import org.tensorflow.ndarray.BooleanNdArray;
import org.tensorflow.ndarray.ByteNdArray;
import org.tensorflow.ndarray.DoubleNdArray;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.IntNdArray;
import org.tensorflow.ndarray.LongNdArray;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.ndarray.StdArrays;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * Host data as Keras's utilities take NumPy arrays: an {@link NdArray} or a rectangular Java array,
 * of any numeric dtype; read as doubles where statistics are computed ({@code adapt}).
 */
public final class HostArrays {

  private HostArrays() {}

  /**
   * {@code data} as an {@link NdArray}: itself, or a copy of a rectangular Java array of float,
   * double, int or long of rank 1 to 4.
   *
   * @param what how messages name the argument
   */
  public static NdArray<?> asNdArray(Object data, String what) {
    if (data instanceof NdArray<?> array) {
      return array;
    }
    if (data instanceof float[] a) return StdArrays.ndCopyOf(a);
    if (data instanceof float[][] a) return StdArrays.ndCopyOf(a);
    if (data instanceof float[][][] a) return StdArrays.ndCopyOf(a);
    if (data instanceof float[][][][] a) return StdArrays.ndCopyOf(a);
    if (data instanceof double[] a) return StdArrays.ndCopyOf(a);
    if (data instanceof double[][] a) return StdArrays.ndCopyOf(a);
    if (data instanceof double[][][] a) return StdArrays.ndCopyOf(a);
    if (data instanceof double[][][][] a) return StdArrays.ndCopyOf(a);
    if (data instanceof int[] a) return StdArrays.ndCopyOf(a);
    if (data instanceof int[][] a) return StdArrays.ndCopyOf(a);
    if (data instanceof int[][][] a) return StdArrays.ndCopyOf(a);
    if (data instanceof long[] a) return StdArrays.ndCopyOf(a);
    if (data instanceof long[][] a) return StdArrays.ndCopyOf(a);
    if (data instanceof long[][][] a) return StdArrays.ndCopyOf(a);
    throw new IllegalArgumentException(
        "Unsupported data type: " + (data == null ? "null" : data.getClass().getSimpleName())
            + ". Expected " + what + ": an NdArray (a tensor included) or a Java array of float,"
            + " double, int or long of rank 1 to 4, e.g. float[][].");
  }

  /** Every value of {@code array} in row-major order, as doubles (uint8 read unsigned). */
  public static double[] toDoubles(NdArray<?> array) {
    long size = array.shape().size();
    if (size > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("The array of shape " + array.shape() + " is too large for one host batch.");
    }
    int n = (int) size;
    double[] out = new double[n];
    if (array instanceof DoubleNdArray d) {
      d.copyTo(DataBuffers.of(out, false, false));
    } else if (array instanceof FloatNdArray f) {
      float[] v = new float[n];
      f.copyTo(DataBuffers.of(v, false, false));
      for (int i = 0; i < n; i++) out[i] = v[i];
    } else if (array instanceof IntNdArray ints) {
      int[] v = new int[n];
      ints.copyTo(DataBuffers.of(v, false, false));
      for (int i = 0; i < n; i++) out[i] = v[i];
    } else if (array instanceof LongNdArray longs) {
      long[] v = new long[n];
      longs.copyTo(DataBuffers.of(v, false, false));
      for (int i = 0; i < n; i++) out[i] = v[i];
    } else if (array instanceof ByteNdArray bytes) {
      byte[] v = new byte[n];
      bytes.copyTo(DataBuffers.of(v, false, false));
      for (int i = 0; i < n; i++) out[i] = Byte.toUnsignedInt(v[i]);
    } else if (array instanceof BooleanNdArray bools) {
      boolean[] v = new boolean[n];
      bools.copyTo(DataBuffers.of(v, false, false));
      for (int i = 0; i < n; i++) out[i] = v[i] ? 1 : 0;
    } else {
      throw new IllegalArgumentException(
          "Expected numeric data (float32, float64, int32, int64, uint8 or bool), received "
              + array.getClass().getSimpleName() + ".");
    }
    return out;
  }
}
