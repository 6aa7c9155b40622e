package dev.tfkeras.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.autodiff.GradientTape;
import dev.tfkeras.function.TfFunction;
import dev.tfkeras.layers.Dense;
import dev.tfkeras.losses.MeanSquaredError;
import dev.tfkeras.metrics.Mean;
import dev.tfkeras.optimizers.Adam;
import dev.tfkeras.runtime.GraphRuntime;
import dev.tfkeras.testing.FreshRuntime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** Closing one model never breaks another; objects of one custom loop still share one graph. */
@ExtendWith(FreshRuntime.class)
class ModelLifecycleTest {

  private static final float[][] X = {{1, 2}, {3, 4}};

  @Test
  void closingOneModelLeavesAnotherWorking() {
    var a = new Sequential(new Dense(3));
    var b = new Sequential(new Dense(3));
    a.compile("adam", "mse");
    b.compile("adam", "mse");
    a.fit(X, new float[][] {{1, 2, 3}, {4, 5, 6}}, new FitOptions().verbose(0));
    float[][] before = b.predict(X);
    assertSame(a.runtime(), b.runtime(), "both in the default runtime");
    a.close();
    assertFalse(b.runtime().isClosed());
    assertArrayEquals(before, b.predict(X));
    b.fit(X, new float[][] {{1, 2, 3}, {4, 5, 6}}, new FitOptions().verbose(0));
    var e = assertThrows(IllegalStateException.class, () -> a.predict(X));
    assertEquals("Model 'sequential' was closed and can no longer run; build a new model.", e.getMessage());
    GraphRuntime shared = b.runtime();
    b.close();
    assertTrue(shared.isClosed(), "the last model closed frees the graph");
    a.close(); // idempotent
  }

  @Test
  void modelsOptimizersAndMetricsOfOneCustomLoopShareOneGraph() {
    var encoder = new Sequential(new Dense(4));
    var head = new Sequential(new Dense(1));
    var optimizer = new Adam();
    var loss = new MeanSquaredError();
    var lossMetric = new Mean("loss");
    var step =
        TfFunction.of(
            TFloat32.class,
            TFloat32.class,
            (x, y) -> {
              var tape = new GradientTape();
              Operand<TFloat32> value;
              try (tape) {
                value = loss.call(y, head.apply(encoder.apply(x, true), true));
              }
              List<dev.tfkeras.variables.Variable<TFloat32>> variables = new ArrayList<>(encoder.trainableVariables());
              variables.addAll(head.trainableVariables());
              optimizer.applyGradients(tape.gradient(value, variables), variables);
              lossMetric.update(value);
            });
    try (TFloat32 x = TFloat32.tensorOf(org.tensorflow.ndarray.StdArrays.ndCopyOf(X));
        TFloat32 y = TFloat32.tensorOf(org.tensorflow.ndarray.StdArrays.ndCopyOf(new float[][] {{1}, {0}}))) {
      step.call(x, y);
      step.call(x, y);
    }
    assertSame(encoder.runtime(), head.runtime());
    assertSame(step.runtime(), head.runtime());
    assertEquals(2, optimizer.iterations());
    encoder.close();
    assertFalse(head.runtime().isClosed(), "the head still owns the loop's graph");
    double lossValue = lossMetric.result();
    assertTrue(lossValue >= 0, "loss " + lossValue);
    head.close();
    assertTrue(step.runtime().isClosed(), "closing the last model frees the loop's graph");
  }
}
