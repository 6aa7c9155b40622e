package dev.tfkeras.layers;

import static dev.tfkeras.testing.Numeric.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.autodiff.GradientTape;
import dev.tfkeras.function.TfFunction;
import dev.tfkeras.initializers.Constant;
import dev.tfkeras.models.FitOptions;
import dev.tfkeras.models.Sequential;
import dev.tfkeras.runtime.GraphRuntime;
import dev.tfkeras.testing.FreshRuntime;
import dev.tfkeras.testing.Param;
import dev.tfkeras.testing.Tensors;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** Recurrent layers over 200 steps: the unrolled loop traces, differentiates back to the first step, and trains. */
@ExtendWith(FreshRuntime.class)
class LongSequenceTest {

  private static final int STEPS = 200;

  @Test
  void gradientsReachEveryOneOfTwoHundredStepsAsTheClosedForm() {
    // Gates i, f, o held open (bias 20) and no recurrent weights: c = Σ_t tanh(k x_t) and h = σ(20)
    // tanh(c), whose derivative in x_t is σ(20) (1 - tanh²c) σ(20)^(199 - t) σ(20) (1 - tanh²(k x_t)) k.
    float k = 0.8f;
    LSTM lstm =
        new LSTM(1)
            .unitForgetBias(false)
            .kernelInitializer(Constant.values(0, 0, k, 0))
            .recurrentInitializer(Constant.of(0f))
            .biasInitializer(Constant.values(20, 20, 0, 20));
    float[] x = SequenceRunner.random(3, STEPS, 0.1);
    Param input = new Param(x, 1, STEPS, 1);
    var fn =
        TfFunction.returning(
            TFloat32.class,
            d -> {
              var tf = TfFunction.ops();
              var tape = new GradientTape();
              Operand<TFloat32> h;
              try (tape) {
                h = lstm.apply(input.apply(d, true), true);
              }
              Operand<TFloat32> gradient = tape.gradient(h, input.trainableVariables()).get(0);
              // [h, d h / d x_0, ..., d h / d x_199]
              return tf.concat(
                  List.of(tf.reshape(h, tf.constant(new long[] {1})), tf.reshape(gradient, tf.constant(new long[] {STEPS}))),
                  tf.constant(0));
            });
    double gate = 1 / (1 + Math.exp(-20));
    double c = 0;
    for (float v : x) {
      c = gate * c + gate * Math.tanh(k * v);
    }
    double[] expected = new double[1 + STEPS];
    expected[0] = gate * Math.tanh(c);
    for (int t = 0; t < STEPS; t++) {
      double dc = Math.pow(gate, STEPS - 1 - t) * gate * (1 - Math.pow(Math.tanh(k * x[t]), 2)) * k;
      expected[1 + t] = gate * (1 - Math.tanh(c) * Math.tanh(c)) * dc;
    }
    try (TFloat32 dummy = Tensors.vector(0f);
        TFloat32 out = fn.call(dummy)) {
      float[] values = Tensors.read(out);
      assertClose(expected, values, 1e-4, 1e-6, "h and its gradient in each of 200 steps");
      assertTrue(Math.abs(values[1]) > 0.1, "step 0 still counts: " + values[1]);
    }
  }

  @Test
  void aModelOverTwoHundredStepsTrainsThroughFit() {
    GraphRuntime.setRandomSeed(3);
    int count = 64;
    float[][][] x = new float[count][STEPS][1];
    float[] y = new float[count];
    java.util.Random random = new java.util.Random(4);
    for (int i = 0; i < count; i++) {
      double sum = 0;
      for (int t = 0; t < STEPS; t++) {
        x[i][t][0] = (float) random.nextGaussian();
        sum += t >= STEPS - 10 ? x[i][t][0] : 0;
      }
      y[i] = (float) sum / 10;
    }
    try (Sequential model = new Sequential(new GRU(8), new Dense(1))) {
      model.compile("adam", "mse");
      var history = model.fit(x, y, new FitOptions().epochs(3).batchSize(32).verbose(0));
      List<Double> losses = history.get("loss");
      assertEquals(3, losses.size());
      losses.forEach(l -> assertTrue(Double.isFinite(l), "loss " + l));
      assertTrue(losses.get(2) < losses.get(0), "the loss falls: " + losses);
    }
  }
}
