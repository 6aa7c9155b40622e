package dev.tfkeras.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tfkeras.layers.Layer;
import dev.tfkeras.layers.LayerConformance;
import dev.tfkeras.runtime.GraphRuntime;
import dev.tfkeras.testing.FreshRuntime;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

@ExtendWith(FreshRuntime.class)
class TfFunctionTest {

  @Test
  void bodyRunsOnceTracedThenEveryCallRunsTheGraph() {
    AtomicInteger traced = new AtomicInteger();
    var affine =
        TfFunction.returning(
            TFloat32.class,
            x -> {
              traced.incrementAndGet(); // Java side effect: trace time only
              Ops tf = TfFunction.ops();
              return tf.math.add(tf.math.mul(x, tf.constant(2f)), tf.constant(1f));
            });
    assertEquals(Shape.of(3), LayerConformance.call(affine, Shape.of(3), new float[] {0, 1, 2}).shape());
    LayerConformance.assertArrayEquals(new float[] {1, 3, 5, 7},
        LayerConformance.call(affine, Shape.of(4), new float[] {0, 1, 2, 3}).values(), 0f);
    assertEquals(1, traced.get());
    assertEquals(1, affine.traceCount(), "another batch size reuses the trace");
  }

  @Test
  void aNewRankOrNonBatchDimensionRetraces() {
    var sum =
        TfFunction.returning(
            TFloat32.class, x -> TfFunction.ops().sum(x, TfFunction.ops().constant(0)));
    LayerConformance.call(sum, Shape.of(2, 3), new float[6]);
    LayerConformance.call(sum, Shape.of(5, 3), new float[15]);
    assertEquals(1, sum.traceCount());
    LayerConformance.call(sum, Shape.of(2, 4), new float[8]);
    LayerConformance.call(sum, Shape.of(2, 2, 2), new float[8]);
    assertEquals(3, sum.traceCount());
  }

  @Test
  void twoArgumentFunctionsReturnTheirOutput() {
    var dot =
        TfFunction.returning(
            TFloat32.class,
            TInt32.class,
            (x, n) -> {
              Ops tf = TfFunction.ops();
              return tf.math.mul(x, tf.dtypes.cast(n, TFloat32.class));
            }).named("scale");
    try (TFloat32 x = LayerConformance.tensor(Shape.of(2), 1.5f, -2f);
        TInt32 n = TInt32.vectorOf(2, 3);
        TFloat32 y = dot.call(x, n)) {
      LayerConformance.assertArrayEquals(new float[] {3f, -6f}, LayerConformance.values(y), 0f);
    }
    assertEquals("scale", dot.name());
  }

  @Test
  void rawOpsWorkInsideACustomLayer() {
    class Square extends Layer {
      @Override
      protected Operand<TFloat32> call(Operand<TFloat32> input, boolean training) {
        return tf().math.square(input);
      }
    }
    var fn = TfFunction.returning(TFloat32.class, x -> new Square().apply(x));
    LayerConformance.assertArrayEquals(new float[] {4, 9},
        LayerConformance.call(fn, Shape.of(2), new float[] {-2, 3}).values(), 0f);
  }

  @Test
  void aWrongDtypeOrArgumentCountIsRejected() {
    var step = TfFunction.of(TFloat32.class, TInt32.class, (x, y) -> {}).named("train_step");
    try (TFloat32 x = LayerConformance.tensor(Shape.of(1), 1f);
        TFloat32 wrong = LayerConformance.tensor(Shape.of(1), 1f)) {
      var e = assertThrows(IllegalArgumentException.class, () -> step.call(x, wrong));
      assertEquals(
          "Function 'train_step' argument 1: expected dtype TInt32, received TFloat32 with shape"
              + " [1]. Convert the tensor or declare the function with the matching type.",
          e.getMessage());
      e = assertThrows(IllegalArgumentException.class, () -> step.call(x));
      assertEquals("Function 'train_step' expects 2 argument(s), received 1.", e.getMessage());
    }
  }

  @Test
  void aFunctionOfAClosedRuntimeSaysSo() {
    var fn = TfFunction.returning(TFloat32.class, x -> x);
    LayerConformance.call(fn, Shape.of(1), new float[] {1});
    GraphRuntime.reset();
    var e = assertThrows(IllegalStateException.class,
        () -> LayerConformance.call(fn, Shape.of(1), new float[] {1}));
    assertEquals(true, e.getMessage().startsWith("This runtime was closed"), e.getMessage());
  }

  @Test
  void renamingAfterTracingIsRejected() {
    var fn = TfFunction.returning(TFloat32.class, x -> x);
    LayerConformance.call(fn, Shape.of(1), new float[] {1});
    var e = assertThrows(IllegalStateException.class, () -> fn.named("late"));
    assertEquals("Cannot rename function 'function' after it was traced; name it first.", e.getMessage());
  }
}
