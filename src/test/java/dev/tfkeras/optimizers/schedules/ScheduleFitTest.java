package dev.tfkeras.optimizers.schedules;

import static dev.tfkeras.testing.Numeric.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tfkeras.callbacks.History;
import dev.tfkeras.initializers.Constant;
import dev.tfkeras.layers.Dense;
import dev.tfkeras.losses.MeanSquaredError;
import dev.tfkeras.models.FitOptions;
import dev.tfkeras.models.Sequential;
import dev.tfkeras.models.StepData;
import dev.tfkeras.optimizers.Adam;
import dev.tfkeras.testing.FreshRuntime;
import dev.tfkeras.testing.Tensors;
import dev.tfkeras.variables.Variable;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * A schedule through {@code fit}: Keras's own scenario (Keras's {@code test_fit_lr_correctness}),
 * checked against Adam on Dense + MSE computed here in doubles, traced once.
 */
@ExtendWith(FreshRuntime.class)
class ScheduleFitTest {

  /** Counts how often fit traces the train step. */
  static final class CountingSequential extends Sequential {
    int trainStepTraces;

    CountingSequential(Dense dense) {
      super(dense);
    }

    @Override
    protected Map<String, Operand<?>> trainStep(StepData data) {
      trainStepTraces++;
      return super.trainStep(data);
    }
  }

  /**
   * Dense(2) from ones on x = y = arange(32).reshape(16, 2), batches of 4 in order, MSE, Adam with
   * lr = 0.05 · 0.9^iterations: the per-epoch mean losses and the final weights, in doubles.
   */
  private static double[][] reference(float[][] x, float[][] y, int epochs, double[] epochLosses) {
    double[][] kernel = {{1, 1}, {1, 1}};
    double[] bias = {1, 1};
    double[][] mK = new double[2][2];
    double[][] vK = new double[2][2];
    double[] mB = new double[2];
    double[] vB = new double[2];
    int t = 0;
    for (int epoch = 0; epoch < epochs; epoch++) {
      double sum = 0;
      for (int start = 0; start < x.length; start += 4) {
        double[][] gK = new double[2][2];
        double[] gB = new double[2];
        double loss = 0;
        for (int i = start; i < start + 4; i++) {
          for (int o = 0; o < 2; o++) {
            double error = x[i][0] * kernel[0][o] + x[i][1] * kernel[1][o] + bias[o] - y[i][o];
            loss += error * error / 8;
            double dPred = 2 * error / 8; // mean over 4 examples and 2 outputs
            gK[0][o] += x[i][0] * dPred;
            gK[1][o] += x[i][1] * dPred;
            gB[o] += dPred;
          }
        }
        sum += loss;
        double lr = 0.05 * Math.pow(0.9, t);
        t++;
        double alpha = lr * Math.sqrt(1 - Math.pow(0.999, t)) / (1 - Math.pow(0.9, t));
        for (int o = 0; o < 2; o++) {
          for (int j = 0; j < 2; j++) {
            mK[j][o] += (gK[j][o] - mK[j][o]) * 0.1;
            vK[j][o] += (gK[j][o] * gK[j][o] - vK[j][o]) * 0.001;
            kernel[j][o] -= mK[j][o] * alpha / (Math.sqrt(vK[j][o]) + 1e-7);
          }
          mB[o] += (gB[o] - mB[o]) * 0.1;
          vB[o] += (gB[o] * gB[o] - vB[o]) * 0.001;
          bias[o] -= mB[o] * alpha / (Math.sqrt(vB[o]) + 1e-7);
        }
      }
      epochLosses[epoch] = sum / 4;
    }
    return new double[][] {kernel[0], kernel[1], bias};
  }

  @Test
  void adamWithExponentialDecayFollowsTheScheduleEveryStepWithoutRetracing() {
    float[][] x = new float[16][2];
    for (int i = 0; i < 16; i++) {
      x[i][0] = 2 * i;
      x[i][1] = 2 * i + 1;
    }
    var adam = new Adam(new ExponentialDecay(0.05f, 1, 0.9f));
    try (var model =
        new CountingSequential(
            new Dense(2).kernelInitializer(Constant.of(1f)).biasInitializer(Constant.of(1f)))) {
      model.compile(adam, new MeanSquaredError());
      History history =
          model.fit(x, x, new FitOptions().epochs(3).batchSize(4).shuffle(false).verbose(0));

      double[] want = new double[3];
      double[][] weights = reference(x, x, 3, want);
      List<Double> losses = history.get("loss");
      for (int epoch = 0; epoch < 3; epoch++) {
        assertClose(want[epoch], losses.get(epoch), 5e-5, 0, "loss of epoch " + (epoch + 1));
      }
      // the values Keras's own test expects for this scenario
      assertClose(230.79457092285156, losses.get(0), 5e-5, 0, "Keras's epoch 1 loss");
      assertClose(128.30319213867188, losses.get(1), 5e-5, 0, "Keras's epoch 2 loss");
      assertClose(79.33648681640625, losses.get(2), 5e-5, 0, "Keras's epoch 3 loss");
      List<Variable<TFloat32>> variables = model.trainableVariables();
      try (TFloat32 kernel = variables.get(0).value();
          TFloat32 bias = variables.get(1).value()) {
        float[] k = Tensors.read(kernel);
        float[] b = Tensors.read(bias);
        for (int o = 0; o < 2; o++) {
          assertClose(weights[0][o], k[o], 1e-4, 1e-6, "kernel[0][" + o + "]");
          assertClose(weights[1][o], k[2 + o], 1e-4, 1e-6, "kernel[1][" + o + "]");
          assertClose(weights[2][o], b[o], 1e-4, 1e-6, "bias[" + o + "]");
        }
      }
      assertEquals(12, adam.iterations());
      assertEquals(1, model.trainStepTraces, "the schedule is computed in the graph: no retrace");
      assertClose(0.05 * Math.pow(0.9, 12), adam.learningRate(), 1e-6, 0, "the next step's rate");
      assertEquals(
          List.of("adam/iterations"),
          adam.variables().stream()
              .map(Variable::path)
              .filter(p -> !p.contains("/dense"))
              .collect(Collectors.toList()),
          "with a schedule there is no learning-rate variable, as in Keras");
    }
  }
}
