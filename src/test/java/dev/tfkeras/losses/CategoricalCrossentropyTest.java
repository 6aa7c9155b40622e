package dev.tfkeras.losses;

import static dev.tfkeras.losses.LossRunner.clip;
import static dev.tfkeras.losses.LossRunner.eval;
import static dev.tfkeras.losses.LossRunner.logSumExp;
import static dev.tfkeras.losses.LossRunner.row;
import static dev.tfkeras.losses.LossRunner.sum;
import static dev.tfkeras.losses.LossRunner.traceError;
import static dev.tfkeras.testing.Numeric.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tfkeras.testing.FreshRuntime;
import dev.tfkeras.testing.Tensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** Values of the dense cross-entropy against hand-computed numbers, and its target checks. */
@ExtendWith(FreshRuntime.class)
class CategoricalCrossentropyTest {

  private static final float[] LOGITS = {
    2.0f, 1.0f, 0.1f,
    0.5f, 2.5f, -0.3f,
    -1.2f, 0.3f, 3.0f
  };
  // one-hot, one-hot, soft
  private static final float[] TARGETS = {
    1f, 0f, 0f,
    0f, 0f, 1f,
    0.1f, 0.6f, 0.3f
  };

  @Test
  void fromLogitsAllReductions() {
    // -Σ t · log softmax(z) = Σ t · (logsumexp(z) - z)
    double[] perSample = new double[3];
    for (int r = 0; r < 3; r++) {
      double[] z = row(LOGITS, 3, r);
      double[] t = row(TARGETS, 3, r);
      double lse = logSumExp(z);
      for (int c = 0; c < 3; c++) {
        perSample[r] += t[c] * (lse - z[c]);
      }
    }
    try (TFloat32 p = Tensors.floats(LOGITS, 3, 3);
        TFloat32 y = Tensors.floats(TARGETS, 3, 3)) {
      assertClose(perSample, eval(new CategoricalCrossentropy(true, Reduction.NONE), y, p), 1e-5, 1e-6,
          "none");
      assertClose(sum(perSample), eval(new CategoricalCrossentropy(true, Reduction.SUM), y, p)[0],
          1e-5, 1e-6, "sum");
      assertClose(sum(perSample) / 3, eval(new CategoricalCrossentropy(true), y, p)[0], 1e-5, 1e-6,
          "mean");
    }
  }

  @Test
  void fromProbabilitiesNormalizesAndClips() {
    float[] probs = {
      0.7f, 0.2f, 0.1f,
      0.5f, 0.5f, 0.0f, // the target class has probability 0: clipped to 1e-7
      2.0f, 1.0f, 1.0f // unnormalized: read as (.5, .25, .25)
    };
    double[] perSample = new double[3];
    for (int r = 0; r < 3; r++) {
      double[] q = row(probs, 3, r);
      double[] t = row(TARGETS, 3, r);
      double total = sum(q);
      for (int c = 0; c < 3; c++) {
        perSample[r] -= t[c] * Math.log(clip(q[c] / total));
      }
    }
    assertEquals(-Math.log(1e-7), perSample[1], 1e-9);
    assertEquals(-(0.1f * Math.log(0.5) + 0.6f * Math.log(0.25) + 0.3f * Math.log(0.25)), perSample[2], 1e-12);
    try (TFloat32 p = Tensors.floats(probs, 3, 3);
        TFloat32 y = Tensors.floats(TARGETS, 3, 3)) {
      assertClose(perSample, eval(new CategoricalCrossentropy(false, Reduction.NONE), y, p), 1e-5, 1e-6,
          "none");
      assertClose(sum(perSample), eval(new CategoricalCrossentropy(false, Reduction.SUM), y, p)[0],
          1e-5, 1e-6, "sum");
      assertClose(sum(perSample) / 3, eval(new CategoricalCrossentropy(), y, p)[0], 1e-5, 1e-6,
          "default: probabilities, mean");
    }
  }

  @Test
  void integerOneHotTargetsAreAccepted() {
    int[] oneHot = {1, 0, 0, 0, 0, 1, 0, 1, 0};
    double want = 0;
    int[] classes = {0, 2, 1};
    for (int r = 0; r < 3; r++) {
      double[] z = row(LOGITS, 3, r);
      want += logSumExp(z) - z[classes[r]];
    }
    try (TFloat32 p = Tensors.floats(LOGITS, 3, 3);
        TInt32 y = Tensors.ints(oneHot, 3, 3)) {
      assertClose(want / 3, eval(new CategoricalCrossentropy(true), y, p)[0], 1e-5, 1e-6, "mean");
    }
  }

  @Test
  void targetsWithAnotherLastAxisAreRejected() {
    try (TFloat32 p = Tensors.floats(LOGITS, 3, 3);
        TFloat32 y = Tensors.floats(new float[] {1f, 0f, 0f, 1f, 1f, 0f}, 3, 2)) {
      assertEquals(
          "Targets of shape (None, 2) do not match predictions of shape (None, 3) on the last axis.",
          traceError(new CategoricalCrossentropy(true), y, p));
    }
  }

  @Test
  void classIndicesAreRejectedWithAHint() {
    try (TFloat32 p = Tensors.floats(LOGITS, 3, 3);
        TInt32 y = Tensors.ints(new int[] {0, 2, 1}, 3)) {
      assertEquals(
          "Targets must have the same rank as the predictions (None, 3), received targets of shape"
              + " (None,). Integer class labels need SparseCategoricalCrossentropy or"
              + " SparseCategoricalAccuracy.",
          traceError(new CategoricalCrossentropy(false), y, p));
    }
  }

  @Test
  void labelSmoothingSpreadsMassOverTheClasses() {
    // t·(1 - s) + s/3: a one-hot row (1, 0, 0) with s = 0.3 becomes (0.8, 0.1, 0.1)
    double s = 0.3;
    double[] fromLogits = new double[3];
    double[] fromProbs = new double[3];
    float[] probs = {0.7f, 0.2f, 0.1f, 0.5f, 0.25f, 0.25f, 0.1f, 0.6f, 0.3f};
    for (int r = 0; r < 3; r++) {
      double[] z = row(LOGITS, 3, r);
      double[] t = row(TARGETS, 3, r);
      double[] q = row(probs, 3, r);
      double lse = logSumExp(z);
      for (int c = 0; c < 3; c++) {
        double smoothed = t[c] * (1 - s) + s / 3;
        fromLogits[r] += smoothed * (lse - z[c]);
        fromProbs[r] -= smoothed * Math.log(clip(q[c] / sum(q)));
      }
    }
    assertEquals(0.8 * (logSumExp(row(LOGITS, 3, 0)) - 2.0) + 0.1 * (logSumExp(row(LOGITS, 3, 0)) - 1.0)
        + 0.1 * (logSumExp(row(LOGITS, 3, 0)) - 0.1f), fromLogits[0], 1e-12);
    try (TFloat32 z = Tensors.floats(LOGITS, 3, 3);
        TFloat32 p = Tensors.floats(probs, 3, 3);
        TFloat32 y = Tensors.floats(TARGETS, 3, 3)) {
      assertClose(fromLogits, eval(new CategoricalCrossentropy(true, s, Reduction.NONE), y, z), 1e-5, 1e-6,
          "logits");
      assertClose(sum(fromProbs) / 3, eval(new CategoricalCrossentropy(false, s, Reduction.SUM_OVER_BATCH_SIZE),
          y, p)[0], 1e-5, 1e-6, "probabilities, mean");
    }
  }

  @Test
  void aOneUnitOutputPointsToBinaryCrossentropy() {
    try (TFloat32 p = Tensors.floats(new float[] {0.3f, 0.8f}, 2, 1);
        TFloat32 y = Tensors.floats(new float[] {0f, 1f}, 2, 1)) {
      assertEquals(
          "CategoricalCrossentropy received predictions of shape (None, 1): one unit holds no"
              + " distribution over classes, so the loss would be 0 whatever the prediction. For a"
              + " binary classifier with one sigmoid unit use BinaryCrossentropy"
              + " (\"binary_crossentropy\") with 0/1 targets; for N classes give the output layer N"
              + " units.",
          traceError(new CategoricalCrossentropy(), y, p));
    }
  }

  @Test
  void nameAndSettings() {
    var loss = new CategoricalCrossentropy(true, 0.1, Reduction.NONE);
    assertEquals("categorical_crossentropy", loss.name());
    assertEquals(true, loss.fromLogits());
    assertEquals(0.1, loss.labelSmoothing(), 1e-7);
    assertEquals(0.0, new CategoricalCrossentropy(true, Reduction.SUM).labelSmoothing());
    var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> new CategoricalCrossentropy(false, -0.1, Reduction.NONE));
    assertEquals(
        "categorical_crossentropy: labelSmoothing must be in [0, 1], received labelSmoothing=-0.1.",
        e.getMessage());
  }
}
