package dev.tfkeras.optimizers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.runtime.GraphRuntime;
import dev.tfkeras.testing.FreshRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;

/**
 * Typed fluent setters with Keras's names ({@code new Adam().learningRate(1e-3).beta1(0.9)}):
 * each sets what the positional constructor sets, validates with the constructor's message, and is
 * refused once a step fixed the optimizer's options.
 */
@ExtendWith(FreshRuntime.class)
class OptimizerSettersTest {

  private static final float[] START = {1f, -2f, 0.25f, 3.5f};

  private static void assertInvalid(String message, Executable set) {
    var e = assertThrows(IllegalArgumentException.class, set);
    assertEquals(message, e.getMessage());
  }

  /** Runs both optimizers three steps on the same problem and compares the weights. */
  private static void assertSameSteps(Optimizer positional, Optimizer fluent) {
    var a = NamedProblem.single(positional, START, null);
    a.run(3);
    float[] want = a.weights("w");
    GraphRuntime.reset();
    var b = NamedProblem.single(fluent, START, null);
    b.run(3);
    assertArrayEquals(want, b.weights("w"), 0f, fluent.name());
  }

  @Test
  void settersChainWithTheirOwnTypeAndMatchThePositionalForm() {
    assertSameSteps(new Adam(0.1, 0.8, 0.9, 1e-3, true),
        new Adam().learningRate(0.1).beta1(0.8).beta2(0.9).epsilon(1e-3).amsgrad(true));
    assertSameSteps(new AdamW(0.1, 0.01, 0.8, 0.9, 1e-3, false),
        new AdamW().learningRate(0.1).beta1(0.8).beta2(0.9).epsilon(1e-3).amsgrad(false)
            .weightDecay(0.01));
    assertSameSteps(new Adamax(0.1, 0.8, 0.9, 1e-3),
        new Adamax().learningRate(0.1).beta1(0.8).beta2(0.9).epsilon(1e-3));
    assertSameSteps(new Nadam(0.1, 0.8, 0.9, 1e-3),
        new Nadam().learningRate(0.1).beta1(0.8).beta2(0.9).epsilon(1e-3));
    assertSameSteps(new Adadelta(0.5, 0.8, 1e-3),
        new Adadelta().learningRate(0.5).rho(0.8).epsilon(1e-3));
    assertSameSteps(new Adagrad(0.1, 0.2, 1e-3),
        new Adagrad().learningRate(0.1).initialAccumulatorValue(0.2).epsilon(1e-3));
    assertSameSteps(new RMSprop(0.1, 0.8, 0.5, 1e-3, true),
        new RMSprop().learningRate(0.1).rho(0.8).momentum(0.5).epsilon(1e-3).centered(true));
    assertSameSteps(new Lion(0.1, 0.8, 0.9), new Lion().learningRate(0.1).beta1(0.8).beta2(0.9));
    assertSameSteps(new Ftrl(0.1, -0.7, 0.2, 0.3, 0.4, 0.05, 0.5),
        new Ftrl().learningRate(0.1).learningRatePower(-0.7).initialAccumulatorValue(0.2)
            .l1RegularizationStrength(0.3).l2RegularizationStrength(0.4)
            .l2ShrinkageRegularizationStrength(0.05).beta(0.5));
    assertSameSteps(new SGD(0.1, 0.9, true), new SGD().learningRate(0.1).momentum(0.9).nesterov(true));
  }

  @Test
  void gettersReturnWhatWasSet() {
    var adam = new Adam().beta1(0.8).beta2(0.95).epsilon(1e-6).amsgrad(true);
    assertEquals(0.8f, adam.beta1());
    assertEquals(0.95f, adam.beta2());
    assertEquals(1e-6f, adam.epsilon());
    assertTrue(adam.amsgrad());
    assertEquals(0.2f, new Ftrl().l1RegularizationStrength(0.2).l1RegularizationStrength());
    assertEquals(0.5f, new RMSprop().momentum(0.5).momentum());
    assertEquals(0.3f, new Adagrad().initialAccumulatorValue(0.3).initialAccumulatorValue());
  }

  @Test
  void settersValidateWithKerassMessages() {
    String range = "expected a value in [0.0, 1.0).";
    assertInvalid("Received an invalid value for `beta_1`, " + range + " Received: beta_1=1.0",
        () -> new Adam().beta1(1.0));
    assertInvalid("Received an invalid value for `beta_2`, " + range + " Received: beta_2=-0.1",
        () -> new Nadam().beta2(-0.1));
    assertInvalid("Received an invalid value for `epsilon`, expected a positive number. Received:"
        + " epsilon=0.0", () -> new Adamax().epsilon(0));
    assertInvalid("Received an invalid value for `rho`, " + range + " Received: rho=1.5",
        () -> new Adadelta().rho(1.5));
    assertInvalid("Received an invalid value for `momentum`, " + range + " Received: momentum=1.0",
        () -> new RMSprop().momentum(1.0));
    assertInvalid("Received an invalid value for `initial_accumulator_value`, expected a finite"
        + " number >= 0. Received: initial_accumulator_value=-1.0",
        () -> new Adagrad().initialAccumulatorValue(-1));
    assertInvalid("Argument `beta_1` must be in the [0, 1] range. Otherwise, the optimizer"
        + " degenerates to SignSGD. Received: beta_1=0.0.", () -> new Lion().beta1(0));
    assertInvalid("`learning_rate_power` needs to be negative or zero. Received:"
        + " learning_rate_power=0.5.", () -> new Ftrl().learningRatePower(0.5));
    assertInvalid("`l2_regularization_strength` needs to be positive or zero. Received:"
        + " l2_regularization_strength=-0.1.", () -> new Ftrl().l2RegularizationStrength(-0.1));
    assertInvalid("Received an invalid value for `momentum`, expected a value in [0.0, 1.0]."
        + " Received: momentum=1.5", () -> new SGD().momentum(1.5));
    assertInvalid("Received an invalid value for `learning_rate`, expected a positive finite number."
        + " Received: learning_rate=0.0", () -> new Adam().learningRate(0));
  }

  @Test
  void settersAreRefusedAfterTheFirstStep() {
    var adam = new Adam();
    NamedProblem.single(adam, START, null).run(1);
    var e = assertThrows(IllegalStateException.class, () -> adam.beta1(0.5));
    assertEquals(
        "Optimizer 'adam' has already been used in a train step, which fixed its options: set"
            + " beta_1 before the first step, or create a new optimizer.",
        e.getMessage());
    assertThrows(IllegalStateException.class, () -> adam.amsgrad(true));
    // the learning rate stays settable, as Keras's optimizer.learning_rate
    assertEquals(0.5f, adam.learningRate(0.5).learningRate());
  }
}
