package dev.tfkeras.layers.preprocessing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tfkeras.runtime.GraphRuntime;
import dev.tfkeras.testing.FreshRuntime;
import dev.tfkeras.testing.Tensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.ndarray.StdArrays;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TString;

/** Ports keras/src/layers/preprocessing/hashing_test.py (dense inputs): Keras's bins, bit for bit. */
@ExtendWith(FreshRuntime.class)
class HashingTest {

  private static final String[] ABCDE = {"A", "B", "C", "D", "E"};
  private static final String[] WIRE = {"omar", "stringer", "marlo", "wire", "skywalker"};

  /** The strings as a (5, 1) column, as Keras's tests pass them. */
  private static float[] hash(Hashing layer, String... column) {
    String[][] rows = new String[column.length][1];
    for (int i = 0; i < column.length; i++) rows[i][0] = column[i];
    try (TString x = TString.tensorOf(StdArrays.ndCopyOf(rows));
        TFloat32 y = layer.apply(x)) {
      return Tensors.read(y);
    }
  }

  private static float[] run(Hashing layer, Object x) {
    try (TFloat32 y = layer.apply(x)) {
      return Tensors.read(y);
    }
  }

  /** test_correctness: FarmHash, a mask value, and SipHash salted by a pair and by one integer. */
  @Test
  void correctness() {
    assertArrayEquals(new float[] {1, 0, 1, 1, 2}, hash(new Hashing(3), ABCDE));
    GraphRuntime.reset();
    assertArrayEquals(new float[] {1, 1, 0, 2, 2}, hash(new Hashing(3).maskValue(""), "A", "B", "", "C", "D"));
    GraphRuntime.reset();
    assertArrayEquals(new float[] {1, 2, 1, 0, 2}, hash(new Hashing(3).salt(133, 137), ABCDE));
    GraphRuntime.reset();
    assertArrayEquals(new float[] {0, 0, 2, 1, 0}, hash(new Hashing(3).salt(133), ABCDE));
  }

  /** test_tensor_like_inputs: integers are hashed as their decimal strings. */
  @Test
  void integerInputs() {
    assertArrayEquals(new float[] {1, 0, 1, 0, 2}, run(new Hashing(3), new int[] {0, 1, 2, 3, 4}));
  }

  /** test_hash_single_bin. */
  @Test
  void hashSingleBin() {
    assertArrayEquals(new float[] {0, 0, 0, 0, 0}, hash(new Hashing(1), ABCDE));
  }

  /** test_hash_dense_input_farmhash. */
  @Test
  void denseInputFarmhash() {
    assertArrayEquals(new float[] {0, 0, 1, 0, 0}, hash(new Hashing(2), WIRE));
  }

  /** test_hash_dense_input_mask_value_farmhash. */
  @Test
  void denseInputMaskValueFarmhash() {
    assertArrayEquals(new float[] {1, 1, 2, 1, 1}, hash(new Hashing(3).maskValue(""), WIRE));
    GraphRuntime.reset();
    assertArrayEquals(new float[] {0, 1, 2, 1, 1}, hash(new Hashing(3).maskValue("omar"), WIRE));
  }

  /** test_hash_dense_int_input_farmhash. */
  @Test
  void denseIntInputFarmhash() {
    assertArrayEquals(new float[] {1, 0, 1, 0, 2}, run(new Hashing(3), new int[][] {{0}, {1}, {2}, {3}, {4}}));
  }

  /** test_hash_dense_input_siphash. */
  @Test
  void denseInputSiphash() {
    assertArrayEquals(new float[] {0, 1, 0, 1, 0}, hash(new Hashing(2).salt(133, 137), WIRE));
    GraphRuntime.reset();
    assertArrayEquals(new float[] {1, 0, 1, 0, 1}, hash(new Hashing(2).salt(211, 137), WIRE));
  }

  /** test_hash_dense_int_input_siphash. */
  @Test
  void denseIntInputSiphash() {
    assertArrayEquals(new float[] {1, 1, 2, 0, 1},
        run(new Hashing(3).salt(133, 137), new long[][] {{0}, {1}, {2}, {3}, {4}}));
  }

  /** test_one_hot_output, test_multi_hot_output, test_count_output. */
  @Test
  void encodedOutputs() {
    assertArrayEquals(new float[] {0, 1, 0, 1, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1},
        run(new Hashing(3).outputMode("one_hot"), new int[][] {{0}, {1}, {2}, {3}, {4}}));
    GraphRuntime.reset();
    assertArrayEquals(new float[] {1, 1, 1}, run(new Hashing(3).outputMode("multi_hot"), new int[][] {{0, 1, 2, 3, 4}}));
    GraphRuntime.reset();
    assertArrayEquals(new float[] {2, 2, 1}, run(new Hashing(3).outputMode("count"), new int[][] {{0, 1, 2, 3, 4}}));
  }

  /** test_invalid_inputs (num_bins; the salt forms are typed in Java). */
  @Test
  void invalidInputs() {
    assertEquals("The `num_bins` for `Hashing` cannot be `None` or non-positive values. Received: num_bins=-1.",
        assertThrows(IllegalArgumentException.class, () -> new Hashing(-1)).getMessage());
    assertThrows(IllegalArgumentException.class, () -> new Hashing(3).outputMode("tf_idf"));
    var mismatch = assertThrows(IllegalArgumentException.class, () -> run(new Hashing(3).maskValue(""), new int[] {1, 2}));
    assertEquals(true, mismatch.getMessage().contains("give a number mask value"), mismatch.getMessage());
  }
}
