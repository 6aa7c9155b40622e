package dev.tfkeras.losses;

import static dev.tfkeras.losses.LossRunner.dot;
import static dev.tfkeras.losses.LossRunner.eval;
import static dev.tfkeras.losses.LossRunner.sum;
import static dev.tfkeras.losses.LossRunner.traceError;
import static dev.tfkeras.testing.Numeric.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tfkeras.function.TfFunction;
import dev.tfkeras.testing.FreshRuntime;
import dev.tfkeras.testing.Tensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TUint8;

/**
 * Keras's weighting rules (loss.py: reduce_weighted_values, squeeze_or_expand_to_same_rank,
 * reduce_values): weights are rank-matched to the loss values, multiplied in, and the reduction
 * divides by the number of values (SUM_OVER_BATCH_SIZE) or by the sum of the weights
 * (MEAN_WITH_SAMPLE_WEIGHT).
 */
@ExtendWith(FreshRuntime.class)
class SampleWeightTest {

  // MSE per row: (0.25 + 1)/2, (4 + 0)/2, (0.09 + 2.25)/2
  private static final float[] PRED = {1.5f, -0.5f, 2f, 0f, 0.3f, 1.5f};
  private static final float[] TRUE = {1f, 0.5f, 0f, 0f, 0f, 0f};
  private static final double[] PER_SAMPLE = {
    (0.25 + 1) / 2, (4 + 0) / 2, (0.3f * 0.3f + 2.25) / 2
  };
  private static final double[] W = {0.5, 2, 0.25};

  private static TFloat32 pred() {
    return Tensors.floats(PRED, 3, 2);
  }

  private static TFloat32 targets() {
    return Tensors.floats(TRUE, 3, 2);
  }

  private static double[] weighted() {
    double[] out = new double[3];
    for (int i = 0; i < 3; i++) {
      out[i] = W[i] * PER_SAMPLE[i];
    }
    return out;
  }

  @Test
  void batchWeightsUnderEveryReduction() {
    try (TFloat32 p = pred();
        TFloat32 y = targets();
        TFloat32 w = Tensors.vector(0.5f, 2f, 0.25f)) {
      assertClose(weighted(), eval(new MeanSquaredError(Reduction.NONE), y, p, w), 1e-6, 1e-7, "none");
      assertClose(dot(PER_SAMPLE, W), eval(new MeanSquaredError(Reduction.SUM), y, p, w)[0], 1e-6, 1e-7, "sum");
      // divided by the number of values (3), not by the sum of the weights (2.75)
      assertClose(dot(PER_SAMPLE, W) / 3, eval(new MeanSquaredError(), y, p, w)[0], 1e-6, 1e-7,
          "sum over batch size");
      assertClose(dot(PER_SAMPLE, W) / 2.75,
          eval(new MeanSquaredError(Reduction.MEAN_WITH_SAMPLE_WEIGHT), y, p, w)[0], 1e-6, 1e-7,
          "mean with sample weight");
    }
  }

  @Test
  void columnWeightsExpandTheValuesAsInKeras() {
    // (batch, 1) weights: the (batch,) values become (batch, 1), so NONE returns (batch, 1)
    var loss = new MeanSquaredError(Reduction.NONE);
    var fn = TfFunction.returning(TFloat32.class, TFloat32.class,
        (p, w) -> loss.call(TfFunction.ops().constant(new float[][] {{1f, 0.5f}, {0f, 0f}, {0f, 0f}}), p, w));
    try (TFloat32 p = pred();
        TFloat32 w = Tensors.floats(new float[] {0.5f, 2f, 0.25f}, 3, 1);
        TFloat32 out = fn.call(p, w)) {
      assertEquals(Shape.of(3, 1), out.shape());
      assertClose(weighted(), Tensors.read(out), 1e-6, 1e-7, "none, (batch, 1)");
    }
    try (TFloat32 p = pred();
        TFloat32 y = targets();
        TFloat32 w = Tensors.floats(new float[] {0.5f, 2f, 0.25f}, 3, 1)) {
      assertClose(dot(PER_SAMPLE, W) / 3, eval(new MeanSquaredError(), y, p, w)[0], 1e-6, 1e-7, "mean");
      assertClose(dot(PER_SAMPLE, W) / 2.75,
          eval(new MeanSquaredError(Reduction.MEAN_WITH_SAMPLE_WEIGHT), y, p, w)[0], 1e-6, 1e-7,
          "mean with sample weight");
    }
  }

  @Test
  void aScalarWeightScalesEveryValue() {
    try (TFloat32 p = pred();
        TFloat32 y = targets();
        TFloat32 w = TFloat32.scalarOf(3f)) {
      assertClose(3 * sum(PER_SAMPLE) / 3, eval(new MeanSquaredError(), y, p, w)[0], 1e-6, 1e-7, "mean");
      assertClose(3 * sum(PER_SAMPLE), eval(new MeanSquaredError(Reduction.SUM), y, p, w)[0], 1e-6, 1e-7, "sum");
      // Σ 3·l / 3: Keras divides by the sum of the weights as given, a scalar here
      assertClose(sum(PER_SAMPLE), eval(new MeanSquaredError(Reduction.MEAN_WITH_SAMPLE_WEIGHT), y, p, w)[0],
          1e-6, 1e-7, "mean with sample weight");
    }
  }

  @Test
  void zeroWeightsGiveZeroNotNaN() {
    try (TFloat32 p = pred();
        TFloat32 y = targets();
        TFloat32 w = Tensors.vector(0f, 0f, 0f)) {
      assertEquals(0f, eval(new MeanSquaredError(), y, p, w)[0]);
      assertEquals(0f, eval(new MeanSquaredError(Reduction.MEAN_WITH_SAMPLE_WEIGHT), y, p, w)[0],
          "0/0 is 0 (divide_no_nan)");
    }
    try (TFloat32 p = pred();
        TFloat32 y = targets();
        TFloat32 w = Tensors.vector(0f, 1f, 0f)) {
      assertClose(PER_SAMPLE[1] / 3, eval(new MeanSquaredError(), y, p, w)[0], 1e-6, 1e-7, "one sample kept");
    }
  }

  @Test
  void weightsOfAnyNumericType() {
    try (TFloat32 p = pred();
        TFloat32 y = targets();
        TFloat64 f64 = LossRunner.doubles(W, 3);
        TInt32 ints = Tensors.ints(new int[] {1, 0, 3}, 3);
        TUint8 bytes = Tensors.bytes(new int[] {2, 1, 0}, 3, 1)) {
      var loss = new MeanSquaredError(Reduction.SUM);
      assertClose(dot(PER_SAMPLE, W), eval(loss, y, p, f64)[0], 1e-6, 1e-7, "float64");
      assertClose(dot(PER_SAMPLE, new double[] {1, 0, 3}), eval(loss, y, p, ints)[0], 1e-6, 1e-7, "int32");
      assertClose(dot(PER_SAMPLE, new double[] {2, 1, 0}), eval(loss, y, p, bytes)[0], 1e-6, 1e-7,
          "uint8 (batch, 1)");
    }
  }

  @Test
  void noWeightsMeanWithSampleWeightIsTheMean() {
    try (TFloat32 p = pred();
        TFloat32 y = targets()) {
      assertClose(sum(PER_SAMPLE) / 3, eval(new MeanSquaredError(Reduction.MEAN_WITH_SAMPLE_WEIGHT), y, p)[0],
          1e-6, 1e-7, "unweighted");
    }
  }

  /** Sequence outputs: predictions (batch, 2, 2) give MSE values (batch, 2), one per time step. */
  @Test
  void weightsOnRankTwoLossValues() {
    float[] pred = {1f, 2f, 0f, 0f, -1f, 1f, 3f, 1f};
    float[] truth = {0f, 2f, 1f, 1f, 0f, 0f, 0f, 0f};
    double[] values = {0.5, 1, 1, 5}; // mean over the last axis of the squared errors
    try (TFloat32 p = Tensors.floats(pred, 2, 2, 2);
        TFloat32 y = Tensors.floats(truth, 2, 2, 2);
        TFloat32 perStep = Tensors.floats(new float[] {1f, 0f, 2f, 0.5f}, 2, 2);
        TFloat32 perSample = Tensors.floats(new float[] {3f, 0.5f}, 2, 1);
        TFloat32 perSampleFlat = Tensors.vector(3f, 0.5f)) {
      assertClose(values, eval(new MeanSquaredError(Reduction.NONE), y, p), 1e-6, 1e-7, "values");
      double stepDot = dot(values, new double[] {1, 0, 2, 0.5});
      assertClose(stepDot / 4, eval(new MeanSquaredError(), y, p, perStep)[0], 1e-6, 1e-7, "(batch, 2) weights");
      assertClose(stepDot / 3.5, eval(new MeanSquaredError(Reduction.MEAN_WITH_SAMPLE_WEIGHT), y, p, perStep)[0],
          1e-6, 1e-7, "(batch, 2) weights, mean with sample weight");
      double sampleDot = dot(values, new double[] {3, 3, 0.5, 0.5});
      assertClose(sampleDot / 4, eval(new MeanSquaredError(), y, p, perSample)[0], 1e-6, 1e-7,
          "(batch, 1) weights broadcast over the steps");
      // Keras sums the weights as given: 3 + 0.5, not 2·(3 + 0.5)
      assertClose(sampleDot / 3.5,
          eval(new MeanSquaredError(Reduction.MEAN_WITH_SAMPLE_WEIGHT), y, p, perSample)[0], 1e-6, 1e-7,
          "(batch, 1) weights, mean with sample weight");
      // (batch,) weights would pair the batch axis with the steps axis: rejected when traced (the
      // targets are a constant here, so the values' batch size is known)
      assertEquals(
          "Sample weights of shape (None,) do not match the loss values of shape (2, 2) computed by"
              + " mean_squared_error. Give one weight per value (shape (2, 2)), one per sample (shape"
              + " (2, 1)) or a scalar.",
          traceError(new MeanSquaredError(), y, p, perSampleFlat));
    }
  }

  @Test
  void sparseSequenceLossWithStepWeights() {
    // predictions (batch 1, 2 steps, 3 classes), labels (1, 2)
    float[] logits = {2f, 0f, -1f, 0.5f, 0.5f, 1f};
    double[] values = new double[2];
    int[] labels = {0, 2};
    for (int s = 0; s < 2; s++) {
      double[] z = LossRunner.row(logits, 3, s);
      values[s] = LossRunner.logSumExp(z) - z[labels[s]];
    }
    var loss = new SparseCategoricalCrossentropy(true);
    float[] probs = new float[6];
    double[] fromProbs = new double[2];
    for (int s = 0; s < 2; s++) {
      double[] z = LossRunner.row(logits, 3, s);
      for (int c = 0; c < 3; c++) {
        probs[s * 3 + c] = (float) Math.exp(z[c] - LossRunner.logSumExp(z));
      }
      fromProbs[s] = -Math.log(probs[s * 3 + labels[s]] / sum(LossRunner.row(probs, 3, s)));
    }
    try (TFloat32 p = Tensors.floats(logits, 1, 2, 3);
        TFloat32 q = Tensors.floats(probs, 1, 2, 3);
        TInt32 y = Tensors.ints(labels, 1, 2);
        TFloat32 w = Tensors.floats(new float[] {0.25f, 1f}, 1, 2)) {
      assertClose(values, eval(new SparseCategoricalCrossentropy(true, Reduction.NONE), y, p), 1e-5, 1e-6,
          "per step, logits");
      assertClose(fromProbs, eval(new SparseCategoricalCrossentropy(false, Reduction.NONE), y, q), 1e-5, 1e-6,
          "per step, probabilities");
      assertClose(sum(values) / 2, eval(loss, y, p)[0], 1e-5, 1e-6, "unweighted");
      assertClose((0.25 * values[0] + values[1]) / 2, eval(loss, y, p, w)[0], 1e-5, 1e-6, "step weights");
    }
  }

  @Test
  void weightsWithAnotherKnownSizeAreRejected() {
    try (TFloat32 p = pred();
        TFloat32 y = targets();
        TFloat32 w = Tensors.floats(new float[6], 3, 2)) {
      // MSE values are (batch,): (batch, 2) weights belong to a loss that keeps the last axis
      assertEquals(
          "Sample weights of shape (None, 2) do not match the loss values of shape (3,) computed by"
              + " mean_squared_error. Give one weight per value (shape (3,)), one per sample (shape"
              + " (3, 1)) or a scalar.",
          traceError(new MeanSquaredError(), y, p, w));
    }
    // as in a train step, where every batch size is unknown when traced
    var loss = new MeanSquaredError();
    var fn = TfFunction.returning(TFloat32.class, TFloat32.class,
        (p, w) -> loss.call(TfFunction.ops().math.mul(p, TfFunction.ops().constant(0.5f)), p, w));
    try (TFloat32 p = Tensors.floats(new float[12], 2, 3, 2);
        TFloat32 w = Tensors.vector(1f, 2f)) {
      var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> fn.call(p, w));
      assertEquals(
          "Sample weights of shape (None,) do not match the loss values of shape (None, 3) computed by"
              + " mean_squared_error. Give one weight per value (shape (None, 3)), one per sample (shape"
              + " (None, 1)) or a scalar.",
          e.getMessage());
    }
  }
}
