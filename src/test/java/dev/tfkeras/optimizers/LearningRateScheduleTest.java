package dev.tfkeras.optimizers;

import static dev.tfkeras.testing.Numeric.assertWeights;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tfkeras.optimizers.schedules.CosineDecay;
import dev.tfkeras.optimizers.schedules.ExponentialDecay;
import dev.tfkeras.optimizers.schedules.PiecewiseConstantDecay;
import dev.tfkeras.optimizers.schedules.PolynomialDecay;
import dev.tfkeras.testing.FreshRuntime;
import dev.tfkeras.variables.Variable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.types.family.TType;

/**
 * Optimizers driven by a schedule: the rate of each step is the schedule at the iteration count.
 */
@ExtendWith(FreshRuntime.class)
class LearningRateScheduleTest {

  private static final float[] START = {1f, -2f, 0.5f};
  private static final float[] C = {0.5f, -1f, 2f};

  @Test
  void eachStepUsesTheScheduleAtTheIterationCountWithoutRetracing() {
    // 1.0 for iterations 0..2, 0.1 for 3..4, 0.01 after: w = start - c · Σ rates
    var sgd = new SGD(new PiecewiseConstantDecay(new long[] {2, 4}, new float[] {1f, 0.1f, 0.01f}));
    var p = NamedProblem.single(sgd, START, C);
    double[] rates = {1, 1, 1, 0.1, 0.1, 0.01, 0.01};
    double sum = 0;
    for (int t = 0; t < rates.length; t++) {
      assertEquals((float) rates[t], sgd.learningRate(), "the rate the next step will use");
      p.run(1);
      sum += rates[t];
      double[] want = new double[START.length];
      for (int i = 0; i < want.length; i++) {
        want[i] = START[i] - C[i] * sum;
      }
      assertWeights(want, p.weights("w"), START, "w after step " + (t + 1));
    }
    assertEquals(1, p.step.traceCount());
  }

  @Test
  void weightDecayUsesTheScheduledRate() {
    var schedule = new CosineDecay(0.01f, 4, 0.2f, 0.1f, 2);
    var adamw = new AdamW(schedule);
    var p = NamedProblem.single(adamw, START, null);
    p.run(8);
    KerasReference want =
        p.reference(AdamTest.RULE).learningRate(schedule::valueAt).weightDecay(0.004, true).run(8);
    assertWeights(want.weights(0), p.weights("w"), START, "w");
    // the schedule itself, by hand: warmup to 0.1 over 2 steps, cosine over 4 to 0.02
    assertEquals(0.055f, schedule.valueAt(1), 1e-8f);
    assertEquals(0.06f, schedule.valueAt(4), 1e-7f);
  }

  @Test
  void theSetterWorksBeforeTheFirstStepOnly() {
    var schedule = new ExponentialDecay(0.5f, 1, 0.5f);
    var sgd = new SGD(0.1f);
    sgd.setLearningRate(schedule);
    assertEquals(Optional.of(schedule), sgd.learningRateSchedule());
    var p = NamedProblem.single(sgd, START, C);
    p.run(2);
    double[] want = new double[START.length];
    for (int i = 0; i < want.length; i++) {
      want[i] = START[i] - C[i] * (0.5 + 0.25);
    }
    assertWeights(want, p.weights("w"), START, "w");
    var e =
        assertThrows(
            IllegalStateException.class, () -> sgd.setLearningRate(new PolynomialDecay(1f, 10)));
    assertEquals(
        "Optimizer 'sgd' has already been used in a train step, which fixed its options: set a"
            + " learning-rate schedule before the first step, or create a new optimizer.",
        e.getMessage());
  }

  @Test
  void aScheduledRateCannotBeSetAsKerasRefuses() {
    var adam = new Adam(new ExponentialDecay(0.5f, 1, 0.5f));
    var e = assertThrows(IllegalStateException.class, () -> adam.setLearningRate(0.1f));
    assertEquals(
        "Optimizer 'adam' was given a LearningRateSchedule (ExponentialDecay[initialLearningRate=0.5,"
            + " decaySteps=1, decayRate=0.5, staircase=false]), hence its learning rate is not"
            + " settable. If you need the learning rate to be settable, create the optimizer with a"
            + " float learning rate.",
        e.getMessage());
    assertEquals(Optional.empty(), new Adam().learningRateSchedule());
  }

  @Test
  void restoredIterationsContinueTheSchedule() {
    var schedule = new ExponentialDecay(0.5f, 1, 0.5f);
    var first = new SGD(schedule);
    NamedProblem.single(first, START, C).run(3);
    Map<String, TType> state = new LinkedHashMap<>();
    for (Variable<?> v : first.variables()) {
      state.put(v.path(), v.value());
    }
    var resumed = new SGD(schedule);
    resumed.restoreState(state);
    state.values().forEach(TType::close);
    var p = NamedProblem.single(resumed, START, C);
    p.run(1);
    double[] want = new double[START.length];
    for (int i = 0; i < want.length; i++) {
      want[i] = START[i] - C[i] * 0.5 * Math.pow(0.5, 3);
    }
    assertWeights(want, p.weights("w"), START, "the fourth step's rate");
    assertEquals(4, resumed.iterations());
  }
}
