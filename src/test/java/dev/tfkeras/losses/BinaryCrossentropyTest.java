package dev.tfkeras.losses;

import static dev.tfkeras.losses.LossRunner.eval;
import static dev.tfkeras.losses.LossRunner.sum;
import static dev.tfkeras.losses.LossRunner.traceError;
import static dev.tfkeras.testing.Numeric.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tfkeras.testing.FreshRuntime;
import dev.tfkeras.testing.Tensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TUint8;

/** Binary cross-entropy against the formula in doubles, with and without logits and smoothing. */
@ExtendWith(FreshRuntime.class)
class BinaryCrossentropyTest {

  // Keras's docstring example: (batch 2, 2 labels each)
  private static final float[] TARGETS = {0f, 1f, 0f, 0f};
  private static final float[] LOGITS = {-18.6f, 0.51f, 2.94f, -12.8f};
  private static final float[] PROBS = {0.6f, 0.4f, 0.4f, 0.6f};
  /** 1 - 1e-7 as float32 (0.99999988): the upper clip bound TensorFlow applies. */
  private static final double UPPER = 1f - 1e-7f;
  private static final double LOWER = 1e-7f;

  /** max(x, 0) - x·t + log(1 + exp(-|x|)), i.e. -t·log σ(x) - (1 - t)·log(1 - σ(x)). */
  private static double fromLogits(double t, double x) {
    return Math.max(x, 0) - x * t + Math.log1p(Math.exp(-Math.abs(x)));
  }

  private static double fromProbability(double t, double p) {
    double q = Math.min(Math.max(p, LOWER), UPPER);
    return -(t * Math.log(q) + (1 - t) * Math.log(1 - q));
  }

  /** Mean over the last axis (cols) of f(t, p), per row. */
  private static double[] perRow(float[] t, float[] p, int cols, double smoothing, boolean logits) {
    double[] out = new double[t.length / cols];
    for (int i = 0; i < t.length; i++) {
      double target = t[i] * (1 - smoothing) + 0.5 * smoothing;
      out[i / cols] += (logits ? fromLogits(target, p[i]) : fromProbability(target, p[i])) / cols;
    }
    return out;
  }

  @Test
  void fromLogitsAllReductionsAndWeights() {
    double[] perSample = perRow(TARGETS, LOGITS, 2, 0, true);
    // the docstring's figures, to three digits
    assertEquals(0.235, perSample[0], 1e-3);
    assertEquals(1.496, perSample[1], 1e-3);
    try (TFloat32 p = Tensors.floats(LOGITS, 2, 2);
        TFloat32 y = Tensors.floats(TARGETS, 2, 2);
        TFloat32 w = Tensors.vector(0.8f, 0.2f)) {
      assertClose(perSample, eval(new BinaryCrossentropy(true, 0, Reduction.NONE), y, p), 1e-5, 1e-6, "none");
      assertClose(sum(perSample), eval(new BinaryCrossentropy(true, 0, Reduction.SUM), y, p)[0], 1e-5, 1e-6,
          "sum");
      assertClose(sum(perSample) / 2, eval(new BinaryCrossentropy(true), y, p)[0], 1e-5, 1e-6, "mean");
      assertClose((0.8 * perSample[0] + 0.2 * perSample[1]) / 2, eval(new BinaryCrossentropy(true), y, p, w)[0],
          1e-5, 1e-6, "weighted, divided by the batch size");
    }
  }

  @Test
  void fromProbabilitiesClipsLikeKeras() {
    float[] probs = {0.6f, 0.4f, 0.4f, 0.6f, 0f, 1f, 1f, 0f};
    float[] targets = {0f, 1f, 0f, 0f, 1f, 0f, 1f, 0f};
    double[] perSample = perRow(targets, probs, 2, 0, false);
    assertEquals(0.916, perSample[0], 1e-3);
    assertEquals(0.714, perSample[1], 1e-3);
    // certain and wrong: -log(1e-7) and -log(1 - 0.99999988), not infinity
    assertEquals((-Math.log(LOWER) - Math.log(1 - UPPER)) / 2, perSample[2], 1e-12);
    try (TFloat32 p = Tensors.floats(probs, 4, 2);
        TFloat32 y = Tensors.floats(targets, 4, 2)) {
      assertClose(perSample, eval(new BinaryCrossentropy(false, 0, Reduction.NONE), y, p), 1e-5, 1e-6, "none");
      assertClose(sum(perSample) / 4, eval(new BinaryCrossentropy(), y, p)[0], 1e-5, 1e-6,
          "default: probabilities, mean");
    }
  }

  @Test
  void labelSmoothingPullsTargetsTowardOneHalf() {
    double s = 0.2;
    double[] logits = perRow(TARGETS, LOGITS, 2, s, true);
    double[] probs = perRow(TARGETS, PROBS, 2, s, false);
    // target 1 becomes 0.9, target 0 becomes 0.1
    assertEquals(fromLogits(0.1, -18.6f) / 2 + fromLogits(0.9, 0.51f) / 2, logits[0], 1e-12);
    try (TFloat32 y = Tensors.floats(TARGETS, 2, 2);
        TFloat32 z = Tensors.floats(LOGITS, 2, 2);
        TFloat32 p = Tensors.floats(PROBS, 2, 2)) {
      assertClose(logits, eval(new BinaryCrossentropy(true, s, Reduction.NONE), y, z), 1e-5, 1e-6, "logits");
      assertClose(probs, eval(new BinaryCrossentropy(false, s, Reduction.NONE), y, p), 1e-5, 1e-6,
          "probabilities");
    }
  }

  @Test
  void aSigmoidUnitTakesRankOneTargetsOfAnyNumericType() {
    // (batch,) targets for (batch, 1) predictions: Keras expands the targets to (batch, 1)
    float[] logits = {1.5f, -0.3f, 0.2f, -2f};
    int[] labels = {1, 0, 0, 1};
    double[] want = new double[4];
    for (int i = 0; i < 4; i++) {
      want[i] = fromLogits(labels[i], logits[i]);
    }
    try (TFloat32 p = Tensors.floats(logits, 4, 1);
        TInt32 int32 = Tensors.ints(labels, 4);
        TInt64 int64 = Tensors.longs(new long[] {1, 0, 0, 1}, 4, 1);
        TUint8 uint8 = Tensors.bytes(labels, 4);
        TFloat64 float64 = LossRunner.doubles(new double[] {1, 0, 0, 1}, 4)) {
      var loss = new BinaryCrossentropy(true, 0, Reduction.NONE);
      assertClose(want, eval(loss, int32, p), 1e-5, 1e-6, "int32 (4,)");
      assertClose(want, eval(loss, int64, p), 1e-5, 1e-6, "int64 (4, 1)");
      assertClose(want, eval(loss, uint8, p), 1e-5, 1e-6, "uint8 (4,)");
      assertClose(want, eval(loss, float64, p), 1e-5, 1e-6, "float64 (4,)");
    }
  }

  @Test
  void mismatchedShapesAndBadSmoothingAreRejected() {
    try (TFloat32 p = Tensors.floats(LOGITS, 2, 2);
        TFloat32 y = Tensors.floats(new float[] {1, 0, 1, 0, 1, 0}, 2, 3)) {
      assertEquals(
          "Targets of shape (None, 3) do not match predictions of shape (None, 2) on the last axis.",
          traceError(new BinaryCrossentropy(true), y, p));
    }
    var e = assertThrows(IllegalArgumentException.class,
        () -> new BinaryCrossentropy(false, 1.5, Reduction.SUM_OVER_BATCH_SIZE));
    assertEquals("binary_crossentropy: labelSmoothing must be in [0, 1], received labelSmoothing=1.5.",
        e.getMessage());
  }

  @Test
  void nameAndSettings() {
    var loss = new BinaryCrossentropy(true, 0.1, Reduction.SUM);
    assertEquals("binary_crossentropy", loss.name());
    assertEquals(true, loss.fromLogits());
    assertEquals(0.1, loss.labelSmoothing(), 1e-7);
    assertEquals(Reduction.SUM, loss.reduction());
    assertEquals(false, new BinaryCrossentropy().fromLogits());
  }
}
