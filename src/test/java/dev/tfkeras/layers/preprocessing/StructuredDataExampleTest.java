package dev.tfkeras.layers.preprocessing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.data.Dataset;
import dev.tfkeras.layers.Concatenate;
import dev.tfkeras.layers.Dense;
import dev.tfkeras.layers.Input;
import dev.tfkeras.layers.KerasTensor;
import dev.tfkeras.losses.BinaryCrossentropy;
import dev.tfkeras.metrics.BinaryAccuracy;
import dev.tfkeras.models.FitOptions;
import dev.tfkeras.models.Functional;
import dev.tfkeras.models.Model;
import dev.tfkeras.optimizers.Adam;
import dev.tfkeras.runtime.GraphRuntime;
import dev.tfkeras.testing.FreshRuntime;
import dev.tfkeras.utils.CsvOptions;
import dev.tfkeras.utils.Utils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TString;

/**
 * The shape of keras.io's structured-data tutorial ("Structured data classification from
 * scratch"): a CSV table of numeric and categorical columns, read with {@code Utils.csvDataset};
 * {@code Normalization} adapted on each numeric column, {@code IntegerLookup} adapted on an integer
 * category and {@code StringLookup} on a string one (one-hot, as the tutorial's {@code
 * encode_categorical_feature}), inside a functional model with one named input per
 * column, trained with {@code fit} on the dataset of named features (validation accuracy 0.96
 * measured; the labels carry noise, so 1.0 is out of reach).
 */
@ExtendWith(FreshRuntime.class)
class StructuredDataExampleTest {

  @TempDir Path dir;

  /** A heart-disease-like table whose target follows age, max heart rate, chest pain type and thal. */
  private Path table(String name, int rows, long seed) throws IOException {
    Random random = new Random(seed);
    String[] thals = {"normal", "fixed", "reversible"};
    StringBuilder csv = new StringBuilder("age,sex,cp,thalach,thal,target\n");
    for (int i = 0; i < rows; i++) {
      int age = 30 + random.nextInt(45);
      int sex = random.nextInt(2);
      int cp = random.nextInt(4);
      double thalach = 100 + random.nextDouble() * 100;
      String thal = thals[random.nextInt(3)];
      double score = (age - 52) / 8.0 - (thalach - 150) / 30.0 + (cp == 0 ? 1.5 : -0.5)
          + (thal.equals("reversible") ? 1.0 : -0.3) + random.nextGaussian() * 0.3;
      csv.append(age).append(',').append(sex).append(',').append(cp).append(',')
          .append(String.format(java.util.Locale.ROOT, "%.1f", thalach)).append(",\"").append(thal).append("\",")
          .append(score > 0 ? 1 : 0).append('\n');
    }
    Path path = dir.resolve(name);
    Files.writeString(path, csv);
    return path;
  }

  @Test
  void aClassifierLearnsTheTableFromNamedColumns() throws IOException {
    GraphRuntime.setRandomSeed(1);
    Path trainFile = table("train.csv", 800, 1);
    Path valFile = table("val.csv", 200, 2);
    CsvOptions options = new CsvOptions().labelName("target").columnType("target", "float32")
        .selectColumns("age", "cp", "thalach", "thal", "target").numEpochs(1).batchSize(32);
    Dataset train = Utils.csvDataset(trainFile, options.shuffleSeed(3));
    Dataset val = Utils.csvDataset(valFile, new CsvOptions().labelName("target").columnType("target", "float32")
        .shuffle(false).numEpochs(1).batchSize(64));
    assertEquals(List.of("age", "cp", "thalach", "thal"), train.featureNames());

    // The model's inputs are in another order than the file's columns: they are fed by name.
    KerasTensor thal = Input.named("thal", TString.class, 1);
    KerasTensor thalach = Input.named("thalach", TFloat32.class, 1);
    KerasTensor age = Input.named("age", TInt32.class, 1);
    KerasTensor cp = Input.named("cp", TInt32.class, 1);
    Normalization ageNorm = new Normalization();
    ageNorm.adapt(train.selectFeatures(List.of("age")));
    Normalization thalachNorm = new Normalization();
    thalachNorm.adapt(train.selectFeatures(List.of("thalach")));
    IntegerLookup cpLookup = new IntegerLookup().outputMode("one_hot");
    cpLookup.adapt(train.selectFeatures(List.of("cp")));
    StringLookup thalLookup = new StringLookup().outputMode("one_hot");
    thalLookup.adapt(train.selectFeatures(List.of("thal")));
    // the OOV token at index 0, then the values seen, most frequent first
    assertEquals(List.of(-1L, 0L, 1L, 2L, 3L), cpLookup.getVocabulary().stream().sorted().toList());
    assertEquals(-1L, cpLookup.getVocabulary().get(0));
    assertEquals("[UNK]", thalLookup.getVocabulary().get(0));
    assertEquals(java.util.Set.of("[UNK]", "normal", "fixed", "reversible"), java.util.Set.copyOf(thalLookup.getVocabulary()));
    KerasTensor features = new Concatenate().apply(List.of(
        ageNorm.apply(age),
        thalachNorm.apply(thalach),
        cpLookup.apply(cp),
        thalLookup.apply(thal)));
    KerasTensor hidden = new Dense(32, "relu").apply(features);
    Functional model = Model.of(List.of(thal, thalach, age, cp), List.of(new Dense(1).apply(hidden)));
    model.compile(new Adam(0.01), new BinaryCrossentropy(true), new BinaryAccuracy("accuracy"));

    var history = model.fit(train, new FitOptions().epochs(15).verbose(0).validationData(val));
    Map<String, Double> scores = model.evaluate(val);
    assertTrue(scores.get("accuracy") > 0.85, "validation accuracy " + scores + ", history " + history);
    assertEquals(200, model.predict(val).length);
  }
}
