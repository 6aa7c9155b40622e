package dev.tfkeras.optimizers;

import static dev.tfkeras.testing.Numeric.assertWeights;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tfkeras.autodiff.GradientTape;
import dev.tfkeras.function.TfFunction;
import dev.tfkeras.initializers.Constant;
import dev.tfkeras.layers.Layer;
import dev.tfkeras.testing.FreshRuntime;
import dev.tfkeras.testing.Tensors;
import dev.tfkeras.variables.Variable;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** What all optimizers share: step counting, skipped variables, argument checks. */
@ExtendWith(FreshRuntime.class)
class OptimizerTest {

  /** Two weights; the output depends on {@code used} only. */
  static final class TwoWeights extends Layer {
    Variable<TFloat32> used;
    Variable<TFloat32> unused;

    @Override
    protected void build(Shape inputShape) {
      used = addWeight("used", Shape.of(2), Constant.values(1f, -3f), true);
      unused = addWeight("unused", Shape.of(2), Constant.values(5f, 7f), true);
    }

    @Override
    protected Operand<TFloat32> call(Operand<TFloat32> input, boolean training) {
      return used.read(tf());
    }
  }

  @Test
  void iterationsCountsStepsFromZero() {
    var adam = new Adam();
    assertEquals(0, adam.iterations(), "before the first step");
    Problem p = Problem.quadratic(adam, 1f, 2f);
    p.run(4);
    assertEquals(4, adam.iterations());
    assertEquals(1, p.step.traceCount());
  }

  @Test
  void aVariableWithoutGradientIsSkippedAndLeftUnchanged() {
    var layer = new TwoWeights();
    var sgd = new SGD(0.1f, 0.9f, false);
    var step =
        TfFunction.of(
            TFloat32.class,
            x -> {
              Ops tf = TfFunction.ops();
              var tape = new GradientTape();
              Operand<TFloat32> loss;
              try (tape) {
                Operand<TFloat32> w = layer.apply(x);
                loss = tf.math.mul(tf.constant(0.5f), tf.sum(tf.math.square(w), tf.constant(0)));
              }
              List<Operand<TFloat32>> grads = tape.gradient(loss, layer.trainableVariables());
              assertEquals(2, grads.size());
              assertEquals(null, grads.get(1), "no path from the loss to 'unused'");
              sgd.applyGradients(grads, layer.trainableVariables());
            });
    for (int i = 0; i < 2; i++) {
      try (TFloat32 x = Tensors.vector(0f)) {
        step.call(x);
      }
    }
    try (TFloat32 unused = layer.unused.value();
        TFloat32 used = layer.used.value()) {
      assertArrayEquals(new float[] {5f, 7f}, Tensors.read(unused), 0f);
      // momentum on g = w: w1 = .9 w0, v1 = -.1 w0; v2 = -.09 w0 - .09 w0, w2 = .72 w0
      assertWeights(new double[] {0.72, -2.16}, Tensors.read(used), new float[] {1f, -3f}, "used");
    }
    assertEquals(2, sgd.iterations());
    assertEquals(
        Set.of("sgd/iterations", "sgd/learning_rate", "sgd/two_weights/used/momentum"),
        sgd.variables().stream().map(Variable::path).collect(Collectors.toSet()),
        "no slot for the skipped variable");
  }

  @Test
  void gradientAndVariableListsMustHaveTheSameSize() {
    var layer = new TwoWeights();
    var adam = new Adam();
    var step =
        TfFunction.of(
            TFloat32.class,
            x -> {
              Operand<TFloat32> w = layer.apply(x);
              adam.applyGradients(List.of(w), layer.trainableVariables());
            });
    try (TFloat32 x = Tensors.vector(0f)) {
      var e = assertThrows(IllegalArgumentException.class, () -> step.call(x));
      assertEquals(
          "applyGradients needs one gradient per variable: received 1 gradients for 2 variables.",
          e.getMessage());
    }
  }

  @Test
  void aGradientOfTheWrongShapeIsRejected() {
    var layer = new TwoWeights();
    var adam = new Adam();
    var step =
        TfFunction.of(
            TFloat32.class,
            x -> {
              layer.apply(x);
              Ops tf = TfFunction.ops();
              adam.applyGradients(
                  List.of(tf.constant(new float[] {1f, 2f, 3f}), tf.constant(new float[] {1f, 2f})),
                  layer.trainableVariables());
            });
    try (TFloat32 x = Tensors.vector(0f)) {
      var e = assertThrows(IllegalArgumentException.class, () -> step.call(x));
      assertEquals(
          "Gradient for variable 'two_weights/used' has shape [3], expected the variable's shape [2].",
          e.getMessage());
    }
  }

  private static void assertInvalid(String message, Supplier<Optimizer> create) {
    var e = assertThrows(IllegalArgumentException.class, create::get);
    assertEquals(message, e.getMessage());
  }

  @Test
  void invalidLearningRatesAreRejectedWithTheArgumentAndValue() {
    String prefix = "Received an invalid value for `learning_rate`, expected a positive finite number.";
    assertInvalid(prefix + " Received: learning_rate=0.0", () -> new Adam(0f));
    assertInvalid(prefix + " Received: learning_rate=-0.001", () -> new SGD(-1e-3f));
    assertInvalid(prefix + " Received: learning_rate=NaN", () -> new RMSprop(Float.NaN));
    assertInvalid(prefix + " Received: learning_rate=Infinity",
        () -> new Adam(Float.POSITIVE_INFINITY));
    var sgd = new SGD();
    var e = assertThrows(IllegalArgumentException.class, () -> sgd.setLearningRate(-0.5f));
    assertEquals(prefix + " Received: learning_rate=-0.5", e.getMessage());
    assertEquals(0.01f, sgd.learningRate(), "a rejected value leaves the rate unchanged");
  }

  @Test
  void invalidAdamArgumentsAreRejectedWithTheArgumentAndValue() {
    assertInvalid(
        "Received an invalid value for `beta_1`, expected a value in [0.0, 1.0). Received: beta_1=1.0",
        () -> new Adam(1e-3f, 1f, 0.999f, 1e-7f));
    assertInvalid(
        "Received an invalid value for `beta_1`, expected a value in [0.0, 1.0). Received: beta_1=-0.1",
        () -> new Adam(1e-3f, -0.1f, 0.999f, 1e-7f));
    assertInvalid(
        "Received an invalid value for `beta_2`, expected a value in [0.0, 1.0). Received: beta_2=1.5",
        () -> new Adam(1e-3f, 0.9f, 1.5f, 1e-7f));
    assertInvalid(
        "Received an invalid value for `epsilon`, expected a positive number. Received: epsilon=0.0",
        () -> new Adam(1e-3f, 0.9f, 0.999f, 0f));
  }

  @Test
  void invalidMomentumAndRhoAreRejectedWithTheArgumentAndValue() {
    // Keras's SGD takes momentum in the closed range [0, 1] (sgd.py); 1.0 is tested in SGDTest
    assertInvalid(
        "Received an invalid value for `momentum`, expected a value in [0.0, 1.0]. Received: momentum=-0.5",
        () -> new SGD(0.01f, -0.5f, true));
    assertInvalid(
        "Received an invalid value for `momentum`, expected a value in [0.0, 1.0]. Received: momentum=1.5",
        () -> new SGD(0.01, 1.5, false));
    assertInvalid(
        "Received an invalid value for `rho`, expected a value in [0.0, 1.0). Received: rho=1.0",
        () -> new RMSprop(1e-3f, 1f, 0f, 1e-7f, false));
    assertInvalid(
        "Received an invalid value for `momentum`, expected a value in [0.0, 1.0). Received: momentum=2.0",
        () -> new RMSprop(1e-3f, 0.9f, 2f, 1e-7f, true));
    assertInvalid(
        "Received an invalid value for `epsilon`, expected a positive number. Received: epsilon=-1.0",
        () -> new RMSprop(1e-3f, 0.9f, 0f, -1f, false));
  }
}
