package dev.tfkeras.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tfkeras.function.TfFunction;
import dev.tfkeras.runtime.GraphRuntime;
import dev.tfkeras.testing.Tensors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tensorflow.types.TFloat32;

/** Mean: update inside a traced function, result and reset from the host. */
class MeanTest {

  private static final double TOL = 1e-6;

  @AfterEach
  void reset() {
    GraphRuntime.reset();
  }

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
  void sampleWeightsWeighTheValues() {
    var mean = new Mean("loss");
    var update = TfFunction.of(TFloat32.class, TFloat32.class, mean::update);
    try (TFloat32 values = Tensors.vector(1f, 2f);
        TFloat32 weight = TFloat32.scalarOf(3f)) {
      update.call(values, weight);
    }
    try (TFloat32 value = TFloat32.scalarOf(4f);
        TFloat32 weight = TFloat32.scalarOf(1f)) {
      update.call(value, weight);
    }
    // (1*3 + 2*3 + 4*1) / (3 + 3 + 1)
    assertEquals(13.0 / 7, mean.result(), TOL);
  }
}
