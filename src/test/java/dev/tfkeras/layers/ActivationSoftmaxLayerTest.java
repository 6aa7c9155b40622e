package dev.tfkeras.layers;

import static dev.tfkeras.layers.LayerConformance.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.activations.Activations;
import dev.tfkeras.function.TfFunction;
import dev.tfkeras.function.Trace;
import dev.tfkeras.runtime.GraphRuntime;
import dev.tfkeras.testing.FreshRuntime;
import dev.tfkeras.testing.GradientCheck;
import dev.tfkeras.testing.Tensors;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

@ExtendWith(FreshRuntime.class)
class ActivationSoftmaxLayerTest {

  @Test
  void activationLayerAppliesTheFunctionByConstantOrKerasName() {
    // keras.layers.Activation('relu')([-3, -1, 0, 2]) = [0, 0, 0, 2]
    float[] x = {-3, -1, 0, 2};
    Activation byName = new Activation("relu");
    var out = LayerConformance.run(byName, Shape.of(1, 4), x, 0);
    assertArrayEquals(new float[] {0, 0, 0, 2}, out.values(), 0f);
    assertEquals("activation", byName.name());
    assertSame(Activations.RELU, byName.function());

    GraphRuntime.reset();
    var tanh = LayerConformance.run(new Activation(Activation.TANH), Shape.of(1, 4), x, 0);
    for (int i = 0; i < 4; i++) {
      assertEquals((float) Math.tanh(x[i]), tanh.values()[i], 1e-6f);
    }
    GraphRuntime.reset();
    var leaky = LayerConformance.run(new Activation(Activations.leakyRelu(0.5f)), Shape.of(1, 4), x, 0);
    assertArrayEquals(new float[] {-1.5f, -0.5f, 0, 2}, leaky.values(), 0f);
  }

  @Test
  void activationConstantsAreTheKerasFunctionsLayersTake() {
    assertSame(Activations.RELU, Activation.RELU);
    assertSame(Activations.SILU, Activation.SWISH);
    assertSame(Activations.LINEAR, Activation.LINEAR);
    new Dense(4, Activation.SIGMOID); // compiles and constructs, as before the layer existed
    new Conv2D(4, 3, Activation.RELU);
    var e = assertThrows(IllegalArgumentException.class, () -> new Activation("no_such"));
    assertTrue(e.getMessage().startsWith("Could not interpret activation function identifier: no_such."));
  }

  @Test
  void activationAndSoftmaxPassAKerasMaskOnAndSoftmaxUsesIt() {
    Activation relu = new Activation("relu");
    Softmax softmax = new Softmax();
    boolean[] passed = new boolean[2];
    var fn = TfFunction.returning(TFloat32.class, x -> {
      Ops tf = TfFunction.ops();
      Operand<TBool> mask = tf.constant(new boolean[][] {{true, true, false}});
      Trace.current().setMask(x, mask);
      Operand<TFloat32> a = relu.apply(x);
      Operand<TFloat32> p = softmax.apply(a);
      passed[0] = Trace.current().mask(a) == mask;
      passed[1] = Trace.current().mask(p) == mask;
      return p;
    });
    var out = LayerConformance.call(fn, Shape.of(1, 3), new float[] {1, -2, 5});
    assertTrue(passed[0], "Activation keeps the mask");
    assertTrue(passed[1], "Softmax keeps the mask");
    // relu -> [1, 0, 5]; the third position is masked out of the softmax
    double e = Math.E;
    assertArrayEquals(new float[] {(float) (e / (e + 1)), (float) (1 / (e + 1)), 0}, out.values(), 1e-6f);
  }

  @Test
  void softmaxLayerNormalizesTheChosenAxis() {
    // keras.layers.Softmax()([1, 2, 1]) = [0.21194157, 0.5761169, 0.21194157]
    var out = LayerConformance.run(new Softmax(), Shape.of(1, 3), new float[] {1, 2, 1}, 0);
    assertArrayEquals(new float[] {0.21194157f, 0.5761169f, 0.21194157f}, out.values(), 1e-6f);

    GraphRuntime.reset();
    // axis 1 of (1, 2, 2): each column of the 2x2 example sums to 1
    float[] x = {0, 1, 2, 5};
    var columns = LayerConformance.run(new Softmax(1), Shape.of(1, 2, 2), x, 0);
    double a = 1 / (1 + Math.exp(2));
    double b = 1 / (1 + Math.exp(4));
    assertArrayEquals(new float[] {(float) a, (float) b, (float) (1 - a), (float) (1 - b)}, columns.values(), 1e-6f);
  }

  @Test
  void softmaxWithAMaskGivesMaskedPositionsZero() {
    Softmax softmax = new Softmax();
    var fn = TfFunction.returning(TFloat32.class, TBool.class,
        (x, m) -> softmax.apply(List.of(x, TfFunction.ops().reshape(m, TfFunction.ops().constant(new int[] {-1, 3}))), false));
    try (TFloat32 x = Tensors.floats(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        TBool mask = TBool.vectorOf(true, false, true, false, false, false);
        TFloat32 y = fn.call(x, mask)) {
      double e = Math.exp(2);
      // row 0: softmax over {1, 3}; row 1: everything masked -> zeros
      assertArrayEquals(new float[] {(float) (1 / (1 + e)), 0, (float) (e / (1 + e)), 0, 0, 0},
          Tensors.read(y), 1e-6f);
    }
  }

  @Test
  void softmaxMaskMustBroadcast() {
    Softmax softmax = new Softmax();
    var fn = TfFunction.returning(TFloat32.class, TFloat32.class, (x, m) -> softmax.apply(List.of(x, m), false));
    try (TFloat32 x = Tensors.floats(new float[6], 2, 3);
        TFloat32 m = Tensors.floats(new float[4], 2, 2)) {
      var e = assertThrows(IllegalArgumentException.class, () -> fn.call(x, m));
      assertEquals("The `mask` must be broadcastable to `inputs`. Each mask dimension must be 1 or match"
          + " the corresponding input dimension. Received: inputs.shape=(None, 3), mask.shape=(None, 2)",
          e.getMessage());
    }
  }

  @Test
  void softmaxLayerGradientMatchesFiniteDifferences() {
    float[] x = {0.3f, -1.2f, 2.0f, 0.7f, 1.1f, -0.4f};
    GradientCheck.of(x, new long[] {2, 3}, v -> new Softmax().apply(v)).assertMatchesFiniteDifferences(1e-2, 2e-3, "softmax");
    GraphRuntime.reset();
    GradientCheck.of(x, new long[] {2, 3}, v -> new Softmax(0).apply(v)).assertMatchesFiniteDifferences(1e-2, 2e-3, "softmax axis 0");
  }
}
