package dev.tfkeras.layers.preprocessing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tfkeras.layers.Input;
import dev.tfkeras.layers.KerasTensor;
import dev.tfkeras.testing.FreshRuntime;
import dev.tfkeras.testing.Tensors;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** Ports keras/src/layers/preprocessing/category_encoding_test.py (the dense cases). */
@ExtendWith(FreshRuntime.class)
class CategoryEncodingTest {

  private record Out(Shape shape, float[] values) {}

  private static Out run(CategoryEncoding layer, Object x) {
    try (TFloat32 y = layer.apply(x)) {
      return new Out(y.shape(), Tensors.read(y));
    }
  }

  private static float[] f(int... v) {
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) out[i] = v[i];
    return out;
  }

  /** test_count_output, with its symbolic call (shape and float32). */
  @Test
  void countOutput() {
    CategoryEncoding layer = new CategoryEncoding(6).outputMode("count");
    Out out = run(layer, new int[] {1, 2, 3, 1});
    assertEquals(Shape.of(6), out.shape());
    assertArrayEquals(f(0, 2, 1, 1, 0, 0), out.values());
  }

  @Test
  void countOutputSymbolic() {
    KerasTensor output = new CategoryEncoding(6).outputMode("count").apply(Input.of(TInt32.class, 4));
    assertArrayEquals(new long[] {-1, 6}, output.shape().asArray());
    assertEquals(TFloat32.class, output.dtype());
  }

  /** test_count_weighted_output. */
  @Test
  void countWeightedOutput() {
    CategoryEncoding layer = new CategoryEncoding(6).outputMode("count");
    int[][] ids = {{0, 1}, {0, 0}, {1, 2}, {3, 1}};
    float[][] weights = {{0.1f, 0.2f}, {0.1f, 0.1f}, {0.2f, 0.3f}, {0.4f, 0.2f}};
    Out out = run(layer, List.of(ids, weights));
    assertEquals(Shape.of(4, 6), out.shape());
    assertArrayEquals(new float[] {
        0.1f, 0.2f, 0, 0, 0, 0,
        0.2f, 0, 0, 0, 0, 0,
        0, 0.2f, 0.3f, 0, 0, 0,
        0, 0.2f, 0, 0.4f, 0, 0}, out.values(), 1e-7f);
  }

  /** test_batched_count_output and test_count_batched_samples. */
  @Test
  void batchedCountOutput() {
    Out out = run(new CategoryEncoding(6).outputMode("count"), new int[][] {{1, 2, 3, 1}, {0, 3, 1, 0}});
    assertEquals(Shape.of(2, 6), out.shape());
    assertArrayEquals(f(0, 2, 1, 1, 0, 0, 2, 1, 0, 1, 0, 0), out.values());
    reset();
    assertArrayEquals(f(0, 2, 1, 1), run(new CategoryEncoding(4).outputMode("count"), new int[] {1, 2, 3, 1}).values());
  }

  private static void reset() {
    dev.tfkeras.runtime.GraphRuntime.reset();
  }

  /** test_multi_hot (multi_hot is the default). */
  @Test
  void multiHot() {
    Out out = run(new CategoryEncoding(6), new int[] {3, 2, 0, 1});
    assertEquals(Shape.of(6), out.shape());
    assertArrayEquals(f(1, 1, 1, 1, 0, 0), out.values());
  }

  /** test_batched_multi_hot. */
  @Test
  void batchedMultiHot() {
    Out out = run(new CategoryEncoding(6).outputMode("multi_hot"), new int[][] {{3, 2, 0, 1}, {3, 2, 0, 1}});
    assertEquals(Shape.of(2, 6), out.shape());
    assertArrayEquals(f(1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 0, 0), out.values());
  }

  /** test_one_hot, with its (N, 1) case that replaces the last axis. */
  @Test
  void oneHot() {
    Out out = run(new CategoryEncoding(6).outputMode("one_hot"), new int[] {3, 2, 0, 1});
    assertEquals(Shape.of(4, 6), out.shape());
    assertArrayEquals(f(0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0), out.values());
    reset();
    Out column = run(new CategoryEncoding(6).outputMode("one_hot"), new int[][] {{3}, {2}, {0}, {1}});
    assertEquals(Shape.of(4, 6), column.shape());
    assertArrayEquals(out.values(), column.values());
  }

  /** test_batched_one_hot and test_encode_one_hot_batched_samples. */
  @Test
  void batchedOneHot() {
    Out out = run(new CategoryEncoding(4).outputMode("one_hot"), new int[][] {{3, 2, 0, 1}, {3, 2, 0, 1}});
    assertEquals(Shape.of(2, 4, 4), out.shape());
    float[] one = f(0, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 0);
    float[] both = new float[32];
    System.arraycopy(one, 0, both, 0, 16);
    System.arraycopy(one, 0, both, 16, 16);
    assertArrayEquals(both, out.values());
  }

  /** test_category_encoding_with_invalid_num_tokens and test_invalid_output_mode_raises_error. */
  @Test
  void invalidArguments() {
    assertEquals("`num_tokens` must be >= 1. Received: num_tokens=0.",
        assertThrows(IllegalArgumentException.class, () -> new CategoryEncoding(0)).getMessage());
    assertEquals("`num_tokens` must be >= 1. Received: num_tokens=-1.",
        assertThrows(IllegalArgumentException.class, () -> new CategoryEncoding(-1)).getMessage());
    assertEquals("Unknown arg for output_mode: invalid_mode",
        assertThrows(IllegalArgumentException.class, () -> new CategoryEncoding(4).outputMode("invalid_mode")).getMessage());
    assertEquals("multi_hot", new CategoryEncoding(4).outputMode("binary").outputMode());
  }

  /** test_category_encoding_with_unnecessary_count_weights. */
  @Test
  void unnecessaryCountWeights() {
    CategoryEncoding layer = new CategoryEncoding(4).outputMode("multi_hot");
    var e = assertThrows(IllegalArgumentException.class,
        () -> run(layer, List.of(new int[] {0, 1, 2, 3}, new float[] {0.1f, 0.2f, 0.3f, 0.4f})));
    assertEquals(true, e.getMessage().startsWith("`count_weights` is not used when `output_mode` is not `'count'`."),
        e.getMessage());
  }
}
