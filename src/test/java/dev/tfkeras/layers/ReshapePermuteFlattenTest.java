package dev.tfkeras.layers;

import static dev.tfkeras.layers.LayerConformance.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tfkeras.function.TfFunction;
import dev.tfkeras.testing.FreshRuntime;
import dev.tfkeras.testing.GradientCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

@ExtendWith(FreshRuntime.class)
class ReshapePermuteFlattenTest {

  /** {@code x} with every non-batch size unknown to the graph (rank kept), as a dynamic shape gives. */
  static Operand<TFloat32> withUnknownSizes(Operand<TFloat32> x) {
    Ops tf = TfFunction.ops();
    // shape inference cannot evaluate Add over a shape, so every size becomes unknown
    return tf.reshape(x, tf.math.add(tf.shape(x), tf.zerosLike(tf.shape(x))));
  }

  @Test
  void reshapeKeepsTheBatchAndRowMajorOrder() {
    Reshape reshape = new Reshape(3, 4);
    var out = LayerConformance.run(reshape, Shape.of(2, 12), LayerConformance.range(24), 0);
    assertEquals(Shape.of(2, 3, 4), out.shape());
    assertEquals("(None, 3, 4)", Layer.format(reshape.outputShape()));
    assertArrayEquals(LayerConformance.range(24), out.values(), 0f);
  }

  @Test
  void reshapeInfersItsMinusOneFromTheInputSize() {
    // keras.layers.Reshape((-1, 2, 2)) on (None, 12): (None, 3, 2, 2)
    Reshape reshape = new Reshape(-1, 2, 2);
    var out = LayerConformance.run(reshape, Shape.of(1, 12), LayerConformance.range(12), 0);
    assertEquals(Shape.of(1, 3, 2, 2), out.shape());
    assertEquals("(None, 3, 2, 2)", Layer.format(reshape.outputShape()));
  }

  @Test
  void reshapeOfUnknownSizesLeavesTheInferredDimensionUnknown() {
    Reshape reshape = new Reshape(-1, 2);
    var fn = TfFunction.returning(TFloat32.class, x -> reshape.apply(withUnknownSizes(x)));
    var out = LayerConformance.call(fn, Shape.of(2, 3, 4), LayerConformance.range(24));
    assertEquals(Shape.of(2, 6, 2), out.shape());
    assertEquals("(None, None, 2)", Layer.format(reshape.outputShape()));
    assertArrayEquals(LayerConformance.range(24), out.values(), 0f);
  }

  @Test
  void reshapeArgumentAndSizeErrorsAreKeras() {
    var e = assertThrows(IllegalArgumentException.class, () -> new Reshape(-2, 5));
    assertEquals("Each dimension in `target_shape` must be a non-negative integer, or `-1` for a single"
        + " unknown dimension. Received: target_shape=(-2, 5).", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new Reshape(-1, 3, -1));
    assertEquals("There must be at most one unknown dimension (-1) in `target_shape`. Received:"
        + " target_shape=(-1, 3, -1).", e.getMessage());

    Reshape five = new Reshape(5);
    var fn = TfFunction.returning(TFloat32.class, x -> five.apply(x));
    e = assertThrows(IllegalArgumentException.class, () -> LayerConformance.call(fn, Shape.of(1, 12), new float[12]));
    assertEquals("The total size of the tensor must be unchanged. Received: input_shape=(12,),"
        + " target_shape=(5,). Layer \"reshape\" cannot reshape 12 values per example into 5.", e.getMessage());

    Reshape byFive = new Reshape(-1, 5);
    var fn2 = TfFunction.returning(TFloat32.class, x -> byFive.apply(x));
    e = assertThrows(IllegalArgumentException.class, () -> LayerConformance.call(fn2, Shape.of(1, 3, 4), new float[12]));
    assertEquals("The total size of the tensor must be unchanged, however, the input size cannot be"
        + " divided by the specified dimensions in target_shape. Received: input_shape=(3, 4),"
        + " target_shape=(-1, 5).", e.getMessage());
  }

  @Test
  void reshapeGradientIsTheReshapedUpstreamGradient() {
    GradientCheck.of(LayerConformance.range(12), new long[] {2, 6}, x -> new Reshape(3, -1).apply(x))
        .assertMatchesFiniteDifferences(1e-2, 2e-3, "reshape");
  }

  @Test
  void permuteReordersTheNonBatchAxes() {
    Permute permute = new Permute(2, 1);
    // one example (2, 3): [[0, 1, 2], [3, 4, 5]] -> (3, 2): [[0, 3], [1, 4], [2, 5]]
    var out = LayerConformance.run(permute, Shape.of(1, 2, 3), LayerConformance.range(6), 0);
    assertEquals(Shape.of(1, 3, 2), out.shape());
    assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, out.values(), 0f);

    Permute rotate = new Permute(3, 1, 2);
    var rotated = LayerConformance.run(rotate, Shape.of(1, 2, 3, 4), LayerConformance.range(24), 0);
    assertEquals(Shape.of(1, 4, 2, 3), rotated.shape());
    // output[c][a][b] = input[a][b][c]
    float[] expected = new float[24];
    for (int a = 0; a < 2; a++) {
      for (int b = 0; b < 3; b++) {
        for (int c = 0; c < 4; c++) {
          expected[c * 6 + a * 3 + b] = a * 12 + b * 4 + c;
        }
      }
    }
    assertArrayEquals(expected, rotated.values(), 0f);
  }

  @Test
  void permuteErrorsAreKeras() {
    var e = assertThrows(IllegalArgumentException.class, () -> new Permute(1, 3));
    assertEquals("Invalid permutation argument `dims` for Permute Layer. The set of indices in `dims`"
        + " must be consecutive and start from 1. Received dims=(1, 3)", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new Permute(0, 1));
    assertThrows(IllegalArgumentException.class, () -> new Permute(1, 1));
    assertThrows(IllegalArgumentException.class, Permute::new);

    Permute permute = new Permute(2, 1);
    var fn = TfFunction.returning(TFloat32.class, x -> permute.apply(x));
    e = assertThrows(IllegalArgumentException.class, () -> LayerConformance.call(fn, Shape.of(1, 4), new float[4]));
    assertEquals("Input 0 of layer \"permute\" is incompatible with the layer: expected ndim=3, found"
        + " ndim=2. Full shape received: (None, 4)", e.getMessage());
  }

  @Test
  void flattenAcceptsUnknownNonBatchSizes() {
    Flatten flatten = new Flatten();
    var fn = TfFunction.returning(TFloat32.class, x -> flatten.apply(withUnknownSizes(x)));
    var out = LayerConformance.call(fn, Shape.of(2, 3, 2), LayerConformance.range(12));
    assertEquals(Shape.of(2, 6), out.shape());
    assertEquals("(None, None)", Layer.format(flatten.outputShape()));
    assertArrayEquals(LayerConformance.range(12), out.values(), 0f);
  }

  @Test
  void flattenOfABatchOfScalarsAddsAFeatureAxis() {
    var out = LayerConformance.run(new Flatten(), Shape.of(3), new float[] {1, 2, 3}, 0);
    assertEquals(Shape.of(3, 1), out.shape());
  }

  @Test
  void flattenKeepsAStaticBatchSizeAsKeras() {
    // keras layers/reshaping/flatten_test.py: Input(batch_shape=(5, 2, None)) -> Flatten -> (5, None)
    Flatten flatten = new Flatten();
    var fn =
        TfFunction.returning(
            TFloat32.class,
            x ->
                flatten.apply(
                    TfFunction.ops()
                        .ensureShape(withUnknownSizes(x), Shape.of(5, 2, Shape.UNKNOWN_SIZE))));
    var out = LayerConformance.call(fn, Shape.of(5, 2, 3), LayerConformance.range(30));
    assertEquals("(5, None)", Layer.format(flatten.outputShape()));
    assertEquals(Shape.of(5, 6), out.shape());
    assertArrayEquals(LayerConformance.range(30), out.values(), 0f);
  }
}
