package dev.tfkeras.losses;

import static dev.tfkeras.losses.LossRunner.eval;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.runtime.GraphRuntime;
import dev.tfkeras.testing.FreshRuntime;
import dev.tfkeras.testing.Tensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Losses' typed fluent setters with Keras's names ({@code new
 * SparseCategoricalCrossentropy().fromLogits(true)}): the same loss as the positional form, the
 * same validation, and fixed once the loss is traced.
 */
@ExtendWith(FreshRuntime.class)
class LossSettersTest {

  private static final float[] LOGITS = {2f, -1f, 0.5f, 0.1f, 0.3f, -2f};

  private static float[] run(Loss loss, float[] labels, float[] predictions, long... shape) {
    try (TFloat32 y = Tensors.floats(labels, shape);
        TFloat32 p = Tensors.floats(predictions, shape)) {
      return eval(loss, y, p);
    }
  }

  @Test
  void settersGiveThePositionalFormsLoss() {
    try (TInt32 y = Tensors.ints(new int[] {0, 2}, 2);
        TFloat32 p = Tensors.floats(LOGITS, 2, 3)) {
      float[] positional = eval(new SparseCategoricalCrossentropy(true), y, p);
      GraphRuntime.reset();
      SparseCategoricalCrossentropy fluent = new SparseCategoricalCrossentropy().fromLogits(true);
      assertTrue(fluent.fromLogits());
      assertArrayEquals(positional, eval(fluent, y, p), 0f);
    }
    float[] oneHot = {1, 0, 0, 0, 0, 1};
    float[] cce = run(new CategoricalCrossentropy(true, 0.1, Reduction.SUM), oneHot, LOGITS, 2, 3);
    assertArrayEquals(
        cce,
        run(new CategoricalCrossentropy().fromLogits(true).labelSmoothing(0.1).reduction("sum"),
            oneHot, LOGITS, 2, 3),
        0f);
    float[] binary = {1, 0, 1, 0, 0, 1};
    float[] bce = run(new BinaryCrossentropy(true, 0.2, Reduction.NONE), binary, LOGITS, 2, 3);
    assertArrayEquals(
        bce,
        run(new BinaryCrossentropy().fromLogits(true).labelSmoothing(0.2).reduction(Reduction.NONE),
            binary, LOGITS, 2, 3),
        0f);
    float[] huber = run(new Huber(0.5, Reduction.SUM), binary, LOGITS, 2, 3);
    assertArrayEquals(huber, run(new Huber().delta(0.5).reduction("sum"), binary, LOGITS, 2, 3), 0f);
    MeanSquaredError mse = new MeanSquaredError().reduction("none");
    assertEquals(Reduction.NONE, mse.reduction());
    assertEquals(2, run(mse, binary, LOGITS, 2, 3).length);
  }

  @Test
  void settersValidateAsTheConstructors() {
    var e = assertThrows(IllegalArgumentException.class, () -> new Huber().delta(0));
    assertEquals("Huber's delta must be a positive number, received delta=0.0.", e.getMessage());
    e = assertThrows(
        IllegalArgumentException.class, () -> new BinaryCrossentropy().labelSmoothing(1.5));
    assertEquals(
        "binary_crossentropy: labelSmoothing must be in [0, 1], received labelSmoothing=1.5.",
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new MeanSquaredError().reduction("avg"));
    assertEquals(
        "Invalid value for argument `reduction`. Expected one of {'sum_over_batch_size', 'sum',"
            + " 'none', 'mean_with_sample_weight', None}. Received: reduction=avg",
        e.getMessage());
    assertEquals(Reduction.MEAN_WITH_SAMPLE_WEIGHT, Reduction.get("mean_with_sample_weight"));
    assertEquals(Reduction.NONE, Reduction.get(null));
  }

  @Test
  void settingsAreFixedOnceTheLossIsTraced() {
    var loss = new CategoricalCrossentropy();
    run(loss, new float[] {1, 0}, new float[] {0.6f, 0.4f}, 1, 2);
    var e = assertThrows(IllegalStateException.class, () -> loss.fromLogits(true));
    assertEquals(
        "Loss 'categorical_crossentropy' has already been called in a traced function, which fixed"
            + " its settings: set fromLogits before the first call, or create a new loss.",
        e.getMessage());
    assertThrows(IllegalStateException.class, () -> loss.reduction("sum"));
  }
}
