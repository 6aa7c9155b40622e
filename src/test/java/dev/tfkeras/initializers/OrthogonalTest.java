package dev.tfkeras.initializers;

import static dev.tfkeras.testing.Numeric.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.function.TfFunction;
import dev.tfkeras.runtime.GraphRuntime;
import dev.tfkeras.testing.FreshRuntime;
import dev.tfkeras.testing.Tensors;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

@ExtendWith(FreshRuntime.class)
class OrthogonalTest {

  /** The initializer's value for {@code shape}, with runtime seed {@code seed}. */
  static float[] sample(Initializer initializer, Shape shape, long seed) {
    var fn = TfFunction.returning(TFloat32.class, x -> initializer.create(TfFunction.ops(), shape, seed));
    try (TFloat32 dummy = Tensors.vector(0f);
        TFloat32 out = fn.call(dummy)) {
      assertEquals(shape, out.shape());
      return Tensors.read(out);
    }
  }

  /** Checks that the {@code rows x cols} matrix has orthonormal columns (or rows if wider), times gain. */
  private static void assertOrthogonal(float[] w, int rows, int cols, double gain) {
    boolean columns = rows >= cols;
    int count = columns ? cols : rows;
    int length = columns ? rows : cols;
    for (int i = 0; i < count; i++) {
      for (int j = i; j < count; j++) {
        double dot = 0;
        for (int k = 0; k < length; k++) {
          double a = columns ? w[k * cols + i] : w[i * cols + k];
          double b = columns ? w[k * cols + j] : w[j * cols + k];
          dot += a * b;
        }
        assertClose(i == j ? gain * gain : 0, dot, 1e-5, 1e-5, (columns ? "column" : "row") + "s " + i + "·" + j);
      }
    }
  }

  @Test
  void squareMatricesAreOrthogonal() {
    // As Keras's random_initializers_test test_orthogonal: (5, 5), gain 2, every column of norm 2
    float[] w = sample(new Orthogonal(2.0, 1234L), Shape.of(5, 5), 1);
    assertOrthogonal(w, 5, 5, 2.0);
  }

  @Test
  void tallMatricesHaveOrthonormalColumnsAndWideOnesRows() {
    assertOrthogonal(sample(new Orthogonal(3), Shape.of(40, 7), 1), 40, 7, 1);
    assertOrthogonal(sample(new Orthogonal(3), Shape.of(7, 40), 1), 7, 40, 1);
    // an LSTM's recurrent kernel (units, 4 units): orthonormal rows
    assertOrthogonal(sample(new Orthogonal(), Shape.of(16, 64), 99), 16, 64, 1);
  }

  @Test
  void higherRanksAreFlattenedToRowsByLastAxis() {
    // (3, 2, 4) is drawn as a (6, 4) matrix and reshaped
    assertOrthogonal(sample(new Orthogonal(5), Shape.of(3, 2, 4), 1), 6, 4, 1);
  }

  @Test
  void seedsMakeItReproducibleAndDifferentSeedsDiffer() {
    float[] first = sample(new Orthogonal(11), Shape.of(6, 6), 1);
    GraphRuntime.reset();
    float[] again = sample(new Orthogonal(11), Shape.of(6, 6), 2);
    assertArrayEquals(first, again, "a fixed seed ignores the runtime's");
    float[] other = sample(new Orthogonal(12), Shape.of(6, 6), 1);
    assertFalse(Arrays.equals(first, other));
    float[] fromRuntime = sample(new Orthogonal(), Shape.of(6, 6), 77);
    float[] fromOtherRuntimeSeed = sample(new Orthogonal(), Shape.of(6, 6), 78);
    assertFalse(Arrays.equals(fromRuntime, fromOtherRuntimeSeed), "unseeded: the runtime's seed decides");
  }

  @Test
  void entriesAreSymmetricAroundZero() {
    // Q times sign(diag(R)) is uniformly distributed over orthogonal matrices: over many draws,
    // half the entries are positive.
    int positive = 0;
    int total = 0;
    for (long seed = 1; seed <= 20; seed++) {
      for (float v : sample(new Orthogonal(seed), Shape.of(8, 8), 1)) {
        positive += v > 0 ? 1 : 0;
        total++;
      }
    }
    assertEquals(0.5, positive / (double) total, 0.06);
  }

  @Test
  void refusesVectors() {
    var e = assertThrows(IllegalArgumentException.class, () -> sample(new Orthogonal(), Shape.of(5), 1));
    assertEquals(
        "The tensor to initialize must be at least two-dimensional. Received: shape=[5] of rank 1.",
        e.getMessage());
  }

  @Test
  void randomUniformStaysInItsRangeWithTheRightMoments() {
    float[] w = sample(new RandomUniform(), Shape.of(200, 100), 3);
    double sum = 0;
    double sumSq = 0;
    for (float v : w) {
      assertTrue(v >= -0.05f && v < 0.05f, "value " + v + " outside [-0.05, 0.05)");
      sum += v;
      sumSq += v * (double) v;
    }
    double mean = sum / w.length;
    assertEquals(0, mean, 0.001, "mean");
    assertEquals(0.1 * 0.1 / 12, sumSq / w.length - mean * mean, 0.03 * 0.1 * 0.1 / 12, "variance of U[-0.05, 0.05)");
    float[] shifted = sample(new RandomUniform(2f, 3f, 5L), Shape.of(1000), 3);
    for (float v : shifted) {
      assertTrue(v >= 2f && v < 3f, "value " + v + " outside [2, 3)");
    }
    assertThrows(IllegalArgumentException.class, () -> new RandomUniform(1f, 0f));
  }
}
