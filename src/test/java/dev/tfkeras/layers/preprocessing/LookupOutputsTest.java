package dev.tfkeras.layers.preprocessing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.layers.Embedding;
import dev.tfkeras.layers.Input;
import dev.tfkeras.layers.KerasTensor;
import dev.tfkeras.layers.Layer;
import dev.tfkeras.models.Functional;
import dev.tfkeras.models.Model;
import dev.tfkeras.runtime.GraphRuntime;
import dev.tfkeras.testing.FreshRuntime;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.LongNdArray;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;
import org.tensorflow.types.family.TType;

/**
 * The lookup layers' outputs in Keras's dtypes: int64 indices in {@code "int"} mode ({@code
 * StringLookup}, {@code IntegerLookup}, {@code Hashing}, {@code TextVectorization}), strings from
 * a {@code StringLookup} with {@code invert}, int64 values from an {@code IntegerLookup} with
 * {@code invert} (Keras's string_lookup_test.py, integer_lookup_test.py, index_lookup_test.py); a
 * functional model ending in an inverted lookup predicts strings, and so does it saved and loaded
 * in both formats; a {@code .keras} file Keras 3.15.1 wrote ({@code
 * src/test/resources/lookups/make_lookups.py}) predicts in tfkeras what Keras printed; the {@code
 * vocabulary.txt} assets are those Keras writes (an unadapted lookup's special tokens, a
 * TextVectorization's vocabulary at its two paths).
 */
@ExtendWith(FreshRuntime.class)
class LookupOutputsTest {

  @TempDir Path dir;

  /** The one output of an eager call, in its own dtype; the caller closes it. */
  private static TType one(Layer layer, Object x) {
    List<TType> outputs = layer.applyOutputs(x);
    assertEquals(1, outputs.size());
    return outputs.get(0);
  }

  private static List<String> strings(TType tensor) {
    TString text = assertInstanceOf(TString.class, tensor);
    List<String> out = new ArrayList<>();
    text.scalars().forEach(s -> out.add(s.getObject()));
    return out;
  }

  private static long[] longs(TType tensor) {
    TInt64 ints = assertInstanceOf(TInt64.class, tensor);
    long[] out = new long[(int) ints.size()];
    ints.copyTo(DataBuffers.of(out, false, false));
    return out;
  }

  /**
   * string_lookup_test.py test_invert_lookup_basic; {@code apply(x)}, which gives float32, refuses
   * the strings naming what to call.
   */
  @Test
  void invertLookupBasic() {
    StringLookup layer = new StringLookup().vocabulary(List.of("a", "b", "c")).invert(true);
    try (TType out = one(layer, new long[] {1, 2, 0})) {
      assertEquals(List.of("a", "b", "[UNK]"), strings(out));
    }
    IllegalStateException error = assertThrows(IllegalStateException.class, () -> layer.apply(new long[] {1}));
    assertTrue(error.getMessage().contains("TString") && error.getMessage().contains("applyOutputs(x)"), error.getMessage());
  }

  /**
   * index_lookup_test.py test_invert (max_tokens 7, mask "", OOV "[OOV]"), one sample then a batch;
   * index 0 gives the mask token and an index past the vocabulary the OOV token, as Keras 3.15.1
   * gives {@code [b'', b'three', b'[OOV]']} for {@code [0, 4, 9]}.
   */
  @Test
  void indexLookupInvert() {
    StringLookup layer = new StringLookup().maxTokens(7).numOovIndices(1).maskToken("").oovToken("[OOV]")
        .vocabulary(List.of("one", "two", "three")).invert(true);
    try (TType out = one(layer, new long[] {2, 3, 1})) {
      assertEquals(List.of("one", "two", "[OOV]"), strings(out));
    }
    try (TType out = one(layer, new long[][] {{2, 3, 1, 3}})) {
      assertEquals(Shape.of(1, 4), out.shape());
      assertEquals(List.of("one", "two", "[OOV]", "two"), strings(out));
    }
    try (TType out = one(layer, new int[] {0, 4, 9})) {
      assertEquals(List.of("", "three", "[OOV]"), strings(out));
    }
  }

  /** integer_lookup_test.py test_invert: int64 values, -1 (the OOV token) for index 0. */
  @Test
  void integerLookupInvert() {
    IntegerLookup layer = new IntegerLookup().vocabulary(10, 20, 30).invert(true);
    try (TType out = one(layer, new long[] {1, 2, 3, 0})) {
      assertArrayEquals(new long[] {10, 20, 30, -1}, longs(out));
    }
  }

  /**
   * "int" outputs are int64, as Keras's: string_lookup_test.py test_adapt_flow ([2, 3, 0]),
   * integer_lookup_test.py test_adapt_flow ({@code [1, 1, 2, 3, 0]}... here [2, 3, 1] of a fixed
   * vocabulary), hashing_test.py's {@code Hashing(3)} of "A".."E" ([1, 0, 1, 1, 2]), and a
   * TextVectorization adapted to {@code ["a b c", "a b", "a"]} ({@code [[2, 4, 0, 0], [3, 1, 0,
   * 0]]} for {@code ["a c", "b z"]}, Keras 3.15.1); encoded modes stay float32. {@code apply}
   * still gives float32, the same indices.
   */
  @Test
  void intModesOutputInt64() {
    StringLookup strings = new StringLookup();
    strings.adapt(new String[] {"a", "a", "a", "b", "b", "c"});
    try (TType out = one(strings, new String[] {"b", "c", "d"})) {
      assertArrayEquals(new long[] {2, 3, 0}, longs(out));
    }
    try (TFloat32 floats = strings.apply(new String[] {"b", "c", "d"})) {
      assertEquals(3f, floats.getFloat(1));
    }
    try (TType out = one(new IntegerLookup().vocabulary(12, 36, 1138), new long[] {36, 1138, 7})) {
      assertArrayEquals(new long[] {2, 3, 0}, longs(out));
    }
    try (TType out = one(new Hashing(3), new String[][] {{"A"}, {"B"}, {"C"}, {"D"}, {"E"}})) {
      assertArrayEquals(new long[] {1, 0, 1, 1, 2}, longs(out));
    }
    TextVectorization words = new TextVectorization().outputSequenceLength(4);
    words.adapt(new String[] {"a b c", "a b", "a"});
    try (TType out = one(words, new String[] {"a c", "b z"})) {
      assertArrayEquals(new long[] {2, 4, 0, 0, 3, 1, 0, 0}, longs(out));
    }
    try (TType out = one(new StringLookup().vocabulary(List.of("a", "b")).outputMode("one_hot"), new String[] {"b"})) {
      assertInstanceOf(TFloat32.class, out);
    }
  }

  /**
   * Symbolic tensors carry the dtype: a StringLookup's indices are int64, an inverted one's
   * tokens strings; an Embedding takes the int64 indices as Keras's does.
   */
  @Test
  void symbolicTensorsCarryTheOutputDtype() {
    KerasTensor text = Input.of(TString.class, 3);
    StringLookup toIds = new StringLookup().vocabulary(List.of("a", "b", "c"));
    KerasTensor ids = toIds.apply(text);
    assertEquals(TInt64.class, ids.dtype());
    KerasTensor back = new StringLookup().vocabulary(List.of("a", "b", "c")).invert(true).apply(ids);
    assertEquals(TString.class, back.dtype());
    assertArrayEquals(new long[] {-1, 3}, back.shape().asArray());
    KerasTensor vectors = new Embedding(4, 2).apply(ids);
    assertEquals(TFloat32.class, vectors.dtype());
    assertArrayEquals(new long[] {-1, 3, 2}, vectors.shape().asArray());
  }

  private static Functional decoder() {
    KerasTensor ids = Input.named("ids", TInt64.class, 3);
    StringLookup toChar = new StringLookup().vocabulary(List.of("a", "b", "c", "d")).maskToken(null).invert(true);
    toChar.name("num_to_char");
    return Model.of(List.of(ids), List.of(toChar.apply(ids)));
  }

  private static final long[][] IDS = {{1, 2, 3}, {4, 0, 9}};
  private static final String[][] CHARS = {{"a", "b", "c"}, {"d", "[UNK]", "[UNK]"}};

  /**
   * A functional model ending in StringLookup(invert) predicts strings (predictStrings,
   * predictNdArrays); the float predict refuses them naming what to call; saved as {@code .keras}
   * and loaded, and saved in tfkeras's format and loaded into a model built anew, it predicts the
   * same strings.
   */
  @Test
  void modelEndingInInvertedLookupPredictsStrings() throws Exception {
    Path keras = dir.resolve("decode.keras");
    Path export = dir.resolve("decode");
    try (Functional model = decoder()) {
      assertArrayEquals(CHARS, model.predictStrings(IDS));
      NdArray<?> out = model.predictNdArrays(IDS).get(0);
      assertEquals(Shape.of(2, 3), out.shape());
      assertEquals("d", out.getObject(1, 0));
      IllegalStateException error = assertThrows(IllegalStateException.class, () -> model.predict(IDS));
      assertTrue(error.getMessage().contains("predictNdArrays"), error.getMessage());
      model.save(keras);
      model.save(export);
    }
    GraphRuntime.reset();
    try (Model loaded = Model.load(keras)) {
      assertArrayEquals(CHARS, loaded.predictStrings(IDS));
      StringLookup layer = (StringLookup) loaded.getLayer("num_to_char");
      assertTrue(layer.invert());
      assertEquals(List.of("[UNK]", "a", "b", "c", "d"), layer.getVocabulary());
    }
    GraphRuntime.reset();
    try (Functional fresh = decoder()) {
      fresh.loadWeights(export);
      assertArrayEquals(CHARS, fresh.predictStrings(IDS));
    }
    // the SavedModel's serving_default returns the strings too
    try (org.tensorflow.SavedModelBundle bundle = org.tensorflow.SavedModelBundle.load(export.toString(), "serve");
        TInt64 ids = TInt64.tensorOf(Shape.of(2, 3), DataBuffers.of(new long[] {1, 2, 3, 4, 0, 9}, true, false));
        org.tensorflow.Result result = bundle.function("serving_default").call(Map.of("inputs", ids))) {
      assertEquals(List.of("a", "b", "c", "d", "[UNK]", "[UNK]"), strings((TType) result.get("output_0").orElseThrow()));
    }
  }

  /**
   * A Sequential model ending in a StringLookup ("int"): the float predict gives the int64 indices
   * as floats, and predict's callbacks see them as float32 batches.
   */
  @Test
  void floatPredictAndCallbacksTakeInt64IndicesAsFloats() {
    try (dev.tfkeras.models.Sequential model = new dev.tfkeras.models.Sequential(
        Input.of(TString.class, 1), new StringLookup().vocabulary(List.of("a", "b", "c")))) {
      List<Float> seen = new ArrayList<>();
      dev.tfkeras.callbacks.Callback record = new dev.tfkeras.callbacks.Callback() {
        @Override
        public void onPredictBatchEnd(int batch, List<TFloat32> outputs) {
          outputs.get(0).scalars().forEach(v -> seen.add(v.getFloat()));
        }
      };
      String[][] x = {{"c"}, {"a"}, {"z"}};
      float[][] rows = model.predict(dev.tfkeras.data.Dataset.fromTensorSlices((Object) x).batch(2), record);
      assertArrayEquals(new float[][] {{3}, {1}, {0}}, rows);
      assertEquals(List.of(3f, 1f, 0f), seen);
    }
  }

  /**
   * The {@code .keras} file Keras 3.15.1 wrote ({@code make_lookups.py}): strings and int64 ids
   * in, and tfkeras predicts the four outputs Keras printed, in their dtypes (an adapted lookup's
   * vocabulary read from its asset).
   */
  @Test
  void kerasFileWithLookupOutputsPredictsWhatKerasPredicted() throws Exception {
    Path file = Path.of("src/test/resources/lookups/lookups_keras_3_15_1.keras");
    try (Model model = Model.load(file)) {
      List<NdArray<?>> out =
          model.predictNdArrays(List.of(new String[][] {{"a", "c", "z"}, {"g", "b", "a"}}, new long[][] {{1, 3, 0}, {7, 8, 2}}));
      assertEquals(4, out.size());
      assertArrayEquals(new long[] {1, 3, 0, 7, 2, 1}, flat(out.get(0)));
      List<String> chars = new ArrayList<>();
      ((NdArray<?>) out.get(1)).scalars().forEach(s -> chars.add((String) s.getObject()));
      assertEquals(List.of("a", "c", "[UNK]", "g", "[UNK]", "b"), chars);
      assertArrayEquals(new long[] {10, 30, -1, -1, -1, 20}, flat(out.get(2)));
      assertArrayEquals(new long[] {3, 2, 0, 0, 1, 3}, flat(out.get(3)));
      assertEquals(List.of(TInt64.class, TString.class, TInt64.class, TInt64.class),
          ((Functional) model).outputs().stream().map(KerasTensor::dtype).toList());
    }
  }

  private static long[] flat(NdArray<?> array) {
    LongNdArray longs = assertInstanceOf(LongNdArray.class, array);
    long[] out = new long[(int) longs.size()];
    longs.copyTo(DataBuffers.of(out, false, false));
    return out;
  }

  /** The {@code assets/} members of a {@code .keras} file and their text. */
  private static Map<String, String> assets(Path file) throws Exception {
    Map<String, String> out = new TreeMap<>();
    try (ZipFile zip = new ZipFile(file.toFile())) {
      for (ZipEntry entry : java.util.Collections.list(zip.entries())) {
        if (entry.getName().startsWith("assets/")) {
          out.put(entry.getName(), new String(zip.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8));
        }
      }
    }
    return out;
  }

  private Path saved(Class<? extends TType> dtype, Layer layer) throws Exception {
    Path file = Files.createTempFile(dir, "lookup", ".keras");
    Files.delete(file);
    KerasTensor x = Input.of(dtype, 1);
    try (Functional model = Model.of(List.of(x), List.of(layer.apply(x)))) {
      model.save(file);
    }
    return file;
  }

  /**
   * A lookup never adapted writes its special tokens as {@code vocabulary.txt}, as Keras 3.15.1's
   * {@code save_assets} does ({@code make_lookups.py} prints them), and loads back unadapted. (Keras
   * 3.15.1 itself cannot load such a file, its own included: its {@code load_assets} fills the
   * table with no token and TensorFlow refuses the empty import.)
   */
  @Test
  void unadaptedLookupsWriteTheirSpecialTokens() throws Exception {
    assertEquals(Map.of("assets/layers/string_lookup/vocabulary.txt", "[UNK]"),
        assets(saved(TString.class, new StringLookup())));
    GraphRuntime.reset();
    assertEquals(Map.of("assets/layers/string_lookup/vocabulary.txt", "\n[UNK]\n[UNK]"),
        assets(saved(TString.class, new StringLookup().maskToken("").numOovIndices(2))));
    GraphRuntime.reset();
    assertEquals(Map.of("assets/layers/integer_lookup/vocabulary.txt", "-1"),
        assets(saved(TInt64.class, new IntegerLookup())));
    GraphRuntime.reset();
    Path inverted = saved(TInt64.class, new IntegerLookup().maskToken(0).invert(true));
    assertEquals(Map.of("assets/layers/integer_lookup/vocabulary.txt", "0\n-1"), assets(inverted));
    GraphRuntime.reset();
    try (Model loaded = Model.load(inverted)) {
      IntegerLookup layer = (IntegerLookup) loaded.layers().get(1);
      assertEquals(List.of(0L, -1L), layer.getVocabulary());
      assertEquals(List.of(), layer.getVocabulary(false));
    }
  }

  /**
   * A TextVectorization's vocabulary is written where Keras 3.15.1 writes it, and only there: at
   * the layer's path and at its wrapped StringLookup's ({@code _lookup_layer}), the same bytes,
   * {@code "\n[UNK]\na\nb\nc"} for {@code ["a b c", "a b", "a"]} (mask token "" first).
   */
  @Test
  void textVectorizationVocabularyIsWrittenAsKerasWritesIt() throws Exception {
    TextVectorization words = new TextVectorization().maxTokens(10);
    words.adapt(new String[] {"a b c", "a b", "a"});
    Path file = saved(TString.class, words);
    assertEquals(
        Map.of("assets/layers/text_vectorization/_lookup_layer/vocabulary.txt", "\n[UNK]\na\nb\nc",
            "assets/layers/text_vectorization/vocabulary.txt", "\n[UNK]\na\nb\nc"),
        assets(file));
  }
}
