package dev.tfkeras.losses;

import static dev.tfkeras.losses.LossRunner.row;
import static dev.tfkeras.testing.Numeric.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tfkeras.autodiff.GradientTape;
import dev.tfkeras.function.TfFunction;
import dev.tfkeras.runtime.GraphRuntime;
import dev.tfkeras.testing.Param;
import dev.tfkeras.testing.Tensors;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
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

  @AfterEach
  void reset() {
    GraphRuntime.reset();
  }

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
}
