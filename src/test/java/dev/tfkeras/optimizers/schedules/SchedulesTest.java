package dev.tfkeras.optimizers.schedules;

import static dev.tfkeras.testing.Numeric.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.function.LongToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Each schedule's ops against Keras 3's formula computed here in doubles, at steps before, at and
 * after its turning points; and Keras's argument errors.
 */
class SchedulesTest {

  private static final long[] STEPS = {
    0, 1, 2, 5, 9, 10, 11, 15, 19, 20, 21, 30, 99, 100, 101, 1000
  };

  private static void assertFollows(LearningRateSchedule schedule, LongToDoubleFunction keras) {
    for (long step : STEPS) {
      assertClose(
          keras.applyAsDouble(step),
          schedule.valueAt(step),
          2e-6,
          1e-9,
          schedule + " at step " + step);
    }
  }

  @Test
  void exponentialDecay() {
    assertFollows(new ExponentialDecay(0.1f, 10, 0.5f), step -> 0.1 * Math.pow(0.5, step / 10.0));
    // by hand: half the rate after decaySteps
    assertEquals(0.05f, new ExponentialDecay(0.1f, 10, 0.5f).valueAt(10), 1e-8f);
  }

  @Test
  void exponentialDecayStaircase() {
    assertFollows(
        new ExponentialDecay(0.1f, 10, 0.5f, true),
        step -> 0.1 * Math.pow(0.5, Math.floor(step / 10.0)));
    assertEquals(
        0.1f, new ExponentialDecay(0.1f, 10, 0.5f, true).valueAt(9), 0f, "unchanged until step 10");
  }

  @Test
  void piecewiseConstantDecay() {
    var schedule = new PiecewiseConstantDecay(new long[] {10, 20}, new float[] {1f, 0.5f, 0.1f});
    assertFollows(schedule, step -> step <= 10 ? 1.0f : step <= 20 ? 0.5f : 0.1f);
    // Keras's boundaries are inclusive on the left piece
    assertEquals(1f, schedule.valueAt(10));
    assertEquals(0.5f, schedule.valueAt(11));
    assertEquals(0.5f, schedule.valueAt(20));
    assertEquals(0.1f, schedule.valueAt(21));
    assertFollows(
        new PiecewiseConstantDecay(new long[] {5}, new float[] {0.3f, 0.03f}),
        step -> step <= 5 ? 0.3f : 0.03f);
  }

  /** Keras's cosine factor. */
  private static double cosine(double step, double decaySteps, double alpha) {
    double fraction = Math.min(step, decaySteps) / decaySteps;
    return (1 - alpha) * 0.5 * (1 + Math.cos(Math.PI * fraction)) + alpha;
  }

  @Test
  void cosineDecay() {
    assertFollows(new CosineDecay(0.2f, 20), step -> 0.2 * cosine(step, 20, 0));
    assertFollows(new CosineDecay(0.2f, 20, 0.1f), step -> 0.2 * cosine(step, 20, 0.1));
    assertEquals(0.1f, new CosineDecay(0.2f, 20).valueAt(10), 1e-7f, "half way: half the rate");
    assertEquals(
        0.02f, new CosineDecay(0.2f, 20, 0.1f).valueAt(500), 1e-8f, "alpha · rate at the end");
  }

  @Test
  void cosineDecayWithWarmup() {
    // rises linearly from 0.01 to 0.5 over 10 steps, then decays over 20 to alpha · 0.5
    var schedule = new CosineDecay(0.01f, 20, 0.1f, 0.5f, 10);
    assertFollows(
        schedule,
        step -> {
          double s = Math.min(step, 30);
          return s < 10 ? (0.5 - 0.01) * s / 10 + 0.01 : 0.5 * cosine(s - 10, 20, 0.1);
        });
    assertEquals(0.01f, schedule.valueAt(0), 1e-9f);
    assertEquals(0.5f, schedule.valueAt(10), 1e-7f, "the target when warmup ends");
    // warmup target without warmup steps: the decay starts from the target at once
    assertFollows(new CosineDecay(0.01f, 20, 0f, 0.5f, 0), step -> 0.5 * cosine(step, 20, 0));
  }

  /** Keras's polynomial decay. */
  private static double polynomial(
      double step, double initial, double decaySteps, double end, double power, boolean cycle) {
    double s = step;
    double d = decaySteps;
    if (cycle) {
      d = decaySteps * (s == 0 ? 1 : Math.ceil(s / decaySteps));
    } else {
      s = Math.min(s, decaySteps);
    }
    return (initial - end) * Math.pow(1 - s / d, power) + end;
  }

  @Test
  void polynomialDecay() {
    assertFollows(new PolynomialDecay(0.1f, 20), step -> polynomial(step, 0.1, 20, 1e-4, 1, false));
    assertFollows(
        new PolynomialDecay(0.1f, 20, 0.01f, 2f, false),
        step -> polynomial(step, 0.1, 20, 0.01, 2, false));
    assertEquals(0.0505f, new PolynomialDecay(0.1f, 20, 0.001f, 1f, false).valueAt(10), 1e-8f);
  }

  @Test
  void polynomialDecayCycles() {
    var schedule = new PolynomialDecay(0.1f, 20, 0.01f, 0.5f, true);
    assertFollows(schedule, step -> polynomial(step, 0.1, 20, 0.01, 0.5, true));
    // step 21 is in the second cycle: decaySteps 40, so the rate jumps back up
    assertEquals((0.1 - 0.01) * Math.sqrt(1 - 21 / 40.0) + 0.01, schedule.valueAt(21), 1e-7);
    assertEquals(0.01f, schedule.valueAt(20), 1e-8f, "the end of the first cycle");
  }

  private static void assertInvalid(String message, Executable create) {
    var e = assertThrows(IllegalArgumentException.class, create);
    assertEquals(message, e.getMessage());
  }

  @Test
  void kerasArgumentErrors() {
    assertInvalid(
        "Argument `decay_steps` must be > 0. Received: decay_steps=0",
        () -> new ExponentialDecay(0.1f, 0, 0.9f));
    assertInvalid(
        "Argument `decay_steps` must be > 0. Received: decay_steps=-5",
        () -> new CosineDecay(0.1f, -5));
    assertInvalid(
        "Argument `decay_steps` must be > 0. Received: decay_steps=0",
        () -> new PolynomialDecay(0.1f, 0));
    assertInvalid(
        "The length of boundaries should be 1 less than the length of values. Received:"
            + " boundaries=[10, 20] of length 2, and values=[1.0, 0.5] of length 2.",
        () -> new PiecewiseConstantDecay(new long[] {10, 20}, new float[] {1f, 0.5f}));
    assertInvalid(
        "boundaries must be strictly increasing, received: boundaries=[20, 10]. Sort them and drop"
            + " repeated steps.",
        () -> new PiecewiseConstantDecay(new long[] {20, 10}, new float[] {1f, 0.5f, 0.1f}));
    assertInvalid(
        "Argument `warmup_steps` must be >= 0. Received: warmup_steps=-1",
        () -> new CosineDecay(0.1f, 10, 0f, 1f, -1));
    assertInvalid(
        "Argument `initial_learning_rate` must be a finite number. Received:"
            + " initial_learning_rate=NaN",
        () -> new ExponentialDecay(Float.NaN, 10, 0.9f));
    assertInvalid(
        "A schedule's step counts the optimizer's applied steps and cannot be negative. Received:"
            + " step=-1",
        () -> new CosineDecay(0.1f, 10).valueAt(-1));
  }

  @Test
  void doubleLiteralsGiveTheSameSchedules() {
    // Keras programs type doubles: new ExponentialDecay(0.1, 10, 0.5) is the float form's schedule
    for (long step : new long[] {0, 5, 10, 25}) {
      assertEquals(new ExponentialDecay(0.1f, 10, 0.5f).valueAt(step),
          new ExponentialDecay(0.1, 10, 0.5).valueAt(step), 0f);
      assertEquals(new PolynomialDecay(0.1f, 20).valueAt(step),
          new PolynomialDecay(0.1, 20).valueAt(step), 0f);
      assertEquals(new CosineDecay(0.01f, 20, 0.1f, 0.5f, 10).valueAt(step),
          new CosineDecay(0.01, 20, 0.1, 0.5, 10).valueAt(step), 0f);
      assertEquals(
          new PiecewiseConstantDecay(new long[] {10, 20}, new float[] {1f, 0.5f, 0.1f}).valueAt(step),
          new PiecewiseConstantDecay(new long[] {10, 20}, new double[] {1, 0.5, 0.1}).valueAt(step),
          0f);
    }
  }
}
