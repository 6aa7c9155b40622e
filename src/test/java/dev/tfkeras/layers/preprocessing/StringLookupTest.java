package dev.tfkeras.layers.preprocessing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.data.Dataset;
import dev.tfkeras.testing.FreshRuntime;
import dev.tfkeras.testing.Tensors;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.types.TFloat32;

/**
 * Ports keras/src/layers/preprocessing/string_lookup_test.py and the string cases of
 * index_lookup_test.py (dense inputs): Keras's vocabularies and outputs.
 */
@ExtendWith(FreshRuntime.class)
class StringLookupTest {

  private static final List<String> ONE_TWO_THREE = List.of("one", "two", "three");

  static float[] run(dev.tfkeras.layers.Layer layer, Object x) {
    try (TFloat32 y = layer.apply(x)) {
      return Tensors.read(y);
    }
  }

  /** index_lookup_test's kwargs: max_tokens=7, mask "", OOV "[OOV]". */
  private static StringLookup keras() {
    return new StringLookup().maxTokens(7).numOovIndices(1).maskToken("").oovToken("[OOV]");
  }

  /** test_adapt_flow. */
  @Test
  void adaptFlow() {
    StringLookup layer = new StringLookup().outputMode("int");
    layer.adapt(new String[] {"a", "a", "a", "b", "b", "c"});
    assertArrayEquals(new float[] {2, 3, 0}, run(layer, new String[] {"b", "c", "d"}));
    assertEquals(List.of("[UNK]", "a", "b", "c"), layer.getVocabulary());
  }

  /** test_fixed_vocabulary and test_set_vocabulary. */
  @Test
  void fixedAndSetVocabulary() {
    StringLookup fixed = new StringLookup().vocabulary(List.of("a", "b", "c"));
    assertArrayEquals(new float[] {2, 3, 0}, run(fixed, new String[] {"b", "c", "d"}));
    StringLookup set = new StringLookup();
    set.setVocabulary(List.of("a", "b", "c"));
    assertArrayEquals(new float[] {2, 3, 0}, run(set, new String[] {"b", "c", "d"}));
  }

  /** test_tensor_as_vocab: a (2, 3) batch. */
  @Test
  void matrixInput() {
    StringLookup layer = new StringLookup().vocabulary(List.of("a", "b", "c", "d"));
    try (TFloat32 y = layer.apply(new String[][] {{"a", "c", "d"}, {"d", "z", "b"}})) {
      assertEquals(org.tensorflow.ndarray.Shape.of(2, 3), y.shape());
      assertArrayEquals(new float[] {1, 3, 4, 4, 0, 2}, Tensors.read(y));
    }
  }

  /** test_basics_string_vocab: adapted, given, given with the special tokens, set. */
  @Test
  void basicsStringVocab() {
    String[] input = {"one", "two", "four"};
    StringLookup adapted = keras();
    adapted.adapt(new String[] {"one", "one", "one", "two", "two", "three"});
    assertEquals(List.of("", "[OOV]", "one", "two", "three"), adapted.getVocabulary());
    assertEquals(ONE_TWO_THREE, adapted.getVocabulary(false));
    assertArrayEquals(new float[] {2, 3, 1}, run(adapted, input));

    StringLookup given = keras().vocabulary(ONE_TWO_THREE);
    assertEquals(List.of("", "[OOV]", "one", "two", "three"), given.getVocabulary());
    assertArrayEquals(new float[] {2, 3, 1}, run(given, input));

    StringLookup withSpecial = keras().vocabulary(List.of("", "[OOV]", "one", "two", "three"));
    assertEquals(ONE_TWO_THREE, withSpecial.getVocabulary(false));
    assertArrayEquals(new float[] {2, 3, 1}, run(withSpecial, input));

    StringLookup set = keras();
    set.setVocabulary(List.of("", "[OOV]", "one", "two", "three"));
    assertEquals(5, set.vocabularySize());
    assertArrayEquals(new float[] {2, 3, 1}, run(set, input));
  }

  /** test_adapt_with_tf_data: a dataset batched by 2. */
  @Test
  void adaptOnDataset() {
    StringLookup layer = keras();
    layer.adapt(Dataset.fromTensorSlices(new String[] {"one", "one", "one", "two", "two", "three"}).batch(2));
    assertEquals(List.of("", "[OOV]", "one", "two", "three"), layer.getVocabulary());
    assertArrayEquals(new float[] {2, 3, 1}, run(layer, new String[] {"one", "two", "four"}));
  }

  /** Ties are broken by the tokens, descending, as Keras's lexsort; max_tokens keeps the most frequent. */
  @Test
  void adaptOrdersByCountThenTokenDescending() {
    StringLookup layer = new StringLookup().maxTokens(4);
    layer.adapt(new String[] {"b", "a", "c", "c", "d", "a"});
    assertEquals(List.of("[UNK]", "c", "a", "d"), layer.getVocabulary());
  }

  /** test_output_modes: int, multi_hot, one_hot, count and tf_idf, one sample and a batch. */
  @Test
  void outputModes() {
    String[] single = {"one", "two", "four"};
    String[][] batch = {{"one", "two", "four", "two"}};
    assertArrayEquals(new float[] {2, 3, 1}, run(keras().vocabulary(ONE_TWO_THREE), single));
    assertArrayEquals(new float[] {2, 3, 1, 3}, run(keras().vocabulary(ONE_TWO_THREE), batch));
    assertArrayEquals(new float[] {1, 1, 1, 0}, run(keras().outputMode("multi_hot").vocabulary(ONE_TWO_THREE), single));
    assertArrayEquals(new float[] {1, 1, 1, 0}, run(keras().outputMode("multi_hot").vocabulary(ONE_TWO_THREE), batch));
    assertArrayEquals(
        new float[] {0, 1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0},
        run(keras().outputMode("one_hot").vocabulary(ONE_TWO_THREE), single));
    assertArrayEquals(new float[] {1, 1, 1, 0}, run(keras().outputMode("count").vocabulary(ONE_TWO_THREE), single));
    assertArrayEquals(new float[] {1, 1, 2, 0}, run(keras().outputMode("count").vocabulary(ONE_TWO_THREE), batch));
    double[] idf = {0.1, 0.2, 0.3};
    assertArrayEquals(
        new float[] {0.2f, 0.1f, 0.2f, 0f}, run(keras().outputMode("tf_idf").vocabulary(ONE_TWO_THREE, idf), single), 1e-6f);
    assertArrayEquals(
        new float[] {0.2f, 0.1f, 0.4f, 0f}, run(keras().outputMode("tf_idf").vocabulary(ONE_TWO_THREE, idf), batch), 1e-6f);
  }

  /** test_adapt_tf_idf: unbatched and batched documents. */
  @Test
  void adaptTfIdf() {
    StringLookup unbatched = keras().outputMode("tf_idf");
    unbatched.adapt(new String[] {"one", "one", "one", "two", "two", "three"});
    float[] expectedIdf = {(float) Math.log(1 + 6 / 4.0), (float) Math.log(1 + 6 / 3.0), (float) Math.log(1 + 6 / 2.0)};
    assertArrayEquals(expectedIdf, java.util.Arrays.copyOfRange(unbatched.idfWeights(), 1, 4), 1e-6f);
    assertArrayEquals(
        new float[] {1.1337324f, 0.91629076f, 1.0986123f, 0f}, run(unbatched, new String[] {"one", "two", "four"}), 1e-6f);

    StringLookup batched = keras().outputMode("tf_idf");
    batched.adapt(new String[][] {{"one", "one"}, {"one", "two"}, {"two", "three"}});
    assertArrayEquals(
        new float[] {(float) Math.log(1 + 3 / 3.0), (float) Math.log(1 + 3 / 3.0), (float) Math.log(1 + 3 / 2.0)},
        java.util.Arrays.copyOfRange(batched.idfWeights(), 1, 4), 1e-6f);
    assertArrayEquals(
        new float[] {0f, 0.6931472f, 0.6931472f, 0f, 0.76752836f, 0f, 0.6931472f, 0f},
        run(batched, new String[][] {{"one", "two"}, {"two", "four"}}), 1e-6f);
  }

  /** A mask token maps to 0 in int mode; with num_oov_indices=0 an unknown token fails the call. */
  @Test
  void maskAndNoOov() {
    StringLookup layer = new StringLookup().maskToken("[MASK]").vocabulary(List.of("a", "b"));
    assertArrayEquals(new float[] {2, 0, 1, 3}, run(layer, new String[] {"a", "[MASK]", "z", "b"}));
    StringLookup strict = new StringLookup().numOovIndices(0).vocabulary(List.of("a", "b"));
    assertArrayEquals(new float[] {0, 1}, run(strict, new String[] {"a", "b"}));
    RuntimeException e = assertThrows(RuntimeException.class, () -> run(strict, new String[] {"a", "zz"}));
    assertTrue(e.getMessage().contains("When `num_oov_indices=0` all inputs should be in vocabulary"), e.getMessage());
    assertTrue(e.getMessage().contains("zz"), e.getMessage());
  }

  /** With several OOV indices, an unknown token's FarmHash picks one, as Hashing(2) bins it. */
  @Test
  void severalOovIndicesHashUnknownTokens() {
    StringLookup layer = new StringLookup().numOovIndices(2).vocabulary(List.of("a"));
    float[] ids = run(layer, new String[] {"omar", "stringer", "marlo", "wire", "skywalker", "a"});
    // HashingTest's denseInputFarmhash: Hashing(2) bins these five at 0, 0, 1, 0, 0
    assertArrayEquals(new float[] {0, 0, 1, 0, 0, 2}, ids);
  }

  /** Keras's argument errors, word for word. */
  @Test
  void argumentErrors() {
    assertEquals(
        "If set, `max_tokens` must be greater than 1. Received: max_tokens=1",
        assertThrows(IllegalArgumentException.class, () -> new StringLookup().maxTokens(1)).getMessage());
    assertEquals(
        "`num_oov_indices` must be greater than or equal to 0. Received: num_oov_indices=-1",
        assertThrows(IllegalArgumentException.class, () -> new StringLookup().numOovIndices(-1)).getMessage());
    assertEquals(
        "If pad_to_max_tokens is True, must set `max_tokens`. Received: max_tokens=None",
        assertThrows(IllegalArgumentException.class,
            () -> new StringLookup().padToMaxTokens(true).vocabulary(List.of("a"))).getMessage());
    assertEquals(
        "`output_mode` must be `'int'` when `invert` is true. Received: output_mode=one_hot",
        assertThrows(IllegalArgumentException.class,
            () -> new StringLookup().invert(true).outputMode("one_hot").vocabulary(List.of("a"))).getMessage());
    assertTrue(
        assertThrows(IllegalArgumentException.class,
                () -> new StringLookup().vocabulary(List.of("a", "b"), new double[] {0.5, 0.1}))
            .getMessage().startsWith("`idf_weights` should only be set if output_mode is `'tf_idf'`"));
    assertEquals(
        "The passed vocabulary has at least one repeated term. Please uniquify your dataset. The"
            + " repeated terms are: ['token']",
        assertThrows(IllegalArgumentException.class,
            () -> new StringLookup().vocabulary(List.of("token", "token", "unique"))).getMessage());
    assertTrue(
        assertThrows(IllegalArgumentException.class,
                () -> new StringLookup().maskToken("mask").vocabulary(List.of("token", "mask", "unique")))
            .getMessage().startsWith("Found reserved mask token at unexpected location in `vocabulary`."));
    assertTrue(
        assertThrows(UnsupportedOperationException.class, () -> new StringLookup().sparse(true))
            .getMessage().contains("dense"));
    StringLookup fixed = new StringLookup().vocabulary(List.of("a"));
    assertEquals(
        "Cannot adapt layer '" + fixed.name() + "' after setting a static vocabulary via `vocabulary`"
            + " argument or `set_vocabulary()` method.",
        assertThrows(IllegalStateException.class, () -> fixed.adapt(new String[] {"b"})).getMessage());
  }

  /** test_ensure_known_vocab_size_without_vocabulary: encoded modes need the vocabulary first. */
  @Test
  void encodedModesNeedTheVocabularyBeforeTheCall() {
    StringLookup layer = new StringLookup().outputMode("multi_hot");
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> run(layer, new String[][] {{"a"}}));
    assertTrue(e.getMessage().contains("you must set the layer's vocabulary before calling it"), e.getMessage());
  }

  /** A numeric input is refused, naming the layer and saying what to do. */
  @Test
  void numericInputIsRefused() {
    StringLookup layer = new StringLookup().vocabulary(List.of("a"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> run(layer, new float[][] {{1f}}));
    assertTrue(e.getMessage().contains("looks up strings, received a TFloat32 input"), e.getMessage());
  }

  /** Adapting after the first call replaces the table's contents in the running graph. */
  @Test
  void adaptAfterTheFirstCallUpdatesTheTable() {
    StringLookup layer = new StringLookup();
    layer.adapt(new String[] {"a", "b"});
    assertArrayEquals(new float[] {1, 2, 0}, run(layer, new String[] {"b", "a", "c"}));
    layer.adapt(new String[] {"c", "c", "a"});
    assertArrayEquals(new float[] {0, 2, 1}, run(layer, new String[] {"b", "a", "c"}));
  }
}
