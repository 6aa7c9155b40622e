package dev.tfkeras.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Assertions on float32 results against values computed in Java doubles. */
public final class Numeric {

  private Numeric() {}

  /** |actual - expected| <= rel * |expected| + abs. */
  public static void assertClose(double expected, double actual, double rel, double abs, String what) {
    double tolerance = rel * Math.abs(expected) + abs;
    if (!(Math.abs(actual - expected) <= tolerance)) {
      fail(what + ": expected " + expected + " but was " + actual + " (difference "
          + Math.abs(actual - expected) + " > tolerance " + tolerance + ")");
    }
  }

  /** Element-wise {@link #assertClose(double, double, double, double, String)}. */
  public static void assertClose(double[] expected, float[] actual, double rel, double abs, String what) {
    assertEquals(expected.length, actual.length, what + ": element count");
    for (int i = 0; i < expected.length; i++) {
      assertClose(expected[i], actual[i], rel, abs, what + "[" + i + "]");
    }
  }

  /**
   * Checks weights after optimizer steps. The brief tolerance 1e-5 relative to the weight alone
   * would accept any update that is small next to the weight (Adam moves by about lr = 1e-3), so
   * the displacement from the start must also agree to 0.1%.
   */
  public static void assertWeights(double[] expected, float[] actual, float[] start, String what) {
    assertEquals(expected.length, actual.length, what + ": element count");
    for (int i = 0; i < expected.length; i++) {
      double e = expected[i];
      double a = actual[i];
      String where = what + "[" + i + "]";
      assertClose(e, a, 1e-5, 1e-7, where);
      double displacement = e - start[i];
      assertClose(displacement, a - start[i], 1e-3, 3e-7 * Math.max(1, Math.abs(start[i])),
          where + " displacement");
    }
  }

  /** Doubles of a float array. */
  public static double[] toDoubles(float[] values) {
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }
}
