package dev.tfkeras.layers;

import static dev.tfkeras.layers.LayerConformance.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.function.TfFunction;
import dev.tfkeras.models.Model;
import dev.tfkeras.testing.FreshRuntime;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

@ExtendWith(FreshRuntime.class)
class PoolingFlattenDropoutTest {

  @Test
  void maxPoolingTakesTheMaximumOfEachWindow() {
    var out = LayerConformance.run(new MaxPooling2D(), Shape.of(1, 4, 4, 1), LayerConformance.range(16), 0);
    assertEquals(Shape.of(1, 2, 2, 1), out.shape());
    assertArrayEquals(new float[] {5, 7, 13, 15}, out.values(), 0f);
  }

  @Test
  void maxPoolingRefusesAnImageSmallerThanItsValidWindowAsKeras() {
    MaxPooling2D pool = new MaxPooling2D(3).strides(2);
    var fn = TfFunction.returning(TFloat32.class, x -> pool.apply(x));
    var e = assertThrows(IllegalArgumentException.class,
        () -> LayerConformance.call(fn, Shape.of(1, 4, 2, 1), new float[8]));
    assertEquals(
        "Computed output size would be zero or negative. Received: `inputs.shape=(None, 4, 2, 1)`,"
            + " `pool_size=[3, 3]`, `strides=[2, 2]`, `padding=valid`.",
        e.getMessage());
  }

  @Test
  void maxPoolingWithSamePaddingAndStrideOneKeepsTheSize() {
    MaxPooling2D pool = new MaxPooling2D(2).strides(new int[] {1, 1}).padding(Padding.SAME);
    var out = LayerConformance.run(pool, Shape.of(1, 2, 2, 1), new float[] {1, 4, 3, 2}, 0);
    assertEquals(Shape.of(1, 2, 2, 1), out.shape());
    assertArrayEquals(new float[] {4, 4, 3, 2}, out.values(), 0f);
  }

  @Test
  void flattenKeepsTheBatchAxisAndRowMajorOrder() {
    Flatten flatten = new Flatten();
    var out = LayerConformance.run(flatten, Shape.of(2, 2, 3, 1), LayerConformance.range(12), 0);
    assertEquals(Shape.of(2, 6), out.shape());
    assertEquals("(None, 6)", Layer.format(flatten.outputShape()));
    assertArrayEquals(LayerConformance.range(12), out.values(), 0f);
  }

  @Test
  void dropoutIsTheIdentityAtInference() {
    var out = LayerConformance.run(new Dropout(0.5f), Shape.of(2, 3), LayerConformance.range(6), 0);
    assertArrayEquals(LayerConformance.range(6), out.values(), 0f);
  }

  @Test
  void dropoutDropsAboutRateAndScalesTheRestWhenTraining() {
    Dropout dropout = new Dropout(0.25f, 7);
    var fn = TfFunction.returning(TFloat32.class, x -> dropout.apply(x, true));
    float[] ones = new float[20_000];
    Arrays.fill(ones, 1f);
    float[] out = LayerConformance.call(fn, Shape.of(20_000, 1), ones).values();
    int dropped = 0;
    for (float v : out) {
      if (v == 0f) {
        dropped++;
      } else {
        assertEquals(1f / 0.75f, v, 1e-6f);
      }
    }
    assertEquals(0.25, dropped / 20_000.0, 0.02);
  }

  @Test
  void trainingFlagReachesNestedLayers() {
    class WithDropout extends Model {
      final Dropout dropout = new Dropout(0.5f);

      @Override
      protected Operand<TFloat32> call(Operand<TFloat32> x, boolean training) {
        return dropout.apply(x); // inherits the model's flag
      }
    }
    try (var model = new WithDropout()) {
      var train = TfFunction.returning(TFloat32.class, x -> model.apply(x, true));
      var infer = TfFunction.returning(TFloat32.class, x -> model.apply(x, false));
      float[] ones = new float[1000];
      Arrays.fill(ones, 1f);
      float[] trained = LayerConformance.call(train, Shape.of(1000, 1), ones).values();
      float[] inferred = LayerConformance.call(infer, Shape.of(1000, 1), ones).values();
      assertTrue(contains(trained, 0f) && contains(trained, 2f), "dropout active when training");
      assertArrayEquals(ones, inferred, 0f);
    }
  }

  @Test
  void dropoutRejectsRatesOutsideZeroToOne() {
    var e = assertThrows(IllegalArgumentException.class, () -> new Dropout(1f));
    assertEquals(
        "Invalid value received for argument `rate`. Expected a float value between 0 and 1 (1"
            + " excluded). Received: rate=1.0",
        e.getMessage());
  }

  private static boolean contains(float[] values, float wanted) {
    for (float v : values) {
      if (v == wanted) {
        return true;
      }
    }
    return false;
  }
}
