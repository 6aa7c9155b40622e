package dev.tfkeras.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tfkeras.function.TfFunction;
import dev.tfkeras.testing.FreshRuntime;
import dev.tfkeras.testing.Tensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.types.TFloat32;

/**
 * Mean and Sum: Keras 3 weighting rules, updates inside traced functions, result and reset from the
 * host.
 */
@ExtendWith(FreshRuntime.class)
class MeanTest {

  private static final double TOL = 1e-6;

  private static void call(TfFunction<Void> fn, TFloat32 values) {
    try (values) {
      fn.call(values);
    }
  }

  @Test
  void runningMeanAcrossCallsResetAndScalars() {
    var mean = new Mean("train_loss");
    assertEquals(0.0, mean.result(), "result before any update");
    mean.resetState(); // nothing to reset yet: a no-op, not an error
    var update = TfFunction.of(TFloat32.class, mean::update);

    call(update, Tensors.vector(1f, 2f, 3f));
    assertEquals(2.0, mean.result(), TOL);
    call(update, Tensors.vector(4f));
    assertEquals(2.5, mean.result(), TOL, "(1 + 2 + 3 + 4) / 4, not the mean of batch means");
    assertEquals(2.5, mean.result(), TOL, "result() does not change the state");

    mean.resetState();
    assertEquals(0.0, mean.result(), "after reset");

    call(update, TFloat32.scalarOf(5f));
    assertEquals(5.0, mean.result(), TOL);
    call(update, Tensors.vector(1f, 2f));
    assertEquals(8.0 / 3, mean.result(), TOL, "a scalar counts once");
    call(update, TFloat32.scalarOf(-2f));
    assertEquals(6.0 / 4, mean.result(), TOL);
    // one trace per rank: scalar and vector; batch size changes do not retrace
    assertEquals(2, update.traceCount());
  }

  @Test
  void everyElementOfAMatrixCounts() {
    var mean = new Mean("m");
    var update = TfFunction.of(TFloat32.class, mean::update);
    call(update, Tensors.floats(new float[] {1f, 2f, 3f, 6f}, 2, 2));
    call(update, Tensors.floats(new float[] {10f, 20f}, 1, 2));
    assertEquals(42.0 / 6, mean.result(), TOL);
  }

  @Test
  void theMeanOfALossUpdatedPerStep() {
    // as in a train step: the metric gets the batch's scalar loss, each step counts once
    var mean = new Mean("loss");
    var step =
        TfFunction.of(
            TFloat32.class,
            x -> {
              var tf = TfFunction.ops();
              mean.update(tf.math.mean(tf.math.square(x), tf.constant(0)));
            });
    call(step, Tensors.vector(1f, 3f)); // 5
    call(step, Tensors.vector(2f, 2f, 2f, 2f)); // 4
    call(step, Tensors.vector(0f)); // 0
    assertEquals(3.0, mean.result(), TOL);
    assertEquals(1, step.traceCount());
  }

  @Test
  void blankNamesAreRejected() {
    var e = assertThrows(IllegalArgumentException.class, () -> new Mean("  "));
    assertEquals("A metric name must not be blank, received: \"  \".", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new Mean(""));
    assertEquals("A metric name must not be blank, received: \"\".", e.getMessage());
    assertThrows(NullPointerException.class, () -> new Mean(null));
    assertEquals("train_loss", new Mean("train_loss").name());
  }

  @Test
  void aScalarWeightWeighsTheBatchOnceNotEachElement() {
    // Keras 3 reduce_to_samplewise_values: values are averaged down to the weight's rank (here a
    // scalar), then weighted; the count grows by the weight, once.
    var mean = new Mean("loss");
    var update = TfFunction.of(TFloat32.class, TFloat32.class, mean::update);
    try (TFloat32 values = Tensors.vector(1f, 2f);
        TFloat32 weight = TFloat32.scalarOf(3f)) {
      update.call(values, weight);
    }
    assertEquals(3 * 1.5, mean.total(), TOL);
    assertEquals(3.0, mean.count(), TOL);
    try (TFloat32 value = TFloat32.scalarOf(4f);
        TFloat32 weight = TFloat32.scalarOf(1f)) {
      update.call(value, weight);
    }
    assertEquals((3 * 1.5 + 4) / (3 + 1), mean.result(), TOL);
  }

  @Test
  void rank3ValuesWithAScalarWeightCountTheWeightOnce() {
    var mean = new Mean("m");
    float[] cube = {1f, 2f, 3f, 4f, 5f, 6f, 7f, 9f}; // (2, 2, 2), mean 37/8
    MetricHarness.update(mean, Tensors.floats(cube, 2, 2, 2), TFloat32.scalarOf(3f));
    assertEquals(3.0, mean.count(), TOL, "the weight counts once, not once per element (8)");
    assertEquals(3 * 37.0 / 8, mean.total(), 1e-5);
    assertEquals(37.0 / 8, mean.result(), TOL);
    MetricHarness.update(mean, TFloat32.scalarOf(10f), TFloat32.scalarOf(1f));
    assertEquals((3 * 37.0 / 8 + 10) / 4, mean.result(), TOL);

    // without a weight, the same cube is two examples, each the mean of its 2 x 2 block
    var unweighted = new Mean("u");
    MetricHarness.update(unweighted, Tensors.floats(cube, 2, 2, 2), null);
    assertEquals(2.0, unweighted.count(), TOL);
    assertEquals((10.0 / 4) + (27.0 / 4), unweighted.total(), TOL);
  }

  @Test
  void batchByNValuesWithPerExampleWeights() {
    // each row is averaged, then weighted by its example's weight: the case that used to fail
    var mean = new Mean("m");
    var update = TfFunction.of(TFloat32.class, TFloat32.class, mean::update);
    float[][] rows = {{1f, 2f, 3f}, {4f, 5f, 6f}, {0f, 0f, 9f}};
    float[] weights = {2f, 0.5f, 1f};
    var reference = new MetricHarness.RefMean();
    for (int i = 0; i < rows.length; i++) {
      reference.add((rows[i][0] + rows[i][1] + rows[i][2]) / 3.0, weights[i]);
    }
    try (TFloat32 values = Tensors.floats(concat(rows[0], rows[1]), 2, 3);
        TFloat32 w = Tensors.vector(weights[0], weights[1])) {
      update.call(values, w);
    }
    try (TFloat32 values = Tensors.floats(rows[2], 1, 3);
        TFloat32 w = Tensors.vector(weights[2])) {
      update.call(values, w);
    }
    assertEquals(reference.result(), mean.result(), TOL);
    assertEquals(3.5, mean.count(), TOL, "the sum of the weights");
    assertEquals(1, update.traceCount(), "batch size changes do not retrace");
  }

  @Test
  void columnWeightsAndColumnValuesMatchRanks() {
    var reference = new MetricHarness.RefMean();
    float[] values = {1f, 2f, 3f};
    float[] weights = {1f, 0f, 2f};
    for (int i = 0; i < values.length; i++) {
      reference.add(values[i], weights[i]);
    }
    // (batch,) values with (batch, 1) weights: the values gain an axis
    var a = new Mean("a");
    MetricHarness.update(a, Tensors.vector(values), Tensors.floats(weights, 3, 1));
    // (batch, 1) values with (batch,) weights: the weights gain an axis
    var b = new Mean("b");
    MetricHarness.update(b, Tensors.floats(values, 3, 1), Tensors.vector(weights));
    // (batch, 1) with (batch, 1)
    var c = new Mean("c");
    MetricHarness.update(c, Tensors.floats(values, 3, 1), Tensors.floats(weights, 3, 1));
    for (Mean mean : new Mean[] {a, b, c}) {
      assertEquals(reference.result(), mean.result(), TOL, mean.name());
      assertEquals(3.0, mean.count(), TOL, mean.name());
    }
  }

  @Test
  void elementWeightsAreBroadcastThenAveragedPerExample() {
    // values and weights of the same shape: per example, mean(v * w) over mean(w)
    float[] values = {1f, 3f, 5f, 7f};
    var full = new Mean("full");
    MetricHarness.update(
        full, Tensors.floats(values, 2, 2), Tensors.floats(new float[] {1f, 1f, 1f, 0f}, 2, 2));
    double total = (1 * 1 + 3 * 1) / 2.0 + (5 * 1 + 7 * 0) / 2.0;
    double count = (1 + 1) / 2.0 + (1 + 0) / 2.0;
    assertEquals(total / count, full.result(), TOL);

    // (1, 2) weights broadcast to every row before being averaged: each row counts 0.5
    var broadcast = new Mean("broadcast");
    MetricHarness.update(
        broadcast, Tensors.floats(values, 2, 2), Tensors.floats(new float[] {1f, 0f}, 1, 2));
    assertEquals(2 * 0.5, broadcast.count(), TOL);
    assertEquals((1 / 2.0 + 5 / 2.0) / 1.0, broadcast.result(), TOL);
  }

  @Test
  void valuesAndWeightsOfAnyNumericDtype() {
    var mean = new Mean("m");
    MetricHarness.update(
        mean,
        MetricHarness.doubles(new double[] {0.5, 1.5, 2.5}, 3),
        Tensors.ints(new int[] {1, 2, 3}, 3));
    MetricHarness.update(
        mean, Tensors.bytes(new int[] {200, 4}, 2), Tensors.longs(new long[] {1, 1}, 2));
    MetricHarness.update(mean, Tensors.ints(new int[] {7}, 1), null);
    double total = 0.5 * 1 + 1.5 * 2 + 2.5 * 3 + 200 + 4 + 7;
    assertEquals(total / (6 + 2 + 1), mean.result(), TOL);
  }

  @Test
  void weightsThatCannotBroadcastAreRejected() {
    var mean = new Mean("m");
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                MetricHarness.update(
                    mean,
                    Tensors.floats(new float[] {1f, 2f, 3f, 4f}, 2, 2),
                    Tensors.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f}, 2, 3)));
    assertEquals(
        "Metric 'm' cannot broadcast sample weights of shape (2, 3) to values of shape (None, 2)"
            + " (axis 1). Give one weight per example, shape (batch,), or one per value.",
        e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> MetricHarness.update(mean, TFloat32.scalarOf(1f), Tensors.vector(1f, 2f)));
    assertEquals(
        "Metric 'm' received sample weights of shape (2,) for values of shape (): the weights may"
            + " not have more axes than the values. Give one weight per example, shape (batch,).",
        e.getMessage());
    assertEquals(0.0, mean.result(), "nothing was accumulated");
  }

  @Test
  void sumAddsWeightedValues() {
    var sum = new Sum();
    assertEquals("sum", sum.name());
    assertEquals(0.0, sum.result());
    MetricHarness.update(sum, Tensors.vector(1f, 3f, 5f, 7f), null);
    assertEquals(16.0, sum.result(), TOL);
    MetricHarness.update(sum, Tensors.vector(1f, 3f, 5f, 7f), Tensors.vector(1f, 1f, 0f, 0f));
    assertEquals(16.0 + 4.0, sum.result(), TOL);
    // (2, 2) values with (2, 2) and broadcast (1, 2) weights: every weighted element counts
    MetricHarness.update(
        sum,
        Tensors.floats(new float[] {1f, 3f, 5f, 7f}, 2, 2),
        Tensors.floats(new float[] {1f, 1f, 1f, 0f}, 2, 2));
    assertEquals(20.0 + 9.0, sum.result(), TOL);
    MetricHarness.update(
        sum,
        Tensors.floats(new float[] {1f, 3f, 5f, 7f}, 2, 2),
        Tensors.floats(new float[] {1f, 0f}, 1, 2));
    assertEquals(29.0 + 6.0, sum.result(), TOL);
    // a rank-3 value with a scalar weight: the whole sum, weighted
    MetricHarness.update(
        sum,
        Tensors.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f}, 2, 2, 2),
        TFloat32.scalarOf(0.5f));
    assertEquals(35.0 + 18.0, sum.result(), TOL);
    sum.resetState();
    assertEquals(0.0, sum.result());
    MetricHarness.update(sum, TFloat32.scalarOf(2.5f), null);
    assertEquals(2.5, sum.result(), TOL);
  }

  private static float[] concat(float[] a, float[] b) {
    float[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
