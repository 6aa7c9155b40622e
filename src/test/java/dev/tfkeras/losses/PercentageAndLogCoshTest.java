package dev.tfkeras.losses;

import static dev.tfkeras.losses.LossRunner.eval;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.tfkeras.testing.FreshRuntime;
import dev.tfkeras.testing.Tensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.types.TFloat32;

/**
 * MeanAbsolutePercentageError and LogCosh against Keras 3's {@code losses_test.py}: its targets
 * {@code [[1, 9, 2], [-5, -2, 6]]}, predictions {@code [[4, 8, 12], [8, 1, 3]]} and expected values.
 */
@ExtendWith(FreshRuntime.class)
class PercentageAndLogCoshTest {

  private static final float[] TRUE = {1, 9, 2, -5, -2, 6};
  private static final float[] PRED = {4, 8, 12, 8, 1, 3};

  private static float[] run(Loss loss) {
    try (TFloat32 y = Tensors.floats(TRUE, 2, 3);
        TFloat32 p = Tensors.floats(PRED, 2, 3)) {
      return eval(loss, y, p);
    }
  }

  private static float[] run(Loss loss, float[] weights, long... shape) {
    try (TFloat32 y = Tensors.floats(TRUE, 2, 3);
        TFloat32 p = Tensors.floats(PRED, 2, 3);
        TFloat32 w = Tensors.floats(weights, shape)) {
      return eval(loss, y, p, w);
    }
  }

  @Test
  void meanAbsolutePercentageErrorAsKerassTest() {
    // MeanAbsolutePercentageErrorTest: unweighted 211.8518, sample_weight [[1.2], [3.4]] 422.8888,
    // reduction=None with sample_weight 2.3 [621.8518, 352.6666], mean_with_sample_weight 183.865
    assertEquals(211.8518, run(new MeanAbsolutePercentageError())[0], 1e-3);
    assertEquals(422.8888, run(new MeanAbsolutePercentageError(), new float[] {1.2f, 3.4f}, 2, 1)[0], 1e-3);
    assertArrayEquals(
        new float[] {621.8518f, 352.6666f},
        run(new MeanAbsolutePercentageError().reduction("none"), new float[] {2.3f}),
        1e-3f);
    assertEquals(
        183.865,
        run(new MeanAbsolutePercentageError().reduction("mean_with_sample_weight"),
            new float[] {1.2f, 3.4f}, 2, 1)[0],
        1e-3);
    assertEquals(0.0, run(new MeanAbsolutePercentageError(), new float[] {0f})[0], 1e-6);
    assertEquals("mean_absolute_percentage_error", new MeanAbsolutePercentageError().name());
    assertInstanceOf(MeanAbsolutePercentageError.class, Losses.get("mape"));
  }

  @Test
  void logCoshAsKerassTest() {
    // LogCoshTest: expected_losses = log((exp(e) + exp(-e)) / 2) for e = y_pred - y_true,
    // unweighted sum / 6, sample_weight [1.2, 3.4] per row
    double[] perElement = new double[6];
    for (int i = 0; i < 6; i++) {
      double e = PRED[i] - TRUE[i];
      perElement[i] = Math.log((Math.exp(e) + Math.exp(-e)) / 2);
    }
    double sum = 0;
    double weighted = 0;
    for (int i = 0; i < 6; i++) {
      sum += perElement[i];
      weighted += perElement[i] * (i < 3 ? 1.2 : 3.4);
    }
    assertEquals(sum / 6, run(new LogCosh())[0], 1e-3);
    assertEquals(2.3 * sum / 6, run(new LogCosh(), new float[] {2.3f})[0], 1e-3);
    assertEquals(weighted / 6, run(new LogCosh(), new float[] {1.2f, 3.4f}, 2)[0], 1e-3);
    assertEquals(0.0, run(new LogCosh(), new float[] {0f})[0], 1e-6);
    assertEquals("log_cosh", new LogCosh().name());
    assertInstanceOf(LogCosh.class, Losses.get("LogCosh"));
  }

  @Test
  void bothBroadcastUnitTargetsAsKeras() {
    // (2, 1) targets [[2], [4]] against (2, 2) predictions [[1, 3], [4, 2]]
    try (TFloat32 y = Tensors.floats(new float[] {2, 4}, 2, 1);
        TFloat32 p = Tensors.floats(new float[] {1, 3, 4, 2}, 2, 2)) {
      // |2-1|/2, |2-3|/2 -> 50; 0, 2/4 -> 25
      assertArrayEquals(
          new float[] {50f, 25f}, eval(new MeanAbsolutePercentageError(Reduction.NONE), y, p), 1e-4f);
      double lc1 = Math.log(Math.cosh(1));
      double lc2 = Math.log(Math.cosh(2));
      assertArrayEquals(
          new float[] {(float) lc1, (float) (lc2 / 2)},
          eval(new LogCosh(Reduction.NONE), y, p),
          1e-5f);
    }
  }
}
