package dev.tfkeras.layers.preprocessing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tfkeras.data.Dataset;
import dev.tfkeras.layers.Input;
import dev.tfkeras.layers.KerasTensor;
import dev.tfkeras.runtime.GraphRuntime;
import dev.tfkeras.testing.FreshRuntime;
import dev.tfkeras.testing.Tensors;
import dev.tfkeras.models.Functional;
import dev.tfkeras.models.Model;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TType;

/**
 * Ports keras/src/layers/preprocessing/discretization_test.py; the adapted boundaries are checked
 * against Keras's own summary functions run under NumPy 2.4 on the same data (values below).
 */
@ExtendWith(FreshRuntime.class)
class DiscretizationTest {

  private record Out(Shape shape, float[] values) {}

  private static Out run(Discretization layer, Object x) {
    try (TFloat32 y = layer.apply(x)) {
      return new Out(y.shape(), Tensors.read(y));
    }
  }

  /** test_discretization_basics: same shape out, no weights. */
  @Test
  void discretizationBasics() {
    Discretization layer = Discretization.withBinBoundaries(0.0, 0.5, 1.0);
    Out out = run(layer, new float[2][3]);
    assertEquals(Shape.of(2, 3), out.shape());
    assertEquals(0, layer.trainableVariables().size());
    assertEquals(0, layer.nonTrainableVariables().size());
  }

  /** test_adapt_flow: 4 bins learned from (32, 3) random values give 3 boundaries. */
  @Test
  void adaptFlow() {
    Random random = new Random(1);
    float[][] x = new float[32][3];
    for (float[] row : x) for (int j = 0; j < 3; j++) row[j] = random.nextFloat();
    Discretization layer = Discretization.withNumBins(4);
    layer.adapt(x);
    assertEquals(3, layer.binBoundaries().length);
    assertEquals(Shape.of(1, 3), run(layer, new float[][] {{0.0f, 0.1f, 0.3f}}).shape());
  }

  /** test_adapt_with_list_of_arrays: two batches, 3 bins, 2 boundaries (Keras: [2.0, 4.0]). */
  @Test
  void adaptWithListOfArrays() {
    Discretization layer = Discretization.withNumBins(3);
    layer.adapt(Dataset.fromTensorSlices(new float[] {1, 2, 3, 4, 5, 6}).batch(3));
    assertArrayEquals(new float[] {2, 4}, layer.binBoundaries());
  }

  /** test_serialization's adapt cases: num_bins not reached ([0, 1, 5]) and reached (0..7). */
  @Test
  void adaptMatchesKerasSummaries() {
    Discretization few = Discretization.withNumBins(5);
    few.adapt(new float[] {0, 1, 5});
    assertArrayEquals(new float[] {0, 1}, few.binBoundaries());
    Discretization eight = Discretization.withNumBins(5);
    eight.adapt(new double[] {0, 1, 2, 3, 4, 5, 6, 7});
    assertArrayEquals(new float[] {0.6000000238418579f, 2.200000047683716f, 3.799999952316284f, 5.400000095367432f},
        eight.binBoundaries());
  }

  /** Beyond Keras's tests: larger data, one array and streamed batches, against Keras's numbers. */
  @Test
  void adaptMatchesKerasOnLargerData() {
    float[] permuted = new float[1000];
    for (int i = 0; i < 1000; i++) permuted[i] = (float) ((i * 7919 % 1000) / 10.0);
    Discretization whole = Discretization.withNumBins(4);
    whole.adapt(permuted);
    assertArrayEquals(new float[] {24.89997673034668f, 49.89998245239258f, 74.89999389648438f}, whole.binBoundaries());

    float[] skewed = new float[5000];
    for (int i = 0; i < 5000; i++) skewed[i] = (float) (Math.pow(i * 2654435761L % 5000, 1.5) / 1000.0);
    Discretization streamed = Discretization.withNumBins(7);
    streamed.adapt(Dataset.fromTensorSlices(skewed).batch(512));
    assertArrayEquals(new float[] {20.496164321899414f, 55.53791046142578f, 99.971923828125f, 154.3304443359375f,
        214.78903198242188f, 281.6759033203125f}, streamed.binBoundaries());
  }

  /** test_correctness, every output mode (dense). */
  @Test
  void correctness() {
    Object[][] cases = {
      {"int", new float[][] {{-1.0f, 0.0f, 0.1f, 0.8f, 1.2f}}, Shape.of(1, 5), new float[] {0, 1, 1, 2, 3}},
      {"one_hot", new float[] {0.1f, 0.8f}, Shape.of(2, 4), new float[] {0, 1, 0, 0, 0, 0, 1, 0}},
      {"multi_hot", new float[][] {{0.1f, 0.8f}}, Shape.of(1, 4), new float[] {0, 1, 1, 0}},
      {"one_hot", new float[][][] {{{0.15f, 0.75f}, {0.85f, 0.45f}}}, Shape.of(1, 2, 2, 4),
          new float[] {0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0, 0}},
      {"multi_hot", new float[][][] {{{0.15f, 0.75f}, {0.85f, 0.45f}}}, Shape.of(1, 2, 4),
          new float[] {0, 1, 1, 0, 0, 1, 1, 0}},
      {"count", new float[][] {{0.1f, 0.8f, 0.9f}}, Shape.of(1, 4), new float[] {0, 1, 2, 0}},
    };
    for (Object[] c : cases) {
      GraphRuntime.reset();
      Out out = run(Discretization.withBinBoundaries(0.0, 0.5, 1.0).outputMode((String) c[0]), c[1]);
      assertEquals(c[2], out.shape(), (String) c[0]);
      assertArrayEquals((float[]) c[3], out.values(), (String) c[0]);
    }
  }

  /** test_tf_data_compatibility's fixed bins. */
  @Test
  void fixedBins() {
    Out out = run(Discretization.withBinBoundaries(0.0, 0.35, 0.5, 1.0),
        new float[][] {{-1.0f, 0.0f, 0.1f, 0.2f, 0.4f, 0.5f, 1.0f, 1.2f, 0.98f}});
    assertArrayEquals(new float[] {0, 1, 1, 1, 2, 3, 4, 4, 3}, out.values());
  }

  /** test_model_call_vs_predict_consistency's values. */
  @Test
  void intModeValues() {
    Out out = run(Discretization.withBinBoundaries(-0.5, 0, 0.1, 0.2, 3),
        new float[][] {{0.0f, 0.15f, 0.21f, 0.3f}, {0.0f, 0.17f, 0.451f, 7.8f}});
    assertArrayEquals(new float[] {2, 3, 4, 4, 2, 3, 4, 5}, out.values());
  }

  /**
   * test_adapt_flow's and test_model_call_vs_predict_consistency's dtype: "int" output is int32
   * (Keras 3.15.1: {@code [[2 3 4 4] [2 3 4 5]]}, dtype int32, from the call and from predict), the
   * symbolic tensor says so, the other modes stay float32, and the config's dtype is the layer's
   * "float32" string as Keras writes it.
   */
  @Test
  void intModeOutputsInt32() {
    float[][] x = {{0.0f, 0.15f, 0.21f, 0.3f}, {0.0f, 0.17f, 0.451f, 7.8f}};
    Discretization layer = Discretization.withBinBoundaries(-0.5, 0, 0.1, 0.2, 3);
    List<TType> outputs = layer.applyOutputs(x);
    TInt32 ints = assertInstanceOf(TInt32.class, outputs.get(0));
    int[] values = new int[8];
    ints.copyTo(DataBuffers.of(values, false, false));
    outputs.forEach(TType::close);
    assertArrayEquals(new int[] {2, 3, 4, 4, 2, 3, 4, 5}, values);
    KerasTensor input = Input.of(4);
    Discretization symbolic = Discretization.withBinBoundaries(-0.5, 0, 0.1, 0.2, 3);
    KerasTensor out = symbolic.apply(input);
    assertEquals(TInt32.class, out.dtype());
    try (Functional model = Model.of(List.of(input), List.of(out))) {
      NdArray<?> predicted = model.predictNdArrays(x).get(0);
      assertEquals(Shape.of(2, 4), predicted.shape());
      assertEquals(5, predicted.getObject(1, 3));
      assertArrayEquals(new float[][] {{2, 3, 4, 4}, {2, 3, 4, 5}}, model.predict(x));
    }
    assertEquals("float32", symbolic.getConfig().get("dtype"));
    KerasTensor hot = Discretization.withBinBoundaries(0.0, 1.0).outputMode("one_hot").apply(Input.of(1));
    assertEquals(TFloat32.class, hot.dtype());
  }

  /**
   * A model ending in Discretization saved as {@code .keras}: the layer's config keeps dtype
   * "float32", the loaded model predicts the same int32 bins.
   */
  @Test
  void savedModelKeepsInt32Bins(@TempDir Path dir) throws Exception {
    float[][] x = {{0.0f, 0.15f, 0.21f, 0.3f}, {0.0f, 0.17f, 0.451f, 7.8f}};
    Path file = dir.resolve("bins.keras");
    KerasTensor input = Input.of(4);
    Discretization layer = Discretization.withBinBoundaries(-0.5, 0, 0.1, 0.2, 3);
    layer.name("bins");
    try (Functional model = Model.of(List.of(input), List.of(layer.apply(input)))) {
      model.save(file);
    }
    GraphRuntime.reset();
    try (Model loaded = Model.load(file)) {
      assertEquals("float32", loaded.getLayer("bins").getConfig().get("dtype"));
      NdArray<?> out = loaded.predictNdArrays(x).get(0);
      assertEquals(4, out.getObject(0, 2));
      assertEquals(5, out.getObject(1, 3));
    }
  }

  /** test_symbolic_tensor_output_shape: (None, 3, 4) gives int (None, 3, 4), one_hot (None, 3, 4, 5), multi_hot and count (None, 4, 5). */
  @Test
  void symbolicOutputShapes() {
    String[] modes = {"int", "one_hot", "multi_hot", "count"};
    long[][] expected = {{-1, 3, 4}, {-1, 3, 4, 5}, {-1, 4, 5}, {-1, 4, 5}};
    for (int i = 0; i < modes.length; i++) {
      KerasTensor out = Discretization.withBinBoundaries(0.0, 1.0, 2.0, 5.0).outputMode(modes[i]).apply(Input.of(3, 4));
      assertArrayEquals(expected[i], out.shape().asArray(), modes[i]);
    }
  }

  /** test_call_before_adapt_raises and test_init_num_bins_and_bin_boundaries_raises' neighbours. */
  @Test
  void errors() {
    var e = assertThrows(IllegalStateException.class, () -> run(Discretization.withNumBins(3), new float[][] {{0.1f, 0.8f, 0.9f}}));
    assertEquals("You need to either pass the `bin_boundaries` argument at construction time or call"
        + " `adapt(dataset)` before you can start using the `Discretization` layer.", e.getMessage());
    assertEquals("`num_bins` must be greater than or equal to 0. Received: `num_bins=-1`",
        assertThrows(IllegalArgumentException.class, () -> Discretization.withNumBins(-1)).getMessage());
    assertEquals("Cannot adapt a Discretization layer that has been initialized with `bin_boundaries`, use"
        + " `num_bins` instead.",
        assertThrows(IllegalStateException.class, () -> Discretization.withBinBoundaries(0.0).adapt(new float[] {1})).getMessage());
    assertEquals("Unknown value for `output_mode` argument of Discretization. Allowed values are: ('int',"
        + " 'one_hot', 'multi_hot', 'count'). Received: output_mode=tf_idf",
        assertThrows(IllegalArgumentException.class, () -> Discretization.withNumBins(2).outputMode("tf_idf")).getMessage());
  }
}
