package dev.tfkeras.datasets;

import java.util.Arrays;

/**
 * An n-dimensional array of unsigned 8-bit values in row-major order, as stored by IDX and {@code
 * .npy} files; the common result of {@link IdxReader} and {@link NpzReader}.
 *
 * @param shape the dimensions, outermost first
 * @param data the values, read with {@link #get(int)} as 0..255
 */
public record UInt8Array(long[] shape, byte[] data) {

  /**
   * @throws IllegalArgumentException if the shape has a negative dimension or does not describe
   *     {@code data.length} values
   */
  public UInt8Array {
    long size = 1;
    for (long dimension : shape) {
      if (dimension < 0) {
        throw new IllegalArgumentException(
            "dimensions must be zero or positive, received: shape " + Arrays.toString(shape));
      }
      size *= dimension;
    }
    if (size != data.length) {
      throw new IllegalArgumentException(
          "shape "
              + Arrays.toString(shape)
              + " describes "
              + size
              + " values, received: "
              + data.length
              + " bytes of data");
    }
  }

  /** Number of dimensions. */
  public int rank() {
    return shape.length;
  }

  /** Size of dimension {@code index}. */
  public long dim(int index) {
    return shape[index];
  }

  /** The value at row-major position {@code flatIndex}, in 0..255. */
  public int get(int flatIndex) {
    return data[flatIndex] & 0xFF;
  }

  @Override
  public String toString() {
    return "UInt8Array(shape=" + Arrays.toString(shape) + ")";
  }
}
