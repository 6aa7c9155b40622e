package dev.tfkeras.losses;

import static dev.tfkeras.losses.LossRunner.row;
import static dev.tfkeras.testing.Numeric.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tfkeras.autodiff.GradientTape;
import dev.tfkeras.function.TfFunction;
import dev.tfkeras.testing.FreshRuntime;
import dev.tfkeras.testing.Param;
import dev.tfkeras.testing.Tensors;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TUint8;
import org.tensorflow.types.family.TNumber;

/**
 * Gradients of each loss with respect to the predictions, as the tape computes them, against
 * central finite differences of the same loss: (L(w + h e_i) - L(w - h e_i)) / 2h.
 */
@ExtendWith(FreshRuntime.class)
class LossGradientTest {

  private static final double H = 1e-2;
  private static final double FD_TOLERANCE = 2e-3;

  private static final float[] LOGITS = {
    1.0f, -0.5f, 0.3f, 2.0f,
    0.2f, 0.4f, -1.0f, 0.0f,
    -0.7f, 1.5f, 0.9f, -0.2f
  };
  // Rows sum to 1. The truncation error of central differences on -t·log p is about
  // t·h²/(3p³), so probabilities that carry target mass stay >= 0.2 (error <= 1e-3 at h = 1e-2).
  private static final float[] PROBS = {
    0.1f, 0.2f, 0.2f, 0.5f,
    0.1f, 0.6f, 0.2f, 0.1f,
    0.35f, 0.3f, 0.15f, 0.2f
  };
  private static final int[] LABELS = {3, 1, 0};

  /** The tape's gradient and the loss as functions of a Param holding the predictions. */
  private static final class Probe<L extends TNumber> {
    final Param param;
    final TfFunction<TFloat32> lossFn;
    final TfFunction<TFloat32> gradFn;
    final L labels;

    /** {@code objective(labels, predictions)} builds the value to differentiate. */
    @SuppressWarnings("unchecked")
    Probe(float[] predictions, long rows, long cols, L labels,
        BiFunction<Operand<L>, Operand<TFloat32>, Operand<TFloat32>> objective) {
      this.param = new Param(predictions, rows, cols);
      this.labels = labels;
      Class<L> type = (Class<L>) labels.type();
      lossFn = TfFunction.returning(type, y -> objective.apply(y, param.apply(TfFunction.ops().constant(0f))))
          .named("loss_only");
      gradFn = TfFunction.returning(type, y -> {
        var tape = new GradientTape();
        Operand<TFloat32> value;
        try (tape) {
          value = objective.apply(y, param.apply(TfFunction.ops().constant(0f)));
        }
        return tape.gradient(value, param.trainableVariables()).get(0);
      }).named("loss_gradient");
    }

    float[] tapeGradient() {
      try (TFloat32 g = gradFn.call(labels)) {
        assertEquals(param.weight().shape(), g.shape());
        return Tensors.read(g);
      }
    }

    /** Σ of the loss output (the tape differentiates the sum of a non-scalar target). */
    double loss(float[] weights) {
      param.assign(weights);
      try (TFloat32 out = lossFn.call(labels)) {
        double total = 0;
        for (float v : Tensors.read(out)) {
          total += v;
        }
        return total;
      }
    }

    double[] finiteDifferences() {
      float[] w0 = param.value();
      double[] out = new double[w0.length];
      for (int i = 0; i < w0.length; i++) {
        float[] plus = w0.clone();
        float[] minus = w0.clone();
        plus[i] += (float) H;
        minus[i] -= (float) H;
        // divide by the step actually taken in float32
        out[i] = (loss(plus) - loss(minus)) / ((double) plus[i] - (double) minus[i]);
      }
      param.assign(w0);
      return out;
    }

    void assertMatchesFiniteDifferences(String what) {
      float[] tape = tapeGradient();
      assertClose(finiteDifferences(), tape, 0, FD_TOLERANCE, what);
    }
  }

  private static <L extends TNumber> Probe<L> probe(Loss loss, float[] predictions, L labels) {
    return new Probe<>(predictions, 3, 4, labels, (y, p) -> loss.call(y, p));
  }

  /** softmax(z) - onehot(y), per row, times {@code scale[row]}. */
  private static double[] softmaxMinusOneHot(double[] scale) {
    double[] out = new double[LOGITS.length];
    for (int r = 0; r < 3; r++) {
      double[] z = row(LOGITS, 4, r);
      double lse = LossRunner.logSumExp(z);
      for (int c = 0; c < 4; c++) {
        out[r * 4 + c] = scale[r] * (Math.exp(z[c] - lse) - (c == LABELS[r] ? 1 : 0));
      }
    }
    return out;
  }

  @Test
  void sparseFromLogitsCustomGradientIsSoftmaxMinusOneHotOverBatch() {
    try (TInt32 y = Tensors.ints(LABELS, 3)) {
      var probe = probe(new SparseCategoricalCrossentropy(true), LOGITS, y);
      float[] tape = probe.tapeGradient();
      assertClose(softmaxMinusOneHot(new double[] {1 / 3.0, 1 / 3.0, 1 / 3.0}), tape, 1e-5, 1e-6,
          "d mean / d logits");
      assertClose(probe.finiteDifferences(), tape, 0, FD_TOLERANCE, "finite differences");
    }
  }

  @Test
  void sparseFromLogitsCustomGradientScalesByTheUpstreamGradientPerSample() {
    // Σ_b c_b · loss_b: the registered gradient must multiply row b of (softmax - onehot) by c_b
    double[] weights = {1.0, -2.0, 0.5};
    var loss = new SparseCategoricalCrossentropy(true, Reduction.NONE);
    try (TInt64 y = Tensors.longs(new long[] {3, 1, 0}, 3, 1)) {
      var probe = new Probe<>(LOGITS, 3, 4, y, (labels, p) -> {
        Ops tf = TfFunction.ops();
        return tf.sum(tf.math.mul(loss.call(labels, p), tf.constant(new float[] {1f, -2f, 0.5f})),
            tf.constant(0));
      });
      float[] tape = probe.tapeGradient();
      assertClose(softmaxMinusOneHot(weights), tape, 1e-5, 1e-6, "weighted rows");
      assertClose(probe.finiteDifferences(), tape, 0, FD_TOLERANCE, "finite differences");
    }
  }

  @Test
  void sparseFromLogitsSumAndNoneReductions() {
    try (TUint8 y = Tensors.bytes(LABELS, 3);
        TInt32 column = Tensors.ints(LABELS, 3, 1)) {
      var sum = probe(new SparseCategoricalCrossentropy(true, Reduction.SUM), LOGITS, y);
      assertClose(softmaxMinusOneHot(new double[] {1, 1, 1}), sum.tapeGradient(), 1e-5, 1e-6, "sum");
      sum.assertMatchesFiniteDifferences("sum, finite differences");
      probe(new SparseCategoricalCrossentropy(true, Reduction.NONE), LOGITS, column)
          .assertMatchesFiniteDifferences("none (summed by the tape)");
    }
  }

  @Test
  void sparseFromProbabilities() {
    try (TInt32 y = Tensors.ints(LABELS, 3)) {
      probe(new SparseCategoricalCrossentropy(false), PROBS, y)
          .assertMatchesFiniteDifferences("sparse, probabilities");
    }
  }

  @Test
  void categoricalFromLogitsAndFromProbabilities() {
    float[] soft = {
      0f, 0f, 0f, 1f,
      0f, 0.8f, 0.2f, 0f,
      0.6f, 0.4f, 0f, 0f
    };
    try (TFloat32 y = Tensors.floats(soft, 3, 4)) {
      probe(new CategoricalCrossentropy(true), LOGITS, y)
          .assertMatchesFiniteDifferences("categorical, logits");
      probe(new CategoricalCrossentropy(false, Reduction.SUM), PROBS, y)
          .assertMatchesFiniteDifferences("categorical, probabilities");
    }
  }

  @Test
  void meanSquaredError() {
    float[] targets = {
      0.5f, -1f, 0f, 2f,
      0f, 0f, 1f, 1f,
      -0.3f, 1.2f, 0.7f, 0f
    };
    try (TFloat32 y = Tensors.floats(targets, 3, 4)) {
      var probe = probe(new MeanSquaredError(), LOGITS, y);
      float[] tape = probe.tapeGradient();
      double[] want = new double[LOGITS.length];
      for (int i = 0; i < want.length; i++) {
        want[i] = 2.0 * ((double) LOGITS[i] - targets[i]) / 12; // mean over 4 columns and 3 rows
      }
      assertClose(want, tape, 1e-5, 1e-7, "2 (p - y) / (batch · columns)");
      assertClose(probe.finiteDifferences(), tape, 0, FD_TOLERANCE, "finite differences");
    }
  }

  // Binary targets and probabilities in [0.2, 0.8], so that both p and 1 - p stay >= 0.2.
  private static final float[] BINARY = {
    1f, 0f, 0f, 1f,
    0f, 1f, 1f, 0f,
    1f, 1f, 0f, 0f
  };
  private static final float[] MIDDLE_PROBS = {
    0.3f, 0.7f, 0.25f, 0.6f,
    0.5f, 0.8f, 0.2f, 0.4f,
    0.65f, 0.35f, 0.55f, 0.45f
  };
  private static final float[] SOFT = {
    0.1f, 0.2f, 0.3f, 0.4f,
    0.25f, 0.25f, 0.25f, 0.25f,
    0.7f, 0.1f, 0.1f, 0.1f
  };
  // |LOGITS - REGRESSION_TARGETS| avoids 0 and 1 (the kinks of MAE and of Huber at delta 1) by > 0.05
  private static final float[] REGRESSION_TARGETS = {
    0.5f, -1f, 0f, 1.5f,
    1.5f, 0.2f, -0.5f, 2f,
    0.5f, -1f, 0.7f, 0.3f
  };

  @Test
  void binaryCrossentropyFromLogitsWithAndWithoutSmoothing() {
    try (TFloat32 y = Tensors.floats(BINARY, 3, 4)) {
      var plain = probe(new BinaryCrossentropy(true), LOGITS, y);
      float[] tape = plain.tapeGradient();
      double[] want = new double[LOGITS.length];
      for (int i = 0; i < want.length; i++) {
        want[i] = (1 / (1 + Math.exp(-LOGITS[i])) - BINARY[i]) / 12; // (σ(x) - t) / (4 columns · 3 rows)
      }
      assertClose(want, tape, 1e-5, 1e-7, "(sigmoid - t) / 12");
      assertClose(plain.finiteDifferences(), tape, 0, FD_TOLERANCE, "finite differences");
      probe(new BinaryCrossentropy(true, 0.2, Reduction.SUM), LOGITS, y)
          .assertMatchesFiniteDifferences("smoothed, sum");
    }
  }

  @Test
  void binaryCrossentropyFromProbabilities() {
    try (TFloat32 y = Tensors.floats(BINARY, 3, 4)) {
      probe(new BinaryCrossentropy(), MIDDLE_PROBS, y).assertMatchesFiniteDifferences("probabilities");
      probe(new BinaryCrossentropy(false, 0.1, Reduction.SUM_OVER_BATCH_SIZE), MIDDLE_PROBS, y)
          .assertMatchesFiniteDifferences("probabilities, smoothed");
    }
  }

  @Test
  void categoricalWithLabelSmoothing() {
    float[] oneHot = {
      0f, 0f, 0f, 1f,
      0f, 1f, 0f, 0f,
      1f, 0f, 0f, 0f
    };
    try (TFloat32 y = Tensors.floats(oneHot, 3, 4)) {
      probe(new CategoricalCrossentropy(true, 0.2, Reduction.SUM_OVER_BATCH_SIZE), LOGITS, y)
          .assertMatchesFiniteDifferences("logits, smoothed");
      probe(new CategoricalCrossentropy(false, 0.1, Reduction.SUM), MIDDLE_PROBS, y)
          .assertMatchesFiniteDifferences("probabilities, smoothed");
    }
  }

  @Test
  void meanAbsoluteErrorAndHuber() {
    try (TFloat32 y = Tensors.floats(REGRESSION_TARGETS, 3, 4)) {
      var mae = probe(new MeanAbsoluteError(), LOGITS, y);
      float[] tape = mae.tapeGradient();
      double[] want = new double[LOGITS.length];
      for (int i = 0; i < want.length; i++) {
        want[i] = Math.signum(LOGITS[i] - REGRESSION_TARGETS[i]) / 12;
      }
      assertClose(want, tape, 1e-6, 1e-8, "sign(p - y) / 12");
      assertClose(mae.finiteDifferences(), tape, 0, FD_TOLERANCE, "mae, finite differences");
      var huber = probe(new Huber(), LOGITS, y);
      float[] huberTape = huber.tapeGradient();
      for (int i = 0; i < want.length; i++) {
        double e = LOGITS[i] - REGRESSION_TARGETS[i];
        want[i] = Math.max(-1, Math.min(1, e)) / 12; // e inside delta, ±delta beyond
      }
      assertClose(want, huberTape, 1e-5, 1e-7, "clip(e, -1, 1) / 12");
      assertClose(huber.finiteDifferences(), huberTape, 0, FD_TOLERANCE, "huber, finite differences");
      probe(new Huber(0.5, Reduction.SUM), LOGITS, y).assertMatchesFiniteDifferences("huber 0.5, sum");
    }
  }

  @Test
  void meanSquaredLogarithmicErrorAndKlDivergence() {
    try (TFloat32 y = Tensors.floats(SOFT, 3, 4)) {
      probe(new MeanSquaredLogarithmicError(), MIDDLE_PROBS, y).assertMatchesFiniteDifferences("msle");
      var kl = probe(new KLDivergence(), MIDDLE_PROBS, y);
      float[] tape = kl.tapeGradient();
      double[] want = new double[MIDDLE_PROBS.length];
      for (int i = 0; i < want.length; i++) {
        want[i] = -SOFT[i] / MIDDLE_PROBS[i] / 3; // d/dp of t·log(t/p), mean over 3 rows
      }
      assertClose(want, tape, 1e-5, 1e-7, "-t / p / 3");
      assertClose(kl.finiteDifferences(), tape, 0, FD_TOLERANCE, "kl, finite differences");
    }
  }

  @Test
  void weightedReductions() {
    float[] weights = {0.5f, 2f, 0f};
    try (TFloat32 y = Tensors.floats(BINARY, 3, 4)) {
      for (Reduction reduction : Reduction.values()) {
        var loss = new BinaryCrossentropy(true, 0, reduction);
        var probe = new Probe<>(LOGITS, 3, 4, y,
            (labels, p) -> loss.call(labels, p, TfFunction.ops().constant(weights)));
        float[] tape = probe.tapeGradient();
        double divisor = switch (reduction) {
          case SUM, NONE -> 1;
          case SUM_OVER_BATCH_SIZE -> 3;
          case MEAN_WITH_SAMPLE_WEIGHT -> 2.5;
        };
        double[] want = new double[LOGITS.length];
        for (int i = 0; i < want.length; i++) {
          want[i] = weights[i / 4] * (1 / (1 + Math.exp(-LOGITS[i])) - BINARY[i]) / 4 / divisor;
        }
        assertClose(want, tape, 1e-5, 1e-7, reduction + ": w · (sigmoid - t) / 4 / divisor");
        assertClose(probe.finiteDifferences(), tape, 0, FD_TOLERANCE, reduction + ", finite differences");
      }
    }
  }

  @Test
  void sparseFromLogitsOnSequences() {
    // the (3, 4) parameter read as logits (3 samples, 2 steps, 2 classes), labels (3, 2)
    try (TInt32 y = Tensors.ints(new int[] {1, 0, 0, 1, 1, 1}, 3, 2)) {
      var loss = new SparseCategoricalCrossentropy(true);
      var probe = new Probe<>(LOGITS, 3, 4, y,
          (labels, p) -> loss.call(labels, TfFunction.ops().reshape(p, TfFunction.ops().constant(new long[] {3, 2, 2}))));
      float[] tape = probe.tapeGradient();
      int[] flatLabels = {1, 0, 0, 1, 1, 1};
      double[] want = new double[LOGITS.length];
      for (int step = 0; step < 6; step++) {
        double[] z = row(LOGITS, 2, step);
        double lse = LossRunner.logSumExp(z);
        for (int c = 0; c < 2; c++) {
          want[step * 2 + c] = (Math.exp(z[c] - lse) - (c == flatLabels[step] ? 1 : 0)) / 6;
        }
      }
      assertClose(want, tape, 1e-5, 1e-7, "(softmax - onehot) / 6 steps");
      assertClose(probe.finiteDifferences(), tape, 0, FD_TOLERANCE, "finite differences");
    }
  }
}
