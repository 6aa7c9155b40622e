package dev.tfkeras.layers;

import java.util.Arrays;

/** {height, width} settings of the 2-D layers: validation in Keras's words. */
final class Pairs {

  private Pairs() {}

  /** Both values positive (kernel sizes, strides, dilation rates, pool sizes); a copy. */
  static int[] positive(String what, int[] values) {
    if (values == null || values.length != 2 || values[0] <= 0 || values[1] <= 0) {
      throw new IllegalArgumentException(
          "Received an invalid value for `" + what + "`, expected two positive integers. Received: "
              + what + "=" + Arrays.toString(values));
    }
    return values.clone();
  }

  /** Both values zero or more (paddings); a copy. */
  static int[] nonNegative(String what, int[] values) {
    if (values == null || values.length != 2 || values[0] < 0 || values[1] < 0) {
      throw new IllegalArgumentException(
          "Received an invalid value for `" + what + "`, expected two non-negative integers."
              + " Received: " + what + "=" + Arrays.toString(values));
    }
    return values.clone();
  }

  /** The same value on both axes. */
  static int[] twice(int value) {
    return new int[] {value, value};
  }

  /** Whether either value exceeds 1. */
  static boolean anyAboveOne(int[] values) {
    return values[0] > 1 || values[1] > 1;
  }

  /** Keras forbids strides and dilation rates both above 1 in one convolution. */
  static void checkStridesWithDilation(int[] strides, int[] dilationRate) {
    if (anyAboveOne(strides) && anyAboveOne(dilationRate)) {
      throw new IllegalArgumentException(
          "`strides > 1` not supported in conjunction with `dilation_rate > 1`. Received: strides="
              + Arrays.toString(strides) + " and dilation_rate=" + Arrays.toString(dilationRate));
    }
  }

  /** The extent of a kernel of {@code size} taps spread {@code rate} apart: rate·(size − 1) + 1. */
  static long dilated(int size, int rate) {
    return (long) rate * (size - 1) + 1;
  }
}
