package dev.tfkeras.losses;

import static dev.tfkeras.losses.LossRunner.clip;
import static dev.tfkeras.losses.LossRunner.eval;
import static dev.tfkeras.losses.LossRunner.logSumExp;
import static dev.tfkeras.losses.LossRunner.row;
import static dev.tfkeras.losses.LossRunner.runError;
import static dev.tfkeras.losses.LossRunner.sum;
import static dev.tfkeras.losses.LossRunner.traceError;
import static dev.tfkeras.testing.Numeric.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.testing.FreshRuntime;
import dev.tfkeras.testing.Tensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TUint8;

/** Values of the sparse cross-entropy against hand-computed numbers, and its label checks. */
@ExtendWith(FreshRuntime.class)
class SparseCategoricalCrossentropyTest {

  private static final float[] LOGITS = {
    2.0f, 1.0f, 0.1f, -1.0f,
    0.5f, 2.5f, -0.3f, 0.0f,
    -1.2f, 0.3f, 0.8f, 3.0f
  };
  private static final int[] LABELS = {0, 2, 3};

  /** -log softmax(z)_y = logsumexp(z) - z_y, per sample. */
  private static double[] expectedFromLogits() {
    double[] out = new double[LABELS.length];
    for (int r = 0; r < LABELS.length; r++) {
      double[] z = row(LOGITS, 4, r);
      out[r] = logSumExp(z) - z[LABELS[r]];
    }
    return out;
  }

  private static TFloat32 logits() {
    return Tensors.floats(LOGITS, 3, 4);
  }

  @Test
  void fromLogitsAllReductions() {
    double[] perSample = expectedFromLogits();
    // sanity: first row by hand, log(e^2 + e^1 + e^.1 + e^-1) - 2
    assertEquals(Math.log(Math.exp(2) + Math.exp(1) + Math.exp(0.1f) + Math.exp(-1)) - 2, perSample[0], 1e-12);
    try (TFloat32 p = logits();
        TInt32 y = Tensors.ints(LABELS, 3)) {
      assertClose(perSample,
          eval(new SparseCategoricalCrossentropy(true, Reduction.NONE), y, p), 1e-5, 1e-6, "none");
      assertClose(sum(perSample),
          eval(new SparseCategoricalCrossentropy(true, Reduction.SUM), y, p)[0], 1e-5, 1e-6, "sum");
      float[] mean = eval(new SparseCategoricalCrossentropy(true), y, p);
      assertEquals(1, mean.length, "default reduction gives a scalar");
      assertClose(sum(perSample) / 3, mean[0], 1e-5, 1e-6, "sum over batch size");
    }
  }

  @Test
  void labelsOfShapeBatchByOneAndEveryIntegerType() {
    double want = sum(expectedFromLogits()) / 3;
    long[] asLongs = {0, 2, 3};
    try (TFloat32 p = logits();
        TInt32 column = Tensors.ints(LABELS, 3, 1);
        TInt64 int64 = Tensors.longs(asLongs, 3);
        TUint8 uint8 = Tensors.bytes(LABELS, 3);
        TUint8 uint8Column = Tensors.bytes(LABELS, 3, 1)) {
      var loss = new SparseCategoricalCrossentropy(true);
      assertClose(want, eval(loss, column, p)[0], 1e-5, 1e-6, "int32 (3, 1)");
      assertClose(want, eval(loss, int64, p)[0], 1e-5, 1e-6, "int64 (3,)");
      assertClose(want, eval(loss, uint8, p)[0], 1e-5, 1e-6, "uint8 (3,)");
      assertClose(want, eval(loss, uint8Column, p)[0], 1e-5, 1e-6, "uint8 (3, 1)");
    }
  }

  @Test
  void fromProbabilitiesClipsLikeKeras() {
    float[] probs = {
      0.7f, 0.2f, 0.1f,
      0.1f, 0.6f, 0.3f,
      1.0f, 0.0f, 0.0f,
      1.0f, 0.0f, 0.0f
    };
    // labels 0, 2, 1, 0
    double[] want = {
      -Math.log(0.7), -Math.log(0.3),
      -Math.log(1e-7), // a zero probability is clipped to epsilon: 16.118
      -Math.log(1 - 1e-7) // a certain, correct prediction costs about 1e-7, not 0
    };
    try (TFloat32 p = Tensors.floats(probs, 4, 3);
        TInt64 y = Tensors.longs(new long[] {0, 2, 1, 0}, 4)) {
      float[] got = eval(new SparseCategoricalCrossentropy(false, Reduction.NONE), y, p);
      assertClose(want, got, 1e-5, 2e-7, "per sample");
      assertEquals(16.118, got[2], 1e-3);
      assertClose(sum(want) / 4, eval(new SparseCategoricalCrossentropy(), y, p)[0], 1e-5, 1e-6,
          "default is from probabilities, mean");
    }
  }

  @Test
  void fromProbabilitiesNormalizesRowsLikeKeras() {
    // Keras 3 divides each row by its sum before clipping (as CategoricalCrossentropy does), so
    // scaled or unnormalized scores give the same loss as the distribution they stand for.
    float[] scores = {
      2f, 1f, 1f,
      0.2f, 0.3f, 0.1f
    };
    double[] want = new double[2];
    int[] labels = {0, 1};
    for (int r = 0; r < 2; r++) {
      double[] s = row(scores, 3, r);
      want[r] = -Math.log(clip(s[labels[r]] / sum(s)));
    }
    assertEquals(-Math.log(0.5), want[0], 1e-12);
    try (TFloat32 p = Tensors.floats(scores, 2, 3);
        TInt32 y = Tensors.ints(labels, 2)) {
      assertClose(want, eval(new SparseCategoricalCrossentropy(false, Reduction.NONE), y, p), 1e-5, 1e-6,
          "per sample");
    }
  }

  @Test
  void floatLabelsAreCastToClassIndicesAsInKeras() {
    double want = sum(expectedFromLogits()) / 3;
    try (TFloat32 p = logits();
        TFloat32 y = Tensors.vector(0f, 2f, 3f);
        TFloat64 column = LossRunner.doubles(new double[] {0, 2, 3}, 3, 1)) {
      assertClose(want, eval(new SparseCategoricalCrossentropy(true), y, p)[0], 1e-5, 1e-6, "float32 (3,)");
      assertClose(want, eval(new SparseCategoricalCrossentropy(true), column, p)[0], 1e-5, 1e-6,
          "float64 (3, 1)");
    }
  }

  @Test
  void labelsOfTheWrongRankAreRejected() {
    try (TFloat32 p = logits();
        TInt32 oneHot = Tensors.ints(new int[] {1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1}, 3, 4);
        TInt32 rank3 = Tensors.ints(LABELS, 3, 1, 1)) {
      String oneHotMessage = traceError(new SparseCategoricalCrossentropy(true), oneHot, p);
      assertEquals(
          "Sparse labels must have shape (batch,) or (batch, 1) for predictions of shape (None, 4),"
              + " received labels of shape (None, 4). One-hot labels need CategoricalCrossentropy"
              + " or CategoricalAccuracy.",
          oneHotMessage);
      assertEquals(
          "Sparse labels must have shape (batch,) or (batch, 1) for predictions of shape (None, 4),"
              + " received labels of shape (None, 1, 1).",
          traceError(new SparseCategoricalCrossentropy(false), rank3, p));
    }
  }

  @Test
  void anOutOfRangeLabelFailsWhenRunFromLogits() {
    try (TFloat32 p = logits();
        TInt32 y = Tensors.ints(new int[] {0, 4, 1}, 3)) {
      String message = runError(new SparseCategoricalCrossentropy(true), y, p);
      assertTrue(message.contains("Received a label value of 4 which is outside the valid range of"
          + " [0, 4). Labels are class indices from 0 to 3 for predictions with 4 classes on the last"
          + " axis: check the labels, or give the output layer one unit per class."), message);
    }
  }

  @Test
  void anOutOfRangeLabelFailsWhenRunFromProbabilities() {
    // Without the check, the one-hot row of label 12 is all zeros and the loss a silent 0.
    float[] probs = new float[3 * 10];
    java.util.Arrays.fill(probs, 0.1f);
    try (TFloat32 p = Tensors.floats(probs, 3, 10);
        TInt64 y = Tensors.longs(new long[] {3, 12, 0}, 3, 1)) {
      String message = runError(new SparseCategoricalCrossentropy(false, Reduction.NONE), y, p);
      assertTrue(message.contains(
          "Received a label value of 12 which is outside the valid range of [0, 10). Labels are"
              + " class indices"), message);
    }
  }

  @Test
  void negativeLabelsFailToo() {
    try (TFloat32 p = logits();
        TInt32 y = Tensors.ints(new int[] {-1, 2, 1}, 3);
        TFloat32 floats = Tensors.vector(0f, -3f, 1f)) {
      String message = runError(new SparseCategoricalCrossentropy(false), y, p);
      assertTrue(message.contains("Received a label value of -1 which is outside the valid range"
          + " of [0, 4)"), message);
      String fromFloats = runError(new SparseCategoricalCrossentropy(true), floats, p);
      assertTrue(fromFloats.contains("Received a label value of -3 which is outside"), fromFloats);
    }
  }

  @Test
  void inRangeLabelsPassTheCheckInEveryBatch() {
    // the check is an op of the graph: a later call with bad labels fails, a good one after it runs
    var loss = new SparseCategoricalCrossentropy(true);
    var fn = dev.tfkeras.function.TfFunction.returning(TFloat32.class, TInt32.class, (p, y) -> loss.call(y, p));
    try (TFloat32 p = logits();
        TInt32 good = Tensors.ints(LABELS, 3);
        TInt32 bad = Tensors.ints(new int[] {0, 2, 9}, 3)) {
      try (TFloat32 out = fn.call(p, good)) {
        assertClose(sum(expectedFromLogits()) / 3, Tensors.read(out)[0], 1e-5, 1e-6, "good batch");
      }
      assertThrows(RuntimeException.class, () -> fn.call(p, bad).close());
      try (TFloat32 out = fn.call(p, good)) {
        assertClose(sum(expectedFromLogits()) / 3, Tensors.read(out)[0], 1e-5, 1e-6, "good again");
      }
      assertEquals(1, fn.traceCount());
    }
  }

  @Test
  void aOneUnitOutputPointsToBinaryCrossentropy() {
    try (TFloat32 p = Tensors.floats(new float[] {0.2f, 0.9f, 0.6f}, 3, 1);
        TInt32 y = Tensors.ints(new int[] {0, 1, 1}, 3)) {
      String want = "SparseCategoricalCrossentropy received predictions of shape (None, 1): one unit"
          + " holds no distribution over classes, so the loss would be 0 for label 0 and any other"
          + " label would be out of range. For a binary classifier with one sigmoid unit use"
          + " BinaryCrossentropy (\"binary_crossentropy\") with 0/1 targets; for N classes give the"
          + " output layer N units.";
      assertEquals(want, traceError(new SparseCategoricalCrossentropy(), y, p));
      assertEquals(want, traceError(new SparseCategoricalCrossentropy(true), y, p));
    }
  }

  @Test
  void sampleWeightsScaleEachSample() {
    double[] perSample = expectedFromLogits();
    double[] w = {0.5, 0, 2};
    try (TFloat32 p = logits();
        TInt32 y = Tensors.ints(LABELS, 3);
        TFloat32 weights = Tensors.vector(0.5f, 0f, 2f)) {
      assertClose(LossRunner.dot(perSample, w) / 3,
          eval(new SparseCategoricalCrossentropy(true), y, p, weights)[0], 1e-5, 1e-6, "mean over 3");
    }
  }

  @Test
  void nameIsKeras() {
    assertEquals("sparse_categorical_crossentropy", new SparseCategoricalCrossentropy().name());
  }
}
