package dev.tfkeras.layers.preprocessing;

import static dev.tfkeras.layers.preprocessing.StringLookupTest.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tfkeras.saving.Config;
import dev.tfkeras.testing.FreshRuntime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * Keras's test_config for StringLookup, IntegerLookup and TextVectorization: getConfig has Keras's
 * keys and values, and fromConfig(getConfig()) gives an equal config and the same outputs
 * (Keras's run_class_serialization_test).
 */
@ExtendWith(FreshRuntime.class)
class LookupConfigTest {

  @Test
  void stringLookupConfig() {
    StringLookup layer = new StringLookup().outputMode("int").oovToken("[OOV]").maskToken("[MASK]").vocabulary(List.of("a", "b", "c"));
    Config config = layer.getConfig();
    // Keras's IndexLookup.get_config after the base Layer's keys, vocabulary_dtype deleted and
    // encoding appended by StringLookup's; oov_method and salt (Keras 3.14+) left out at their defaults
    assertEquals(
        List.of("name", "trainable", "dtype", "invert", "max_tokens", "num_oov_indices", "oov_token", "mask_token",
            "output_mode", "sparse", "pad_to_max_tokens", "idf_weights", "vocabulary", "vocabulary_size",
            "encoding"),
        List.copyOf(config.keys()));
    Config newer = Config.fromJson(config.toJson()).put("oov_method", "floormod").putNull("salt");
    assertEquals(config, StringLookup.fromConfig(newer).getConfig(), "Keras 3.14's keys are read at their defaults");
    assertEquals(List.of("a", "b", "c"), config.getStrings("vocabulary"));
    assertEquals("[OOV]", config.get("oov_token"));
    assertEquals(5L, config.getLong("vocabulary_size", 0));
    StringLookup copy = StringLookup.fromConfig(Config.fromJson(config.toJson()));
    assertEquals(config, copy.getConfig());
    assertArrayEquals(run(layer, new String[] {"b", "[MASK]", "z"}), run(copy, new String[] {"b", "[MASK]", "z"}));
  }

  @Test
  void integerLookupConfig() {
    IntegerLookup layer = new IntegerLookup().outputMode("int").oovToken(1).maskToken(0).vocabulary(1, 2, 3);
    Config config = layer.getConfig();
    assertEquals(
        List.of("name", "trainable", "dtype", "invert", "max_tokens", "num_oov_indices", "oov_token", "mask_token",
            "output_mode", "sparse", "pad_to_max_tokens", "vocabulary_dtype", "idf_weights", "vocabulary",
            "vocabulary_size"),
        List.copyOf(config.keys()));
    assertEquals("int64", config.get("vocabulary_dtype"));
    assertEquals(List.of(1L, 2L, 3L), java.util.Arrays.stream(config.getLongs("vocabulary")).boxed().toList());
    IntegerLookup copy = IntegerLookup.fromConfig(Config.fromJson(config.toJson()));
    assertEquals(config, copy.getConfig());
  }

  @Test
  void textVectorizationConfig() {
    TextVectorization layer = new TextVectorization().outputMode("int").vocabulary(List.of("one", "two")).outputSequenceLength(5);
    Config config = layer.getConfig();
    assertEquals(
        List.of("name", "trainable", "dtype", "max_tokens", "standardize", "split", "ngrams", "output_mode",
            "output_sequence_length", "pad_to_max_tokens", "sparse", "ragged", "vocabulary", "idf_weights",
            "encoding", "vocabulary_size"),
        List.copyOf(config.keys()));
    assertEquals("lower_and_strip_punctuation", config.get("standardize"));
    assertEquals("whitespace", config.get("split"));
    assertNull(config.get("ngrams"));
    assertEquals(5L, config.getLong("output_sequence_length", 0));
    assertEquals(List.of("one", "two"), config.getStrings("vocabulary"));
    TextVectorization copy = TextVectorization.fromConfig(Config.fromJson(config.toJson()));
    assertEquals(config, copy.getConfig());
    assertArrayEquals(run(layer, new String[] {"Two one, three"}), run(copy, new String[] {"Two one, three"}));
    TextVectorization grams = TextVectorization.fromConfig(new TextVectorization().ngrams(1, 3).split("character").getConfig());
    assertEquals(List.of(1L, 3L), java.util.Arrays.stream(grams.getConfig().getLongs("ngrams")).boxed().toList());
    assertThrows(IllegalStateException.class, () -> new TextVectorization().standardize((tf, t) -> t).getConfig());
  }

  /**
   * An adapted layer's config keeps no vocabulary (it is an asset) but its size, so that a layer
   * made from the config builds its tf_idf output before the vocabulary is loaded.
   */
  @Test
  void adaptedVocabularyIsAnAssetAndItsSizeIsConfig() {
    TextVectorization layer = new TextVectorization().outputMode("tf_idf");
    layer.adapt(new String[] {"foo bar", "bar baz", "baz bada boom"});
    Config config = layer.getConfig();
    assertNull(config.get("vocabulary"));
    assertEquals(6L, config.getLong("vocabulary_size", 0));
    TextVectorization copy = TextVectorization.fromConfig(config);
    try (TFloat32 y = copy.apply(new String[] {"foo"})) {
      assertEquals(Shape.of(1, 6), y.shape());
    }
  }
}
