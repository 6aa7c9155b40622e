package dev.tfkeras.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tfkeras.function.TfFunction;
import dev.tfkeras.runtime.GraphRuntime;
import dev.tfkeras.testing.FreshRuntime;
import dev.tfkeras.testing.Tensors;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TNumber;

/** The Metric base: state of any shape, updates in traced functions, reset, lifecycle errors. */
@ExtendWith(FreshRuntime.class)
class MetricBaseTest {

  /** A user metric with vector state: how many samples were predicted in each of 3 classes. */
  static final class PredictedClasses extends PredictionMetric {
    final State counts = addVariable("counts", Shape.of(3));
    State late;

    PredictedClasses(String name) {
      super(name);
    }

    @Override
    public void update(
        Operand<? extends TNumber> yTrue,
        Operand<? extends TNumber> yPred,
        Operand<? extends TNumber> sampleWeight) {
      Ops tf = updateOps();
      Operand<TInt32> predicted = tf.math.argMax(yPred, tf.constant(-1), TInt32.class);
      Operand<TFloat32> oneHot =
          tf.oneHot(predicted, tf.constant(3), tf.constant(1f), tf.constant(0f));
      assignAdd(counts, tf.sum(oneHot, tf.constant(0)));
    }

    void addLateState() {
      late = addVariable("late", Shape.scalar());
    }

    @Override
    protected Operand<TFloat32> computeResult(Ops tf) {
      return counts.read(tf);
    }

    @Override
    protected int resultSize() {
      return 3;
    }
  }

  @Test
  void vectorStateAccumulatesAndResets() {
    var metric = new PredictedClasses("predicted classes"); // spaces are fine in a name
    assertArrayEquals(new double[3], metric.resultValues(), "before any update");
    float[] p = {0.9f, 0.1f, 0f, 0.1f, 0.8f, 0.1f, 0f, 0.3f, 0.7f, 0.6f, 0.3f, 0.1f};
    MetricHarness.update(
        metric, Tensors.ints(new int[] {0, 0, 0, 0}, 4), Tensors.floats(p, 4, 3), null);
    MetricHarness.update(
        metric,
        Tensors.ints(new int[] {0}, 1),
        Tensors.floats(new float[] {0f, 0f, 1f}, 1, 3),
        null);
    assertArrayEquals(new double[] {2, 1, 2}, metric.resultValues());
    metric.resetState();
    assertArrayEquals(new double[3], metric.resultValues());
    var e = assertThrows(IllegalStateException.class, metric::addLateState);
    assertEquals(
        "Metric 'predicted classes' cannot add state 'late' after its first update: declare all"
            + " state in the constructor.",
        e.getMessage());
  }

  @Test
  void twoUpdatesOfOneMetricInOneTraceBothCount() {
    var mean = new Mean("m");
    var step =
        TfFunction.of(
            TFloat32.class,
            x -> {
              mean.update(x);
              mean.update(TfFunction.ops().math.mul(x, TfFunction.ops().constant(3f)));
            });
    try (TFloat32 x = Tensors.vector(1f, 2f)) {
      step.call(x);
      step.call(x);
    }
    assertEquals(8.0, mean.count());
    assertEquals(2 * (3 + 9), mean.total(), 1e-6);
  }

  @Test
  void aMetricStaysInTheRuntimeOfItsFirstUpdate() {
    var mean = new Mean("loss");
    assertEquals(0.0, mean.total());
    assertEquals(0.0, mean.count());
    MetricHarness.update(mean, Tensors.vector(1f), null);
    var other = new Mean("other");
    GraphRuntime.reset();
    MetricHarness.update(other, Tensors.vector(1f), null);
    var e =
        assertThrows(
            IllegalStateException.class,
            () -> MetricHarness.update(mean, Tensors.vector(1f), null));
    assertEquals(
        "Metric 'loss' was first updated in another runtime, which is closed. Create a new metric"
            + " for a new model.",
        e.getMessage());
    assertThrows(IllegalStateException.class, mean::result, "its runtime is closed");
    assertEquals(1.0, other.result());
  }

  @Test
  void updatesOutsideATracedFunctionSayWhatToDo() {
    var mean = new Mean("m");
    var e = assertThrows(IllegalStateException.class, () -> mean.update(null));
    assertEquals(
        "No function is being traced. Layers, losses, metric updates, GradientTape and"
            + " optimizer.applyGradients build TensorFlow graph ops and must run inside a"
            + " TfFunction body, e.g. TfFunction.of(TFloat32.class, x -> model.apply(x, false))."
            + " To run a layer or model on concrete data outside a function, pass the data itself:"
            + " model.apply(xBatch) with an NdArray, a tensor or a Java array returns a TFloat32"
            + " (close it), model.predictOnBatch(xBatch) a FloatNdArray, model.predict(x) rows.",
        e.getMessage());
    assertEquals(List.of("m"), List.copyOf(Metric.results(List.of(mean)).keySet()));
  }
}
