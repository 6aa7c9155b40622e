package dev.tfkeras.testing;

import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TUint8;

/** Makes small host tensors from Java arrays and reads them back, for numeric tests. */
public final class Tensors {

  private Tensors() {}

  /** A float32 tensor of {@code shape} holding {@code values} in row-major order. */
  public static TFloat32 floats(float[] values, long... shape) {
    return TFloat32.tensorOf(checked(values.length, shape), DataBuffers.of(values, true, false));
  }

  /** A float32 vector. */
  public static TFloat32 vector(float... values) {
    return floats(values, values.length);
  }

  /** An int32 tensor of {@code shape}. */
  public static TInt32 ints(int[] values, long... shape) {
    return TInt32.tensorOf(checked(values.length, shape), DataBuffers.of(values, true, false));
  }

  /** An int64 tensor of {@code shape}. */
  public static TInt64 longs(long[] values, long... shape) {
    return TInt64.tensorOf(checked(values.length, shape), DataBuffers.of(values, true, false));
  }

  /** A uint8 tensor of {@code shape}; values must lie in [0, 255]. */
  public static TUint8 bytes(int[] values, long... shape) {
    byte[] raw = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      if (values[i] < 0 || values[i] > 255) {
        throw new IllegalArgumentException("uint8 value out of range: " + values[i]);
      }
      raw[i] = (byte) values[i];
    }
    return TUint8.tensorOf(checked(values.length, shape), DataBuffers.of(raw, true, false));
  }

  /** All elements of {@code tensor}, row-major. Does not close the tensor. */
  public static float[] read(TFloat32 tensor) {
    float[] out = new float[(int) tensor.shape().size()];
    tensor.copyTo(DataBuffers.of(out, false, false));
    return out;
  }

  private static Shape checked(int count, long[] shape) {
    Shape s = Shape.of(shape);
    if (s.size() != count) {
      throw new IllegalArgumentException(
          "Shape " + s + " holds " + s.size() + " values, received " + count + ".");
    }
    return s;
  }
}
