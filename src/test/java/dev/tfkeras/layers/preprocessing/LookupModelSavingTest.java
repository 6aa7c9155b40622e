package dev.tfkeras.layers.preprocessing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.data.Dataset;
import dev.tfkeras.layers.Concatenate;
import dev.tfkeras.layers.Dense;
import dev.tfkeras.layers.Input;
import dev.tfkeras.layers.KerasTensor;
import dev.tfkeras.models.FitOptions;
import dev.tfkeras.models.Functional;
import dev.tfkeras.models.Model;
import dev.tfkeras.saving.Config;
import dev.tfkeras.testing.FreshRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TString;

/**
 * A functional model with two raw-string inputs, a {@link TextVectorization} ({@code tf_idf}) and
 * a {@link StringLookup} ({@code one_hot}) inside, trained on a {@link Dataset} of strings: the
 * SavedModel export serves both string inputs by name, and the model saved in tfkeras's format
 * (weights, {@code idf_weights}, vocabularies) and loaded into a model built anew predicts the
 * same; the layers of that model are made from the saved ones' configs, as Keras's {@code
 * from_config}.
 */
@ExtendWith(FreshRuntime.class)
class LookupModelSavingTest {

  private static final String[][] TEXTS = {
    {"a fine day"}, {"a grey day"}, {"fine weather today"}, {"grey weather again"}, {"fine fine fine"}, {"grey"}
  };
  private static final String[][] PLACES = {{"park"}, {"office"}, {"beach"}, {"office"}, {"park"}, {"cellar"}};
  private static final float[] HAPPY = {1, 0, 1, 0, 1, 0};

  private static Functional model(TextVectorization words, StringLookup places) {
    KerasTensor text = Input.named("text", TString.class, 1);
    KerasTensor place = Input.named("place", TString.class, 1);
    KerasTensor features = new Concatenate().apply(List.of(words.apply(text), places.apply(place)));
    return Model.of(List.of(text, place), List.of(new Dense(1, "sigmoid").apply(features)));
  }

  private static TextVectorization words() {
    return new TextVectorization().maxTokens(20).outputMode("tf_idf");
  }

  private static StringLookup places() {
    return new StringLookup().outputMode("one_hot");
  }

  @Test
  void savedAndExportedModelsGiveTheSamePredictions(@TempDir Path dir) throws Exception {
    TextVectorization words = words();
    words.adapt(TEXTS);
    StringLookup places = places();
    places.adapt(PLACES);
    assertEquals(List.of("[UNK]", "park", "office", "cellar", "beach"), places.getVocabulary());
    Functional model = model(words, places);
    model.compile("adam", "binary_crossentropy");
    model.fit(Dataset.fromTensorSlices(List.of(TEXTS, PLACES), HAPPY).batch(3), new FitOptions().epochs(3).verbose(0));
    String[][] texts = {{"fine day"}, {"grey cellar"}, {"unknown words"}};
    String[][] where = {{"park"}, {"cellar"}, {"moon"}};
    float[][] expected = model.predict(List.of(texts, where));

    Path export = dir.resolve("model");
    model.save(export);
    try (SavedModelBundle bundle = SavedModelBundle.load(export.toString(), "serve");
        TString text = column(texts);
        TString place = column(where);
        Result result = bundle.function("serving_default").call(Map.of("text", text, "place", place))) {
      TFloat32 served = (TFloat32) result.get("output_0").orElseThrow();
      for (int i = 0; i < texts.length; i++) {
        assertEquals(expected[i][0], served.getFloat(i, 0), 1e-6f, "example " + i);
      }
    }

    // layers made from the configs (Keras's from_config): the adapted vocabularies are not in them,
    // only their sizes, which the one_hot and tf_idf outputs need to build; loading reads them
    Config wordsConfig = words.getConfig();
    Config placesConfig = places.getConfig();
    wordsConfig.remove("name");
    placesConfig.remove("name");
    TextVectorization freshWords = TextVectorization.fromConfig(wordsConfig);
    StringLookup freshPlaces = StringLookup.fromConfig(placesConfig);
    assertEquals(List.of("[UNK]"), freshPlaces.getVocabulary());
    Functional reloaded = model(freshWords, freshPlaces);
    reloaded.loadWeights(export);
    assertEquals(words.getVocabulary(), freshWords.getVocabulary());
    assertEquals(places.getVocabulary(), freshPlaces.getVocabulary());
    assertArrayEquals(words.idfWeights(), freshWords.idfWeights(), 0f);
    float[][] again = reloaded.predict(List.of(texts, where));
    for (int i = 0; i < texts.length; i++) {
      assertArrayEquals(expected[i], again[i], 1e-6f);
    }
    assertTrue(Files.readString(firstVocabulary(export)).startsWith("[UNK]\n"));
  }

  private static Path firstVocabulary(Path export) throws java.io.IOException {
    try (var files = Files.walk(export.resolve("assets"))) {
      return files.filter(p -> p.getFileName().toString().equals("vocabulary.txt")).sorted().findFirst().orElseThrow();
    }
  }

  private static TString column(String[][] rows) {
    String[] flat = new String[rows.length];
    for (int i = 0; i < rows.length; i++) {
      flat[i] = rows[i][0];
    }
    return TString.tensorOf(Shape.of(rows.length, 1), DataBuffers.ofObjects(flat));
  }
}
