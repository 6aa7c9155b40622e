package dev.tfkeras.layers.preprocessing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.data.Dataset;
import dev.tfkeras.layers.Dense;
import dev.tfkeras.layers.Embedding;
import dev.tfkeras.layers.GlobalAveragePooling1D;
import dev.tfkeras.layers.Input;
import dev.tfkeras.models.FitOptions;
import dev.tfkeras.models.Sequential;
import dev.tfkeras.optimizers.Adam;
import dev.tfkeras.testing.FreshRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TString;

/**
 * An example kept honest by a test: a sentiment classifier on raw strings. A {@link
 * TextVectorization} adapted on the training texts turns each review into token ids inside the
 * model, which is trained with {@code fit} on Java {@code String}s, predicts on raw strings, is
 * exported as a SavedModel that TensorFlow Java's {@code SavedModelBundle} serves strings from,
 * and is saved and loaded in tfkeras's format (weights and vocabulary) with the same predictions.
 * The README's text example shows it.
 */
@ExtendWith(FreshRuntime.class)
class TextClassifierExampleTest {

  private static final String[] GOOD = {"good", "great", "love", "excellent", "wonderful", "best", "enjoyed", "fun"};
  private static final String[] BAD = {"bad", "awful", "hate", "terrible", "boring", "worst", "poor", "dull"};
  private static final String[] FILLER = {"the", "movie", "was", "a", "this", "film", "plot", "i", "it", "really", "and", "acting"};
  private static final int MAX_TOKENS = 64;
  private static final int LENGTH = 12;

  /** Reviews of 5 to 10 words, one or two of them carrying the label, with capitals and punctuation. */
  static String[][] reviews(int n, float[] labels, Random random) {
    String[][] texts = new String[n][1];
    for (int i = 0; i < n; i++) {
      boolean positive = random.nextBoolean();
      labels[i] = positive ? 1f : 0f;
      String[] mood = positive ? GOOD : BAD;
      int words = 5 + random.nextInt(6);
      StringBuilder text = new StringBuilder();
      int moodAt = random.nextInt(words);
      for (int w = 0; w < words; w++) {
        String word = w == moodAt || random.nextInt(8) == 0 ? mood[random.nextInt(mood.length)] : FILLER[random.nextInt(FILLER.length)];
        if (w == 0) {
          word = Character.toUpperCase(word.charAt(0)) + word.substring(1);
        }
        text.append(w == 0 ? "" : " ").append(word);
      }
      texts[i][0] = text.append(random.nextBoolean() ? "!" : ".").toString();
    }
    return texts;
  }

  private static Sequential classifier(TextVectorization vectorize) {
    return new Sequential(
        Input.of(TString.class, 1),
        vectorize,
        new Embedding(MAX_TOKENS, 8),
        new GlobalAveragePooling1D(),
        new Dense(1, "sigmoid"));
  }

  private static TextVectorization vectorizer() {
    return new TextVectorization().maxTokens(MAX_TOKENS).outputSequenceLength(LENGTH);
  }

  @Test
  void learnsSentimentFromRawStringsAndServesStrings(@TempDir Path dir) throws Exception {
    Random random = new Random(11);
    float[] trainLabels = new float[400];
    String[][] train = reviews(400, trainLabels, random);
    float[] testLabels = new float[200];
    String[][] test = reviews(200, testLabels, random);

    TextVectorization vectorize = vectorizer();
    vectorize.adapt(Dataset.fromTensorSlices(train).batch(64)); // streamed, as Keras's adapt(ds)
    assertEquals(List.of("", "[UNK]"), vectorize.getVocabulary().subList(0, 2));
    assertTrue(vectorize.getVocabulary().containsAll(List.of("love", "terrible", "movie")));

    Sequential model = classifier(vectorize);
    java.io.ByteArrayOutputStream summary = new java.io.ByteArrayOutputStream();
    model.summary(new java.io.PrintStream(summary, true, java.nio.charset.StandardCharsets.UTF_8));
    assertTrue(summary.toString(java.nio.charset.StandardCharsets.UTF_8).contains("(None, 12)"), summary.toString());
    model.compile(new Adam(0.02), "binary_crossentropy", "accuracy");
    model.fit(train, trainLabels, new FitOptions().epochs(15).batchSize(32).verbose(0));
    Map<String, Double> scores = model.evaluate(test, testLabels);
    System.out.println("TextClassifierExampleTest held-out " + scores);
    assertTrue(scores.get("accuracy") >= 0.95, "held-out accuracy " + scores);

    String[][] fresh = {{"I love this movie, it was wonderful!"}, {"Terrible and boring. The worst film."}};
    float[][] predicted = model.predict(fresh);
    assertTrue(predicted[0][0] > 0.8f && predicted[1][0] < 0.2f, java.util.Arrays.deepToString(predicted));

    // A SavedModel that serves strings: TensorFlow Java loads it and fills the vocabulary table
    Path export = dir.resolve("export");
    model.save(export);
    assertTrue(Files.exists(export.resolve("assets")));
    float[][] all = model.predict(test);
    try (SavedModelBundle bundle = SavedModelBundle.load(export.toString(), "serve");
        TString input = TString.tensorOf(Shape.of(test.length, 1), DataBuffers.ofObjects(flatten(test)));
        Result result = bundle.function("serving_default").call(Map.of("inputs", input))) {
      TFloat32 served = (TFloat32) result.get("output_0").orElseThrow();
      for (int i = 0; i < test.length; i++) {
        assertEquals(all[i][0], served.getFloat(i, 0), 1e-6f, "example " + i);
      }
    }

    // tfkeras's own format: a model built anew, not adapted, loads weights and vocabulary
    Sequential reloaded = classifier(vectorizer());
    reloaded.loadWeights(export);
    assertEquals(vectorize.getVocabulary(), ((TextVectorization) reloaded.getLayer(0)).getVocabulary());
    float[][] again = reloaded.predict(test);
    for (int i = 0; i < test.length; i++) {
      assertArrayEquals(all[i], again[i], 1e-6f);
    }
  }

  private static String[] flatten(String[][] column) {
    String[] out = new String[column.length];
    for (int i = 0; i < column.length; i++) {
      out[i] = column[i][0];
    }
    return out;
  }
}
