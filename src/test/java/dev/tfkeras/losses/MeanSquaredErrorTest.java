package dev.tfkeras.losses;

import static dev.tfkeras.losses.LossRunner.eval;
import static dev.tfkeras.losses.LossRunner.sum;
import static dev.tfkeras.losses.LossRunner.traceError;
import static dev.tfkeras.testing.Numeric.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tfkeras.testing.FreshRuntime;
import dev.tfkeras.testing.Tensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.types.TFloat32;

/** Mean squared error: the mean over the last axis per sample, then the reduction. */
@ExtendWith(FreshRuntime.class)
class MeanSquaredErrorTest {

  private static final float[] PRED = {1.5f, -0.5f, 2f, 0f, 3f, 1f};
  private static final float[] TRUE = {1f, 0.5f, 2f, -2f, 0f, 0f};

  @Test
  void perSampleMeanAndReductions() {
    // rows: ((.5)² + 1² + 0²)/3 = 1.25/3, (2² + 3² + 1²)/3 = 14/3
    double[] perSample = {1.25 / 3, 14.0 / 3};
    try (TFloat32 p = Tensors.floats(PRED, 2, 3);
        TFloat32 y = Tensors.floats(TRUE, 2, 3)) {
      assertClose(perSample, eval(new MeanSquaredError(Reduction.NONE), y, p), 1e-6, 1e-7, "none");
      assertClose(sum(perSample), eval(new MeanSquaredError(Reduction.SUM), y, p)[0], 1e-6, 1e-7, "sum");
      assertClose(15.25 / 6, eval(new MeanSquaredError(), y, p)[0], 1e-6, 1e-7, "mean");
    }
  }

  @Test
  void mismatchedLastAxisIsRejected() {
    try (TFloat32 p = Tensors.floats(PRED, 2, 3);
        TFloat32 y = Tensors.floats(new float[] {1f, 2f, 3f, 4f}, 2, 2)) {
      assertEquals(
          "Targets of shape (None, 2) do not match predictions of shape (None, 3) on the last axis.",
          traceError(new MeanSquaredError(), y, p));
    }
  }

  @Test
  void targetsOfAnotherRankAreRejected() {
    try (TFloat32 p = Tensors.floats(PRED, 2, 3);
        TFloat32 y = Tensors.floats(new float[12], 2, 3, 2)) {
      assertEquals(
          "Targets must have the same rank as the predictions (None, 3), received targets of shape"
              + " (None, 3, 2).",
          traceError(new MeanSquaredError(), y, p));
    }
  }

  @Test
  void aTrailingUnitAxisOnTheTargetsIsSqueezedAsInKeras() {
    // Keras's squeeze_or_expand_to_same_rank: (batch, 3, 1) targets meet (batch, 3) predictions.
    try (TFloat32 p = Tensors.floats(PRED, 2, 3);
        TFloat32 y = Tensors.floats(TRUE, 2, 3, 1)) {
      assertClose(new double[] {1.25 / 3, 14.0 / 3}, eval(new MeanSquaredError(Reduction.NONE), y, p),
          1e-6, 1e-7, "none");
    }
  }

  @Test
  void rankOnePredictionsGiveOneValueAsInKeras() {
    // Keras averages over the last axis, which for (batch,) predictions is the batch itself.
    try (TFloat32 p = Tensors.vector(1f, 2f, 4f);
        TFloat32 y = Tensors.vector(0f, 2f, 2f)) {
      double mean = (1 + 0 + 4) / 3.0;
      assertClose(mean, eval(new MeanSquaredError(), y, p)[0], 1e-6, 1e-7, "mean");
      assertClose(mean, eval(new MeanSquaredError(Reduction.SUM), y, p)[0], 1e-6, 1e-7, "sum of one value");
    }
  }

  @Test
  void columnTargetsExpandRankOnePredictions() {
    // Keras: (batch, 1) targets and (batch,) predictions meet as (batch, 1): one value per sample,
    // where (batch,) and (batch,) give a single value
    try (TFloat32 p = Tensors.vector(1f, 2f, 4f);
        TFloat32 y = Tensors.floats(new float[] {0f, 2f, 2f}, 3, 1)) {
      assertClose(new double[] {1, 0, 4}, eval(new MeanSquaredError(Reduction.NONE), y, p), 1e-6, 1e-7, "none");
    }
  }
}
