package dev.tfkeras.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tfkeras.function.TfFunction;
import dev.tfkeras.layers.Activation;
import dev.tfkeras.layers.Conv2D;
import dev.tfkeras.layers.Dense;
import dev.tfkeras.layers.Layer;
import dev.tfkeras.layers.LayerConformance;
import dev.tfkeras.models.Model;
import dev.tfkeras.optimizers.SGD;
import dev.tfkeras.testing.FreshRuntime;
import dev.tfkeras.variables.Variable;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

@ExtendWith(FreshRuntime.class)
class GradientTapeTest {

  /** loss = sum(c * layer(x)) + 0.5 sum(layer(x)^2), with fixed random c: non-trivial upstream. */
  private static Operand<TFloat32> loss(Layer layer, Operand<TFloat32> x, float[] c) {
    Ops tf = TfFunction.ops();
    Operand<TFloat32> y = layer.apply(x);
    Operand<TFloat32> coeffs = tf.reshape(tf.constant(c), tf.shape(y));
    Operand<TFloat32> linear = tf.sum(tf.math.mul(coeffs, y), tf.range(tf.constant(0), tf.rank(y), tf.constant(1)));
    Operand<TFloat32> square = tf.sum(tf.math.square(y), tf.range(tf.constant(0), tf.rank(y), tf.constant(1)));
    return tf.math.add(linear, tf.math.mul(tf.constant(0.5f), square));
  }

  /** Compares tape gradients of every weight of {@code layer} with central differences. */
  private static void checkAgainstFiniteDifferences(Layer layer, Shape inputShape, int outputSize) {
    Random random = new Random(3);
    float[] x = new float[(int) inputShape.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = random.nextFloat() * 2 - 1;
    }
    float[] c = new float[outputSize];
    for (int i = 0; i < c.length; i++) {
      c[i] = random.nextFloat() * 2 - 1;
    }
    var lossFn = TfFunction.returning(TFloat32.class, in -> loss(layer, in, c));
    LayerConformance.call(lossFn, inputShape, x); // builds the layer
    List<Variable<TFloat32>> weights = layer.trainableVariables();
    for (int w = 0; w < weights.size(); w++) {
      int index = w;
      var gradFn =
          TfFunction.returning(
              TFloat32.class,
              in -> {
                var tape = new GradientTape();
                Operand<TFloat32> value;
                try (tape) {
                  value = loss(layer, in, c);
                }
                return tape.gradient(value, layer.trainableVariables()).get(index);
              });
      float[] analytic = LayerConformance.call(gradFn, inputShape, x).values();
      Variable<TFloat32> weight = weights.get(w);
      float[] original;
      try (TFloat32 v = weight.value()) {
        original = LayerConformance.values(v);
      }
      float h = 1e-2f;
      for (int i = 0; i < original.length; i++) {
        float[] plus = original.clone();
        plus[i] += h;
        float[] minus = original.clone();
        minus[i] -= h;
        double up = evaluate(lossFn, weight, plus, inputShape, x);
        double down = evaluate(lossFn, weight, minus, inputShape, x);
        double numeric = (up - down) / (2 * h);
        assertEquals(numeric, analytic[i], 2e-3 * Math.max(1, Math.abs(numeric)),
            weight.path() + "[" + i + "]");
      }
      try (TFloat32 v = LayerConformance.tensor(weight.shape(), original)) {
        weight.assign(v);
      }
    }
  }

  private static double evaluate(
      TfFunction<TFloat32> lossFn, Variable<TFloat32> weight, float[] value, Shape shape, float[] x) {
    try (TFloat32 v = LayerConformance.tensor(weight.shape(), value)) {
      weight.assign(v);
    }
    return LayerConformance.call(lossFn, shape, x).values()[0];
  }

  @Test
  void denseGradientsMatchFiniteDifferences() {
    checkAgainstFiniteDifferences(new Dense(3, Activation.TANH), Shape.of(2, 4), 2 * 3);
  }

  @Test
  void conv2dGradientsMatchFiniteDifferences() {
    checkAgainstFiniteDifferences(new Conv2D(2, 2, Activation.SIGMOID), Shape.of(1, 3, 3, 2), 2 * 2 * 2);
  }

  static class TwoHeads extends Model {
    final Dense used = new Dense(1);
    final Dense unused = new Dense(1);

    @Override
    protected Operand<TFloat32> call(Operand<TFloat32> x, boolean training) {
      unused.apply(x);
      return used.apply(x);
    }
  }

  @Test
  void variablesTheLossDoesNotReachGetNullAndAreLeftUnchanged() {
    try (var model = new TwoHeads()) {
      var optimizer = new SGD(0.1f);
      var nulls = new AtomicReference<List<Operand<TFloat32>>>();
      var step =
          TfFunction.of(
              TFloat32.class,
              x -> {
                var tape = new GradientTape();
                Operand<TFloat32> loss;
                try (tape) {
                  loss = TfFunction.ops().sum(model.apply(x, true), TfFunction.ops().constant(new int[] {0, 1}));
                }
                var gradients = tape.gradient(loss, model.trainableVariables());
                nulls.set(gradients);
                optimizer.applyGradients(gradients, model.trainableVariables());
              });
      try (TFloat32 x = LayerConformance.tensor(Shape.of(1, 2), 1f, 2f)) {
        step.call(x);
        float[] before = read(model.unused.variables().get(0));
        step.call(x);
        LayerConformance.assertArrayEquals(before, read(model.unused.variables().get(0)), 0f);
      }
      // first-call order: unused was applied first
      assertEquals(List.of("unused/kernel", "unused/bias", "used/kernel", "used/bias"),
          model.trainableVariables().stream().map(Variable::path).toList());
      assertNull(nulls.get().get(0), "unused/kernel");
      assertNull(nulls.get().get(1), "unused/bias");
      assertNotNull(nulls.get().get(2), "used/kernel");
      assertNotNull(nulls.get().get(3), "used/bias");
      assertEquals(2, optimizer.iterations());
    }
  }

  @Test
  void applyingOnlyMissingGradientsIsAnError() {
    Dense dense = new Dense(1);
    var optimizer = new SGD(0.1f);
    var step =
        TfFunction.of(
            TFloat32.class,
            x -> {
              var tape = new GradientTape();
              Operand<TFloat32> loss;
              try (tape) {
                dense.apply(x);
                loss = TfFunction.ops().sum(x, TfFunction.ops().constant(new int[] {0, 1}));
              }
              optimizer.applyGradients(tape.gradient(loss, dense.trainableVariables()), dense.trainableVariables());
            });
    var e = assertThrows(IllegalArgumentException.class, () -> callWithOnes(step));
    assertEquals(
        "No gradients provided for any variable: the loss depends on none of [dense/kernel,"
            + " dense/bias]. Check that the loss is computed from the model's output inside the tape.",
        e.getMessage());
  }

  @Test
  void gradientTwiceOnANonPersistentTapeFails() {
    Dense dense = new Dense(1);
    var fn =
        TfFunction.of(
            TFloat32.class,
            x -> {
              var tape = new GradientTape();
              Operand<TFloat32> y;
              try (tape) {
                y = dense.apply(x);
              }
              tape.gradient(y, dense.trainableVariables());
              tape.gradient(y, dense.trainableVariables());
            });
    var e = assertThrows(IllegalStateException.class, () -> callWithOnes(fn));
    assertEquals(
        "GradientTape.gradient was already called on this tape; a tape computes gradients once."
            + " Use GradientTape.persistent() to call gradient several times.",
        e.getMessage());
  }

  @Test
  void persistentTapesAllowSeveralGradients() {
    Dense dense = new Dense(1);
    var fn =
        TfFunction.of(
            TFloat32.class,
            x -> {
              var tape = GradientTape.persistent();
              Operand<TFloat32> y;
              try (tape) {
                y = dense.apply(x);
              }
              assertNotNull(tape.gradient(y, dense.trainableVariables()).get(0));
              assertNotNull(tape.gradient(y, dense.trainableVariables()).get(0));
            });
    callWithOnes(fn);
  }

  @Test
  void aLossComputedAfterTheTapeClosedIsRejected() {
    Dense dense = new Dense(1);
    var fn =
        TfFunction.of(
            TFloat32.class,
            x -> {
              var tape = new GradientTape();
              tape.close();
              Operand<TFloat32> y = dense.apply(x);
              tape.gradient(y, dense.trainableVariables());
            });
    var e = assertThrows(IllegalArgumentException.class, () -> callWithOnes(fn));
    assertEquals(
        "The target 'dense/BiasAdd' was not computed while the tape was open, so it has no"
            + " recorded path to the variables. Compute the loss inside the try (tape) block.",
        e.getMessage());
  }

  @Test
  void aTapeNeedsATracedFunction() {
    var e = assertThrows(IllegalStateException.class, GradientTape::new);
    assertEquals(true, e.getMessage().startsWith("No function is being traced."));
  }

  private static void callWithOnes(TfFunction<Void> fn) {
    try (TFloat32 x = LayerConformance.tensor(Shape.of(1, 2), 1f, 1f)) {
      fn.call(x);
    }
  }

  private static float[] read(Variable<TFloat32> v) {
    try (TFloat32 t = v.value()) {
      return LayerConformance.values(t);
    }
  }
}
