package dev.tfkeras.layers;

import static dev.tfkeras.layers.LayerConformance.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tfkeras.function.TfFunction;
import dev.tfkeras.initializers.Constant;
import dev.tfkeras.testing.FreshRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

@ExtendWith(FreshRuntime.class)
class DenseTest {

  @Test
  void computesInputTimesKernelPlusBiasThenActivation() {
    // x (2x3), kernel (3x2) = [[1,-1],[2,0],[0,1]], bias [0.5,-4]
    Dense dense =
        new Dense(2, Activation.RELU)
            .kernelInitializer(Constant.values(1, -1, 2, 0, 0, 1))
            .biasInitializer(Constant.values(0.5f, -4f));
    var out = LayerConformance.run(dense, Shape.of(2, 3), new float[] {1, 2, 3, -1, 0, 2}, 3 * 2 + 2);
    // row 1: [1+4+0, -1+0+3] + b = [5.5, -2] -> relu [5.5, 0]
    // row 2: [-1+0+0, 1+0+2] + b = [-0.5, -1] -> relu [0, 0]
    assertEquals(Shape.of(2, 2), out.shape());
    assertArrayEquals(new float[] {5.5f, 0f, 0f, 0f}, out.values(), 1e-6f);
    assertEquals("dense/kernel", dense.variables().get(0).path());
  }

  @Test
  void appliesToTheLastAxisOfHigherRankInputs() {
    Dense dense = new Dense(1).kernelInitializer(Constant.values(1, 10)).useBias(false);
    var out = LayerConformance.run(dense, Shape.of(1, 3, 2), LayerConformance.range(6), 2);
    assertEquals(Shape.of(1, 3, 1), out.shape());
    assertArrayEquals(new float[] {10, 32, 54}, out.values(), 1e-5f);
  }

  @Test
  void kernelIsGlorotUniformByDefault() {
    Dense dense = new Dense(64);
    LayerConformance.run(dense, Shape.of(1, 32), new float[32], 32 * 64 + 64);
    double limit = Math.sqrt(6.0 / (32 + 64));
    try (TFloat32 kernel = dense.variables().get(0).value();
        TFloat32 bias = dense.variables().get(1).value()) {
      float[] k = LayerConformance.values(kernel);
      double max = 0;
      for (float v : k) {
        max = Math.max(max, Math.abs(v));
      }
      org.junit.jupiter.api.Assertions.assertTrue(max <= limit && max > 0.9 * limit, "max |w| " + max);
      assertArrayEquals(new float[64], LayerConformance.values(bias), 0f);
    }
  }

  @Test
  void rejectsNonPositiveUnits() {
    var e = assertThrows(IllegalArgumentException.class, () -> new Dense(0));
    assertEquals(
        "Received an invalid value for `units`, expected a positive integer. Received: units=0",
        e.getMessage());
  }

  @Test
  void rejectsInputsOfTheWrongRankOrFeatureCount() {
    Dense dense = new Dense(4);
    var rank1 = TfFunction.returning(TFloat32.class, x -> dense.apply(x));
    var e = assertThrows(IllegalArgumentException.class,
        () -> LayerConformance.call(rank1, Shape.of(3), new float[3]));
    assertEquals(
        "Input 0 of layer \"dense\" is incompatible with the layer: expected min_ndim=2, found"
            + " ndim=1. Full shape received: (None,)",
        e.getMessage());

    LayerConformance.run(dense, Shape.of(1, 3), new float[3], 3 * 4 + 4);
    var other = TfFunction.returning(TFloat32.class, x -> dense.apply(x));
    e = assertThrows(IllegalArgumentException.class,
        () -> LayerConformance.call(other, Shape.of(1, 5), new float[5]));
    assertEquals(
        "Input 0 of layer \"dense\" is incompatible with the layer: expected axis -1 of input shape"
            + " to have value 3 (input features the layer was built with), found 5. Full shape"
            + " received: (None, 5)",
        e.getMessage());
  }

  @Test
  void settingsAreLockedAfterBuild() {
    Dense dense = new Dense(2);
    LayerConformance.run(dense, Shape.of(1, 2), new float[2], 6);
    var e = assertThrows(IllegalStateException.class, () -> dense.useBias(false));
    assertEquals(
        "Cannot change useBias of layer 'dense' after it was built; set it before the first"
            + " apply().",
        e.getMessage());
  }

  @Test
  void applyOutsideATracedFunctionSaysWhatToDo() {
    Dense dense = new Dense(2);
    var leaked = new java.util.concurrent.atomic.AtomicReference<org.tensorflow.Operand<TFloat32>>();
    var capture = TfFunction.returning(TFloat32.class, x -> {
      leaked.set(x);
      return x;
    });
    LayerConformance.call(capture, Shape.of(1, 2), new float[2]);
    var e = assertThrows(IllegalStateException.class, () -> dense.apply(leaked.get()));
    org.junit.jupiter.api.Assertions.assertTrue(
        e.getMessage().startsWith("No function is being traced."), e.getMessage());
  }
}
