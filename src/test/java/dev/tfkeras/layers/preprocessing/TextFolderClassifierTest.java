package dev.tfkeras.layers.preprocessing;

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
import dev.tfkeras.utils.TextDatasetOptions;
import dev.tfkeras.utils.Utils;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.types.TString;

/**
 * Keras's text classification tutorial in small: reviews in class folders read by {@code
 * textDatasetFromDirectory} (string elements of shape (batch,)), a {@link TextVectorization}
 * adapted on that dataset directly (its labels are not read), and a model on raw strings fitted on
 * it.
 */
@ExtendWith(FreshRuntime.class)
class TextFolderClassifierTest {

  private static void write(Path dir, String[][] texts, float[] labels) throws Exception {
    Files.createDirectories(dir.resolve("neg"));
    Files.createDirectories(dir.resolve("pos"));
    for (int i = 0; i < texts.length; i++) {
      Files.writeString(dir.resolve(labels[i] == 1f ? "pos" : "neg").resolve(i + ".txt"), texts[i][0]);
    }
  }

  @Test
  void learnsFromTextFolders(@TempDir Path dir) throws Exception {
    Random random = new Random(5);
    float[] trainLabels = new float[300];
    write(dir.resolve("train"), TextClassifierExampleTest.reviews(300, trainLabels, random), trainLabels);
    float[] testLabels = new float[100];
    write(dir.resolve("test"), TextClassifierExampleTest.reviews(100, testLabels, random), testLabels);

    Dataset train = Utils.textDatasetFromDirectory(dir.resolve("train"), new TextDatasetOptions().batchSize(32).seed(1L));
    Dataset test = Utils.textDatasetFromDirectory(dir.resolve("test"), new TextDatasetOptions().batchSize(32).seed(1L));
    assertEquals(List.of("neg", "pos"), train.classNames());

    TextVectorization vectorize = new TextVectorization().maxTokens(64).outputSequenceLength(12);
    vectorize.adapt(train); // Keras: vectorize.adapt(train.map(lambda x, y: x))
    assertTrue(vectorize.getVocabulary().containsAll(List.of("love", "terrible")));
    Sequential model = new Sequential(
        Input.of(TString.class), vectorize, new Embedding(64, 8), new GlobalAveragePooling1D(), new Dense(1, "sigmoid"));
    model.compile(new Adam(0.02), "binary_crossentropy", "accuracy");
    model.fit(train, new FitOptions().epochs(15).verbose(0));
    Map<String, Double> scores = model.evaluate(test);
    System.out.println("TextFolderClassifierTest held-out " + scores);
    assertTrue(scores.get("accuracy") >= 0.95, "held-out accuracy " + scores);
  }
}
