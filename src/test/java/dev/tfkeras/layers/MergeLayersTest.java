package dev.tfkeras.layers;

import static dev.tfkeras.layers.LayerConformance.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tfkeras.function.TfFunction;
import dev.tfkeras.function.Trace;
import dev.tfkeras.runtime.GraphRuntime;
import dev.tfkeras.testing.FreshRuntime;
import dev.tfkeras.testing.GradientCheck;
import dev.tfkeras.testing.Tensors;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TType;

@ExtendWith(FreshRuntime.class)
class MergeLayersTest {

  private static final float[] A = {1, -2, 3, 0.5f, 4, -1};
  private static final float[] B = {0.5f, 2, -3, 1.5f, -4, 2};
  private static final float[] C = {2, 2, 2, -1, -1, -1};

  /** Applies {@code layer} to tensors given as (values, shape) pairs; returns the output and its shape. */
  private static LayerConformance.Output apply(Layer layer, List<float[]> values, List<long[]> shapes) {
    var fn = TfFunction.returningAny(args -> layer.apply(args, false));
    List<TFloat32> inputs = new ArrayList<>();
    try {
      for (int i = 0; i < values.size(); i++) {
        inputs.add(Tensors.floats(values.get(i), shapes.get(i)));
      }
      try (TFloat32 out = (TFloat32) fn.call(inputs.toArray(new TType[0]))) {
        return new LayerConformance.Output(out.shape(), Tensors.read(out));
      }
    } finally {
      inputs.forEach(TFloat32::close);
    }
  }

  private static float[] elementwise(java.util.function.DoubleBinaryOperator op, float[] a, float[] b) {
    float[] out = new float[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = (float) op.applyAsDouble(a[i], b[i]);
    }
    return out;
  }

  @Test
  void elementwiseMergesOfTwoAndThreeInputs() {
    long[] s = {2, 3};
    var add = apply(new Add(), List.of(A, B), List.of(s, s));
    assertEquals(Shape.of(2, 3), add.shape());
    assertArrayEquals(elementwise(Double::sum, A, B), add.values(), 0f);
    assertArrayEquals(elementwise((x, y) -> x - y, A, B), apply(new Subtract(), List.of(A, B), List.of(s, s)).values(), 0f);
    assertArrayEquals(elementwise((x, y) -> x * y, A, B), apply(new Multiply(), List.of(A, B), List.of(s, s)).values(), 0f);
    assertArrayEquals(elementwise((x, y) -> (x + y) / 2, A, B), apply(new Average(), List.of(A, B), List.of(s, s)).values(), 1e-7f);

    float[] sum3 = elementwise(Double::sum, elementwise(Double::sum, A, B), C);
    assertArrayEquals(sum3, apply(new Add(), List.of(A, B, C), List.of(s, s, s)).values(), 0f);
    float[] product3 = elementwise((x, y) -> x * y, elementwise((x, y) -> x * y, A, B), C);
    assertArrayEquals(product3, apply(new Multiply(), List.of(A, B, C), List.of(s, s, s)).values(), 0f);
    float[] mean3 = new float[6];
    for (int i = 0; i < 6; i++) {
      mean3[i] = sum3[i] / 3;
    }
    assertArrayEquals(mean3, apply(new Average(), List.of(A, B, C), List.of(s, s, s)).values(), 1e-6f);
  }

  @Test
  void shapesBroadcastAsKerasMergeDoes() {
    // (None, 1, 3) + (None, 2, 3): the size-1 axis broadcasts
    Add add = new Add();
    var out = apply(add, List.of(new float[] {1, 2, 3}, A), List.of(new long[] {1, 1, 3}, new long[] {1, 2, 3}));
    assertEquals(Shape.of(1, 2, 3), out.shape());
    assertArrayEquals(new float[] {2, 0, 6, 1.5f, 6, 2}, out.values(), 0f);
    assertEquals("(None, 2, 3)", Layer.format(add.outputShape()));

    GraphRuntime.reset();
    // ranks differ: (None, 3) gets a size-1 axis after the batch axis, as Keras's reshape_required
    Multiply multiply = new Multiply();
    var scaled = apply(multiply, List.of(new float[] {1, 10, 100}, A), List.of(new long[] {1, 3}, new long[] {1, 2, 3}));
    assertEquals(Shape.of(1, 2, 3), scaled.shape());
    assertArrayEquals(new float[] {1, -20, 300, 0.5f, 40, -100}, scaled.values(), 0f);
  }

  @Test
  void mergeShapeErrorsAreKeras() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> apply(new Add(), List.of(new float[3], new float[4]), List.of(new long[] {1, 3}, new long[] {1, 4})));
    assertEquals("Inputs have incompatible shapes. Received shapes (3,) and (4,)", e.getMessage());

    var three = List.of(new long[] {1, 3}, new long[] {1, 3}, new long[] {1, 3});
    e = assertThrows(IllegalArgumentException.class,
        () -> apply(new Subtract(), List.of(new float[3], new float[3], new float[3]), three));
    assertEquals("A `Subtract` layer should be called on exactly 2 inputs. Received: input_shape=[(None, 3),"
        + " (None, 3), (None, 3)]", e.getMessage());

    // static batch sizes that differ
    Add add = new Add();
    var fn = TfFunction.returning(TFloat32.class, x -> {
      Ops tf = TfFunction.ops();
      return add.apply(List.of(tf.zeros(tf.constant(new long[] {2, 3}), TFloat32.class),
          tf.zeros(tf.constant(new long[] {4, 3}), TFloat32.class)), false);
    });
    e = assertThrows(IllegalArgumentException.class, () -> LayerConformance.call(fn, Shape.of(1), new float[1]));
    assertEquals("Cannot merge tensors with different batch sizes. Received tensors with shapes [(2, 3), (4, 3)]",
        e.getMessage());
  }

  @Test
  void mergeGradientsMatchFiniteDifferences() {
    List<long[]> same = List.of(new long[] {2, 3}, new long[] {2, 3}, new long[] {2, 3});
    List<Supplier<Layer>> layers = List.of(Add::new, Multiply::new, Average::new, Concatenate::new);
    for (Supplier<Layer> make : layers) {
      Layer layer = make.get();
      new GradientCheck(List.of(A, B, C), same, xs -> layer.apply(xs, false))
          .assertMatchesFiniteDifferences(1e-2, 2e-3, layer.getClass().getSimpleName());
      GraphRuntime.reset();
    }
    Subtract subtract = new Subtract();
    new GradientCheck(List.of(A, B), same.subList(0, 2), xs -> subtract.apply(xs, false))
        .assertMatchesFiniteDifferences(1e-2, 2e-3, "Subtract");
    GraphRuntime.reset();
    // broadcasting: the gradient of the size-1 input sums over the broadcast axis
    Multiply multiply = new Multiply();
    new GradientCheck(List.of(new float[] {1, 10, 100}, A), List.of(new long[] {1, 3}, new long[] {1, 2, 3}),
        xs -> multiply.apply(xs, false))
        .assertMatchesFiniteDifferences(1e-2, 2e-3, "Multiply with broadcasting");
    GraphRuntime.reset();
    Concatenate middle = new Concatenate(1);
    new GradientCheck(List.of(A, new float[] {1, 2, 3}), List.of(new long[] {1, 2, 3}, new long[] {1, 1, 3}),
        xs -> middle.apply(xs, false))
        .assertMatchesFiniteDifferences(1e-2, 2e-3, "Concatenate(axis=1)");
  }

  @Test
  void concatenateJoinsAlongTheAxis() {
    Concatenate last = new Concatenate();
    var out = apply(last, List.of(A, new float[] {7, 8}), List.of(new long[] {2, 3}, new long[] {2, 1}));
    assertEquals(Shape.of(2, 4), out.shape());
    assertArrayEquals(new float[] {1, -2, 3, 7, 0.5f, 4, -1, 8}, out.values(), 0f);
    assertEquals("(None, 4)", Layer.format(last.outputShape()));

    GraphRuntime.reset();
    // keras: Concatenate(axis=1)([x (2, 2, 5), y (2, 1, 5)]) -> (2, 3, 5)
    Concatenate rows = new Concatenate(1);
    float[] x = LayerConformance.range(20);
    float[] y = new float[10];
    for (int i = 0; i < 10; i++) {
      y[i] = 20 + i;
    }
    var joined = apply(rows, List.of(x, y), List.of(new long[] {2, 2, 5}, new long[] {2, 1, 5}));
    assertEquals(Shape.of(2, 3, 5), joined.shape());
    float[] expected = new float[30];
    for (int b = 0; b < 2; b++) {
      System.arraycopy(x, b * 10, expected, b * 15, 10);
      System.arraycopy(y, b * 5, expected, b * 15 + 10, 5);
    }
    assertArrayEquals(expected, joined.values(), 0f);
  }

  @Test
  void concatenateErrors() {
    var e = assertThrows(IllegalArgumentException.class, () -> apply(new Concatenate(1),
        List.of(new float[6], new float[8]), List.of(new long[] {1, 2, 3}, new long[] {1, 2, 4})));
    assertEquals("A `Concatenate` layer requires inputs with matching shapes except for the concatenation"
        + " axis. Received: input_shape=[(None, 2, 3), (None, 2, 4)]", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> apply(new Concatenate(),
        List.of(new float[3], new float[6]), List.of(new long[] {1, 3}, new long[] {1, 2, 3})));
    assertEquals("A `Concatenate` layer requires inputs with matching shapes except for the concatenation"
        + " axis. Received: input_shape=[(None, 3), (None, 2, 3)]", e.getMessage());
    GraphRuntime.reset(); // layer names count up per runtime, as Keras's do: this one is "concatenate"
    e = assertThrows(IllegalArgumentException.class, () -> apply(new Concatenate(2),
        List.of(new float[3], new float[3]), List.of(new long[] {1, 3}, new long[] {1, 3})));
    assertEquals("Invalid `axis` for layer \"concatenate\": axis=2 is out of range for inputs of rank 2;"
        + " use an axis in [-2, 1].", e.getMessage());
  }

  @Test
  void inputsOfOtherDtypesAreCastToFloat() {
    Add add = new Add();
    var fn = TfFunction.returning(TFloat32.class, TInt32.class, (a, b) -> add.apply(List.of(a, b), false));
    try (TFloat32 a = Tensors.floats(new float[] {0.5f, 1.5f}, 1, 2);
        TInt32 b = Tensors.ints(new int[] {2, 3}, 1, 2);
        TFloat32 y = fn.call(a, b)) {
      assertArrayEquals(new float[] {2.5f, 4.5f}, Tensors.read(y), 0f);
    }
  }

  @Test
  void masksMergeAsKeras() {
    Add add = new Add();
    Add halfMasked = new Add();
    Concatenate concat = new Concatenate();
    Object[] seen = new Object[3];
    var fn = TfFunction.returning(TFloat32.class, x -> {
      Ops tf = TfFunction.ops();
      Operand<TFloat32> a = tf.identity(x);
      Operand<TFloat32> b = tf.identity(x);
      Operand<TFloat32> unmasked = tf.identity(x);
      Trace.current().setMask(a, tf.constant(new boolean[][] {{true, false, false}}));
      Trace.current().setMask(b, tf.constant(new boolean[][] {{false, false, true}}));
      Operand<TFloat32> sum = add.apply(List.of(a, b), false);
      seen[0] = Trace.current().mask(sum);
      seen[1] = Trace.current().mask(halfMasked.apply(List.of(a, unmasked), false));
      Operand<TFloat32> joined = concat.apply(List.of(a, unmasked), false);
      seen[2] = Trace.current().mask(joined);
      // return both masks as floats: [or of a and b ; concatenated mask]
      return tf.concat(List.of(tf.dtypes.cast((Operand<TBool>) seen[0], TFloat32.class),
          tf.dtypes.cast((Operand<TBool>) seen[2], TFloat32.class)), tf.constant(1));
    });
    // x: (1, 3, 2): a (batch, time) mask of (1, 3) over two features
    var out = LayerConformance.call(fn, Shape.of(1, 3, 2), new float[6]);
    assertNull(seen[1], "Keras's Merge gives no mask unless every input has one");
    // Add: or -> [1, 0, 1]; Concatenate along features: a's mask broadcast per time step, or'ed with
    // the all-true mask of the unmasked input over the last axis -> all true
    assertArrayEquals(new float[] {1, 0, 1, 1, 1, 1}, out.values(), 0f);
  }
}
