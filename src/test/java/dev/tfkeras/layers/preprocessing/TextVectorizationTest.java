package dev.tfkeras.layers.preprocessing;

import static dev.tfkeras.layers.preprocessing.StringLookupTest.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.data.Dataset;
import dev.tfkeras.layers.Embedding;
import dev.tfkeras.layers.Input;
import dev.tfkeras.models.Sequential;
import dev.tfkeras.testing.FreshRuntime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TString;

/** Ports keras/src/layers/preprocessing/text_vectorization_test.py (dense outputs): Keras's values. */
@ExtendWith(FreshRuntime.class)
class TextVectorizationTest {

  private static final String[][] FOO_QUX = {{"foo qux bar"}, {"qux baz"}};

  private static Shape shape(TextVectorization layer, Object x) {
    try (TFloat32 y = layer.apply(x)) {
      return y.shape();
    }
  }

  /** test_adapt_flow. */
  @Test
  void adaptFlow() {
    TextVectorization layer = new TextVectorization().maxTokens(5000).outputMode("int").outputSequenceLength(4);
    layer.adapt(new String[] {"foo bar", "bar baz", "baz bada boom"});
    assertArrayEquals(new float[] {4, 1, 3, 0, 1, 2, 0, 0}, run(layer, FOO_QUX));
    assertEquals(List.of("", "[UNK]", "baz", "bar", "foo", "boom", "bada"), layer.getVocabulary());
  }

  /** test_fixed_vocabulary and test_set_vocabulary. */
  @Test
  void fixedAndSetVocabulary() {
    TextVectorization fixed =
        new TextVectorization().maxTokens(5000).outputSequenceLength(4).vocabulary(List.of("baz", "bar", "foo"));
    assertArrayEquals(new float[] {4, 1, 3, 0, 1, 2, 0, 0}, run(fixed, FOO_QUX));
    TextVectorization set = new TextVectorization().maxTokens(5000).outputSequenceLength(4);
    set.setVocabulary(List.of("baz", "bar", "foo"));
    assertArrayEquals(new float[] {4, 1, 3, 0, 1, 2, 0, 0}, run(set, FOO_QUX));
  }

  /** test_static_output_sequence_length, ragged (whitespace) and dense (no split) intermediates. */
  @Test
  void staticOutputSequenceLength() {
    TextVectorization split = new TextVectorization().outputSequenceLength(4).vocabulary(List.of("baz", "bar", "foo"));
    assertEquals(Shape.of(2, 4), shape(split, FOO_QUX));
    TextVectorization unsplit =
        new TextVectorization().outputSequenceLength(4).split(null).vocabulary(List.of("baz", "bar", "foo"));
    assertArrayEquals(new float[] {4, 0, 0, 0, 2, 0, 0, 0}, run(unsplit, new String[][] {{"foo"}, {"baz"}}));
  }

  /** Without outputSequenceLength, "int" pads to the batch's longest string (Keras's to_tensor). */
  @Test
  void padsToTheLongestWithoutALength() {
    TextVectorization layer = new TextVectorization().vocabulary(List.of("baz", "bar", "foo"));
    try (TFloat32 y = layer.apply(new String[][] {{"foo qux bar"}, {"qux baz"}, {"foo"}})) {
      assertEquals(Shape.of(3, 3), y.shape());
      assertArrayEquals(new float[] {4, 1, 3, 1, 2, 0, 4, 0, 0}, dev.tfkeras.testing.Tensors.read(y));
    }
  }

  /** test_tf_as_first_sequential_layer: then an Embedding, on a string input. */
  @Test
  void firstLayerOfASequential() {
    TextVectorization layer = new TextVectorization().maxTokens(10).outputSequenceLength(3);
    layer.setVocabulary(List.of("baz", "bar", "foo"));
    Sequential model = new Sequential(Input.of(TString.class, 1), layer, new Embedding(5, 4));
    assertEquals(Shape.of(2, 3, 4), model.predictArray(FOO_QUX).shape());
  }

  /** test_multi_hot_output, test_output_mode_count_output and test_output_mode_tf_idf_output. */
  @Test
  void encodedOutputs() {
    List<String> vocabulary = List.of("foo", "bar", "baz");
    assertArrayEquals(
        new float[] {0, 1, 1, 0, 0, 1, 0, 1},
        run(new TextVectorization().outputMode("multi_hot").vocabulary(vocabulary), new String[][] {{"foo bar"}, {"baz foo foo"}}));
    assertArrayEquals(
        new float[] {0, 1, 1, 0, 0, 2, 0, 1},
        run(new TextVectorization().outputMode("count").vocabulary(vocabulary), new String[] {"foo bar", "baz foo foo"}));
    assertArrayEquals(
        new float[] {0f, 0.3f, 0.5f, 0f, 0f, 0.6f, 0f, 0.2f},
        run(new TextVectorization().outputMode("tf_idf").vocabulary(vocabulary, new double[] {0.3, 0.5, 0.2}),
            new String[] {"foo bar", "baz foo foo"}),
        1e-6f);
  }

  /** The standardizations: lower_and_strip_punctuation (default), lower, strip_punctuation, none, custom. */
  @Test
  void standardizations() {
    String text = "Hello, World!. This is just a nice test!";
    assertArrayEquals(
        new float[] {2, 3, 4, 5, 1, 1, 6, 7},
        run(new TextVectorization().vocabulary(List.of("hello", "world", "this", "is", "nice", "test")), new String[] {text}));
    assertArrayEquals(
        new float[] {2, 1, 5, 6, 1, 1, 7, 1},
        run(new TextVectorization().standardize("lower")
                .vocabulary(List.of("hello,", "hello", "world", "this", "is", "nice", "test")), new String[] {text}));
    assertArrayEquals(
        new float[] {2, 3, 4},
        run(new TextVectorization().standardize("strip_punctuation").vocabulary(List.of("Hello", "World", "Test")),
            new String[] {"Hello, World! Test."}));
    assertArrayEquals(
        new float[] {2, 1},
        run(new TextVectorization().standardize((String) null).vocabulary(List.of("Hello", "world")), new String[] {"Hello hello"}));
    TextVectorization custom =
        new TextVectorization()
            .standardize((tf, t) -> tf.strings.regexReplace(t, tf.constant("-"), tf.constant(" ")))
            .vocabulary(List.of("foo", "bar"));
    assertArrayEquals(new float[] {2, 3}, run(custom, new String[] {"foo-bar"}));
  }

  /** test_char_splitting and test_no_split; character split reads UTF-8 characters, not bytes. */
  @Test
  void splits() {
    assertArrayEquals(
        new float[] {2, 3, 4, 1},
        run(new TextVectorization().split("character").vocabulary(List.of("a", "b", "c", "d", "e")), new String[] {"abcf"}));
    assertArrayEquals(
        new float[] {2, 3, 1},
        run(new TextVectorization().split("character").vocabulary(List.of("é", "ü")), new String[] {"éüx"}));
    assertArrayEquals(
        new float[] {2, 3, 1},
        run(new TextVectorization().split(null).vocabulary(List.of("foo", "bar", "baz")), new String[][] {{"foo"}, {"bar"}, {"unknown"}}));
  }

  /** test_ngrams_integer, test_ngrams_tuple and test_max_tokens. */
  @Test
  void ngramsAndMaxTokens() {
    TextVectorization two = new TextVectorization().ngrams(2);
    two.adapt(new String[] {"foo bar baz"});
    assertTrue(two.getVocabulary().containsAll(List.of("foo bar", "bar baz", "foo")), two.getVocabulary().toString());
    TextVectorization oneAndThree = new TextVectorization().ngrams(1, 3);
    oneAndThree.adapt(new String[] {"foo bar baz"});
    assertTrue(oneAndThree.getVocabulary().containsAll(List.of("foo", "foo bar baz")));
    assertFalse(oneAndThree.getVocabulary().contains("foo bar"));
    TextVectorization five = new TextVectorization().maxTokens(5);
    five.adapt(new String[] {"a b c d e f g h i j"});
    assertEquals(List.of("", "[UNK]", "j", "i", "h"), five.getVocabulary());
  }

  /** test_pad_to_max_tokens and test_get_vocabulary. */
  @Test
  void padToMaxTokensAndVocabulary() {
    TextVectorization padded =
        new TextVectorization().outputMode("multi_hot").maxTokens(8).padToMaxTokens(true).vocabulary(List.of("foo", "bar"));
    assertEquals(Shape.of(1, 8), shape(padded, new String[] {"foo bar"}));
    List<String> vocabulary = new TextVectorization().vocabulary(List.of("foo", "bar", "baz")).getVocabulary();
    assertEquals(List.of("", "[UNK]", "foo", "bar", "baz"), vocabulary);
  }

  /** adapt on a batched dataset of strings, tf_idf learned from each string as a document. */
  @Test
  void adaptTfIdfOnADataset() {
    TextVectorization layer = new TextVectorization().maxTokens(100).outputMode("tf_idf");
    layer.adapt(Dataset.fromTensorSlices(new String[] {"foo bar", "bar baz", "baz bada boom"}).batch(2));
    // counts: bar 2, baz 2, foo 1, boom 1, bada 1; documents: bar 2, baz 2, the others 1, of 3
    assertEquals(List.of("[UNK]", "baz", "bar", "foo", "boom", "bada"), layer.getVocabulary());
    float low = (float) Math.log(1 + 3 / 3.0);
    float high = (float) Math.log(1 + 3 / 2.0);
    float mean = (low + low + high + high + high) / 5;
    assertArrayEquals(new float[] {mean, low, low, high, high, high}, layer.idfWeights(), 1e-6f);
    assertArrayEquals(new float[] {mean, 0, low, high, 0, 0}, run(layer, new String[] {"foo bar qux"}), 1e-6f);
  }

  /** Keras's argument errors. */
  @Test
  void argumentErrors() {
    assertThrows(IllegalArgumentException.class, () -> new TextVectorization().standardize("upper"));
    assertThrows(IllegalArgumentException.class, () -> new TextVectorization().split("comma"));
    assertEquals(
        "`output_sequence_length` must not be set if `output_mode` is not 'int'. Received"
            + " output_sequence_length=5.",
        assertThrows(IllegalArgumentException.class,
            () -> new TextVectorization().outputMode("count").outputSequenceLength(5).vocabulary(List.of("a"))).getMessage());
    assertThrows(UnsupportedOperationException.class, () -> new TextVectorization().ragged(true));
    TextVectorization layer = new TextVectorization().vocabulary(List.of("a"));
    IllegalArgumentException numbers = assertThrows(IllegalArgumentException.class, () -> run(layer, new float[][] {{1f}}));
    assertTrue(numbers.getMessage().contains("vectorizes strings, received a TFloat32 input"), numbers.getMessage());
    IllegalArgumentException wide =
        assertThrows(IllegalArgumentException.class, () -> run(layer, new String[][] {{"a", "b"}}));
    assertTrue(wide.getMessage().startsWith("When using `TextVectorization` to tokenize strings, the input rank"), wide.getMessage());
  }
}
