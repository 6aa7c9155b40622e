package dev.tfkeras.layers;

import static dev.tfkeras.layers.LayerConformance.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.function.TfFunction;
import dev.tfkeras.initializers.Constant;
import dev.tfkeras.models.Model;
import dev.tfkeras.models.Sequential;
import dev.tfkeras.testing.FreshRuntime;
import dev.tfkeras.testing.Tensors;
import dev.tfkeras.variables.Variable;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

@ExtendWith(FreshRuntime.class)
class WeightsAccessTest {

  private static float[] flat(FloatNdArray a) {
    float[] out = new float[(int) a.shape().size()];
    a.copyTo(DataBuffers.of(out, false, false));
    return out;
  }

  private static Model built(Model model, Shape input) {
    model.buildFor(input);
    return model;
  }

  @Test
  void getAndSetWeightsRoundTripInKerasOrder() {
    Dense d1 = new Dense(3).kernelInitializer(Constant.values(1, 2, 3, 4, 5, 6)).biasInitializer(Constant.of(0.5f));
    Dense d2 = new Dense(1, Activation.RELU);
    Model model = built(new Sequential(d1, d2), Shape.of(-1, 2));
    List<Variable<TFloat32>> order = model.weights();
    assertEquals(List.of(d1.kernel(), d1.bias(), d2.kernel(), d2.bias()), order);
    List<FloatNdArray> values = model.getWeights();
    assertEquals(4, values.size());
    assertEquals(Shape.of(2, 3), values.get(0).shape());
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, flat(values.get(0)), 0f);
    assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f}, flat(values.get(1)), 0f);

    // a copy: later changes to the model do not show in it, and it can be set back
    float[][] kernel2 = {{1}, {-1}, {2}};
    model.setWeights(List.of(new float[] {0, 1, 0, 1, 0, 1}, new float[3], kernel2, NdArrays.vectorOf(0.25f)));
    assertArrayEquals(new float[] {0, 1, 0, 1, 0, 1}, flat(model.getWeights().get(0)), 0f);
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, flat(values.get(0)), 0f);
    // x = [1, 2]: d1 = [2, 1, 2]; d2 = relu(2 - 1 + 4 + 0.25) = 5.25
    float[][] out = model.predict(new float[][] {{1, 2}});
    assertEquals(5.25f, out[0][0], 1e-6f);

    model.setWeights(values);
    assertArrayEquals(flat(values.get(2)), flat(model.getWeights().get(2)), 0f);
    try (TFloat32 kernel = Tensors.floats(new float[] {9, 9, 9, 9, 9, 9}, 2, 3)) {
      d1.setWeights(List.of(kernel, values.get(1)));
      assertArrayEquals(new float[] {9, 9, 9, 9, 9, 9}, flat(d1.getWeights().get(0)), 0f);
    }
    model.close();
  }

  @Test
  void kerasOrderPutsTrainableWeightsBeforeNonTrainableOnes() {
    class Stats extends Layer {
      Variable<TFloat32> count;
      Variable<TFloat32> scale;

      @Override
      protected void build(Shape inputShape) {
        count = addWeight("count", Shape.of(1), Constant.of(0f), false);
        scale = addWeight("scale", Shape.of(2), Constant.of(1f), true);
      }

      @Override
      protected org.tensorflow.Operand<TFloat32> call(org.tensorflow.Operand<TFloat32> x, boolean training) {
        return tf().math.mul(x, scale.read(tf()));
      }
    }
    Stats stats = new Stats();
    LayerConformance.run(stats, Shape.of(1, 2), new float[] {1, 2}, 3);
    assertEquals(List.of(stats.scale, stats.count), stats.weights());
    assertEquals(List.of(stats.count, stats.scale), stats.variables(), "variables() keeps creation order");
  }

  @Test
  void setWeightsChecksCountShapesAndTypesBeforeAssigningAnything() {
    Dense dense = new Dense(2).kernelInitializer(Constant.values(1, 2, 3, 4, 5, 6));
    LayerConformance.run(dense, Shape.of(1, 3), new float[3], 8);
    var e = assertThrows(IllegalArgumentException.class, () -> dense.setWeights(List.of(new float[6])));
    assertEquals("You called `setWeights(weights)` on layer 'dense' with a weight list of length 1, but the"
        + " layer was expecting 2 weights: [dense/kernel (3, 2), dense/bias (2,)].", e.getMessage());

    e = assertThrows(IllegalArgumentException.class,
        () -> dense.setWeights(List.of(new float[6], NdArrays.ofFloats(Shape.of(3)))));
    assertEquals("Layer dense weight shape (2,) is not compatible with provided weight shape (3,) (weight 1,"
        + " 'dense/bias').", e.getMessage());

    e = assertThrows(IllegalArgumentException.class,
        () -> dense.setWeights(List.of(new float[][] {{1, 2, 3}, {4, 5, 6}}, new float[2])));
    assertEquals("Layer dense weight shape (3, 2) is not compatible with provided weight shape (2, 3) (weight 0,"
        + " 'dense/kernel').", e.getMessage());

    e = assertThrows(IllegalArgumentException.class, () -> dense.setWeights(List.of(new float[5], new float[2])));
    assertEquals("Layer dense weight shape (3, 2) is not compatible with provided weight shape (5,): weight 0"
        + " ('dense/kernel') needs 6 values, received a float[] of 5.", e.getMessage());

    e = assertThrows(IllegalArgumentException.class, () -> dense.setWeights(List.of(new float[6], new double[2])));
    assertEquals("Weight 1 ('dense/bias') of layer dense must be a FloatNdArray (a TFloat32 included), a nested"
        + " float array or a flat float[], received [D.", e.getMessage());
    // the valid kernel of those calls was not assigned
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, flat(dense.getWeights().get(0)), 0f);
  }

  @Test
  void accessorsNeedABuiltLayer() {
    Dense dense = new Dense(2).useBias(false);
    var e = assertThrows(IllegalStateException.class, dense::kernel);
    assertTrue(e.getMessage().startsWith("Layer 'dense' has no weights yet"), e.getMessage());
    assertThrows(IllegalStateException.class, dense::getWeights);
    assertThrows(IllegalStateException.class, () -> dense.setWeights(List.of()));
    LayerConformance.run(dense, Shape.of(1, 3), new float[3], 6);
    assertEquals(Shape.of(3, 2), dense.kernel().shape());
    assertNull(dense.bias(), "no bias with useBias(false)");

    Conv2D conv = new Conv2D(4, 3);
    var fn = TfFunction.returning(TFloat32.class, x -> conv.apply(x));
    LayerConformance.call(fn, Shape.of(1, 5, 5, 2), new float[50]);
    assertEquals(Shape.of(3, 3, 2, 4), conv.kernel().shape());
    assertEquals("conv2d/bias", conv.bias().path());
    assertSame(conv.kernel(), conv.weights().get(0));
  }
}
