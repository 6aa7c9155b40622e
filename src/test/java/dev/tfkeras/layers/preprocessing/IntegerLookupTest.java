package dev.tfkeras.layers.preprocessing;

import static dev.tfkeras.layers.preprocessing.StringLookupTest.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tfkeras.data.Dataset;
import dev.tfkeras.testing.FreshRuntime;
import dev.tfkeras.testing.Tensors;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * Ports keras/src/layers/preprocessing/integer_lookup_test.py and the integer cases of
 * index_lookup_test.py (dense inputs).
 */
@ExtendWith(FreshRuntime.class)
class IntegerLookupTest {

  private static final long[] ADAPT = {1, 1, 1, 2, 2, 3};

  private static Shape shape(IntegerLookup layer, Object x) {
    try (TFloat32 y = layer.apply(x)) {
      return y.shape();
    }
  }

  /** test_adapt_flow: int, one_hot, multi_hot, tf_idf and count after adapting. */
  @Test
  void adaptFlow() {
    IntegerLookup ints = new IntegerLookup();
    ints.adapt(ADAPT);
    assertArrayEquals(new float[] {1, 2, 0}, run(ints, new long[] {1, 2, 4}));
    assertArrayEquals(new float[] {1, 2, 0, 2, 3, 0}, run(ints, new long[][] {{1, 2, 4}, {2, 3, 5}}));

    IntegerLookup oneHot = new IntegerLookup().outputMode("one_hot");
    oneHot.adapt(ADAPT);
    assertArrayEquals(new float[] {0, 1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0}, run(oneHot, new long[] {1, 2, 4}));

    IntegerLookup multiHot = new IntegerLookup().outputMode("multi_hot");
    multiHot.adapt(ADAPT);
    assertArrayEquals(new float[] {1, 1, 1, 0}, run(multiHot, new long[] {1, 2, 4}));

    IntegerLookup tfIdf = new IntegerLookup().outputMode("tf_idf");
    tfIdf.adapt(ADAPT);
    assertArrayEquals(new float[] {1.133732f, 0.916291f, 1.098612f, 0f}, run(tfIdf, new long[] {1, 2, 4}), 1e-6f);

    IntegerLookup count = new IntegerLookup().outputMode("count");
    count.adapt(ADAPT);
    assertArrayEquals(new float[] {1, 3, 2, 1}, run(count, new long[] {1, 2, 3, 4, 1, 2, 1}));
  }

  /** test_fixed_vocabulary, test_set_vocabulary, and int32 inputs cast to int64. */
  @Test
  void fixedAndSetVocabulary() {
    assertArrayEquals(new float[] {2, 3, 4, 0}, run(new IntegerLookup().vocabulary(1, 2, 3, 4), new long[] {2, 3, 4, 5}));
    IntegerLookup set = new IntegerLookup();
    set.setVocabulary(List.of(1L, 2L, 3L, 4L));
    assertArrayEquals(new float[] {2, 3, 4, 0}, run(set, new int[] {2, 3, 4, 5}));
  }

  /** test_one_hot_output_with_higher_rank_input and the multi_hot/count/tf_idf output shapes. */
  @Test
  void outputShapes() {
    long[][] input = {{1, 2}, {3, 0}};
    IntegerLookup oneHot = new IntegerLookup().outputMode("one_hot").vocabulary(1, 2, 3);
    assertArrayEquals(new float[] {0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 1, 0, 0, 0}, run(oneHot, input));
    assertEquals(Shape.of(2, 2, 4), shape(oneHot, input));
    assertEquals(Shape.of(1, 2, 2, 4), shape(oneHot, new long[][][] {input}));
    assertEquals(Shape.of(2, 4), shape(new IntegerLookup().outputMode("multi_hot").vocabulary(1, 2, 3), input));
    assertEquals(Shape.of(2, 4), shape(new IntegerLookup().outputMode("count").vocabulary(1, 2, 3), input));
    IntegerLookup tfIdf = new IntegerLookup().outputMode("tf_idf");
    tfIdf.vocabulary(List.of(1L, 2L, 3L), new double[] {1, 1, 1});
    assertEquals(Shape.of(2, 4), shape(tfIdf, input));
  }

  /** test_basics_integer_vocab: mask 0 and OOV -1, adapted then given with the special tokens. */
  @Test
  void basicsIntegerVocab() {
    IntegerLookup adapted = new IntegerLookup().maxTokens(7).maskToken(0).oovToken(-1);
    adapted.adapt(ADAPT);
    assertEquals(List.of(0L, -1L, 1L, 2L, 3L), adapted.getVocabulary());
    assertEquals(List.of(1L, 2L, 3L), adapted.getVocabulary(false));
    assertArrayEquals(new float[] {2, 3, 1}, run(adapted, new long[] {1, 2, 4}));
    IntegerLookup given = new IntegerLookup().maxTokens(7).maskToken(0).oovToken(-1).vocabulary(0, -1, 1, 2, 3);
    assertEquals(List.of(0L, -1L, 1L, 2L, 3L), given.getVocabulary());
    assertArrayEquals(new float[] {2, 3, 1}, run(given, new long[] {1, 2, 4}));
  }

  /** test_max_tokens_adapt, test_max_tokens and test_get_vocabulary. */
  @Test
  void maxTokensAndVocabulary() {
    IntegerLookup four = new IntegerLookup().maxTokens(4).maskToken(0).oovToken(-1);
    four.adapt(ADAPT);
    assertEquals(List.of(0L, -1L, 1L, 2L), four.getVocabulary());
    assertArrayEquals(new float[] {2, 3, 1, 1}, run(four, new long[] {1, 2, 3, 4}));
    IntegerLookup capped = new IntegerLookup().maxTokens(4);
    capped.adapt(new long[] {1, 2, 3, 4, 5, 6, 1, 1, 2, 2});
    assertEquals(4, capped.getVocabulary().size());
    IntegerLookup plain = new IntegerLookup();
    plain.adapt(new long[] {5, 5, 5, 10, 10, 15});
    assertEquals(-1L, plain.getVocabulary().get(0));
    assertEquals(5L, plain.getVocabulary().get(1));
  }

  /** test_mask_token, test_invert, test_num_oov_indices (floormod) and test_num_oov_indices_zero. */
  @Test
  void maskInvertAndOovIndices() {
    assertArrayEquals(new float[] {0, 2, 3, 4}, run(new IntegerLookup().maskToken(0).vocabulary(1, 2, 3), new long[] {0, 1, 2, 3}));
    assertArrayEquals(
        new float[] {10, 20, 30, -1}, run(new IntegerLookup().invert(true).vocabulary(10, 20, 30), new long[] {1, 2, 3, 0}));
    // floormod: 999 % 2 = 1, 1000 % 2 = 0
    assertArrayEquals(
        new float[] {2, 3, 4, 1, 0}, run(new IntegerLookup().numOovIndices(2).vocabulary(1, 2, 3), new long[] {1, 2, 3, 999, 1000}));
    assertArrayEquals(new float[] {0, 1, 2}, run(new IntegerLookup().numOovIndices(0).vocabulary(1, 2, 3), new long[] {1, 2, 3}));
  }

  /** test_pad_to_max_tokens (both files): multi_hot padded to max_tokens columns. */
  @Test
  void padToMaxTokens() {
    IntegerLookup layer =
        new IntegerLookup().maxTokens(5).maskToken(0).oovToken(-1).outputMode("multi_hot").padToMaxTokens(true).vocabulary(1, 2);
    assertArrayEquals(new float[] {0, 1, 1, 0, 0}, run(layer, new long[] {1, 2}));
  }

  /** test_adapt_with_steps-like: a batched dataset of ints; test_tf_data_compatibility's values. */
  @Test
  void adaptOnDataset() {
    IntegerLookup layer = new IntegerLookup();
    layer.adapt(Dataset.fromTensorSlices(new long[] {1, 2, 3, 1, 1}).batch(2));
    assertEquals(List.of(-1L, 1L, 3L, 2L), layer.getVocabulary());
    try (TFloat32 y = layer.apply(new long[] {2, 3, 4, 5})) {
      assertArrayEquals(new float[] {3, 2, 0, 0}, Tensors.read(y));
    }
  }
}
