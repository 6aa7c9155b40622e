package dev.tfkeras.layers;

import static dev.tfkeras.testing.Numeric.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tfkeras.runtime.GraphRuntime;
import dev.tfkeras.testing.FreshRuntime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.ndarray.Shape;

@ExtendWith(FreshRuntime.class)
class GlobalPooling1DTest {

  private static final int B = 2;
  private static final int T = 4;
  private static final int F = 3;

  private static double[] pool(float[] x, boolean[][] mask, boolean max) {
    double[] out = new double[B * F];
    for (int b = 0; b < B; b++) {
      for (int f = 0; f < F; f++) {
        double acc = max ? Double.NEGATIVE_INFINITY : 0;
        int count = 0;
        for (int t = 0; t < T; t++) {
          if (mask != null && !mask[b][t]) {
            continue;
          }
          double v = x[(b * T + t) * F + f];
          acc = max ? Math.max(acc, v) : acc + v;
          count++;
        }
        out[b * F + f] = max ? acc : acc / count;
      }
    }
    return out;
  }

  @Test
  void averageAndMaximumOverTheSteps() {
    float[] x = SequenceRunner.random(1, B * T * F, 2);
    var avg = SequenceRunner.run(new GlobalAveragePooling1D(), x, B, T, F).get(0);
    assertEquals(Shape.of(B, F), avg.shape());
    assertClose(pool(x, null, false), avg.values(), 1e-6, 1e-6, "mean");
    GraphRuntime.reset();
    var max = SequenceRunner.run(new GlobalMaxPooling1D(), x, B, T, F).get(0);
    assertClose(pool(x, null, true), max.values(), 0, 0, "max");
  }

  @Test
  void keepdimsKeepsTheStepsAxis() {
    float[] x = SequenceRunner.random(2, B * T * F, 1);
    GlobalAveragePooling1D avg = new GlobalAveragePooling1D().keepdims(true);
    assertEquals(Shape.of(B, 1, F), SequenceRunner.run(avg, x, B, T, F).get(0).shape());
    assertEquals("(None, 1, 3)", Layer.format(avg.outputShape()));
    GlobalMaxPooling1D max = new GlobalMaxPooling1D().keepdims(true);
    assertEquals(Shape.of(B, 1, F), SequenceRunner.run(max, x, B, T, F).get(0).shape());
    assertEquals(0, avg.countParams() + max.countParams());
  }

  @Test
  void averageCountsOnlyUnmaskedStepsAndMaxIgnoresMasksAsKeras() {
    float[] x = SequenceRunner.random(3, B * T * F, 2);
    boolean[][] mask = {{true, false, true, false}, {false, false, false, true}};
    var avg = SequenceRunner.run(new GlobalAveragePooling1D(), x, mask, B, T, F).get(0);
    assertClose(pool(x, mask, false), avg.values(), 1e-6, 1e-6, "masked mean");
    GraphRuntime.reset();
    var max = SequenceRunner.run(new GlobalMaxPooling1D(), x, mask, B, T, F).get(0);
    assertClose(pool(x, null, true), max.values(), 0, 0, "max over every step");
  }

  @Test
  void gradientsMatchFiniteDifferences() {
    GlobalAveragePooling1D avg = new GlobalAveragePooling1D();
    Masked masked = new Masked();
    boolean[][] mask = {{true, false, true, true}, {false, true, true, false}};
    SequenceGradients.check(
        avg,
        x -> List.of(avg.apply(masked.apply(List.of(x, dev.tfkeras.function.TfFunction.ops().constant(SequenceRunner.toFloats(mask))), false), true)),
        SequenceRunner.random(4, B * T * F, 1),
        new long[] {B, T, F},
        1e-3);
    GraphRuntime.reset();
    GlobalMaxPooling1D max = new GlobalMaxPooling1D();
    SequenceGradients.check(max, x -> List.of(max.apply(x, true)), SequenceRunner.random(5, B * T * F, 1), new long[] {B, T, F}, 1e-3);
  }

  @Test
  void refuseOtherRanks() {
    var e = assertThrows(IllegalArgumentException.class, () -> SequenceRunner.run(new GlobalMaxPooling1D(), new float[6], 2, 3));
    assertEquals(
        "Input 0 of layer \"global_max_pooling1d\" is incompatible with the layer: expected ndim=3,"
            + " found ndim=2. Full shape received: (None, 3)",
        e.getMessage());
  }
}
