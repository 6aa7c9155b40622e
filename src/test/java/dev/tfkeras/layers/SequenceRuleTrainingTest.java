package dev.tfkeras.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.models.FitOptions;
import dev.tfkeras.models.Functional;
import dev.tfkeras.models.Model;
import dev.tfkeras.models.Sequential;
import dev.tfkeras.optimizers.Adam;
import dev.tfkeras.runtime.GraphRuntime;
import dev.tfkeras.testing.FreshRuntime;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.types.TInt32;

/**
 * End to end on data made here: an Embedding + LSTM classifier trained by {@code fit} learns
 * whether token 7 comes before token 3 in random sequences of 20 tokens from a vocabulary of 10,
 * which needs memory across the sequence.
 */
@ExtendWith(FreshRuntime.class)
class SequenceRuleTrainingTest {

  private static final int LENGTH = 20;
  private static final int VOCABULARY = 10;

  /** Sequences of tokens other than 3 and 7, with one 7 and one 3 at random places; labels: 7 first. */
  record Data(int[][] x, float[] y) {
    static Data make(int count, long seed) {
      Random random = new Random(seed);
      int[] others = {0, 1, 2, 4, 5, 6, 8, 9};
      int[][] x = new int[count][LENGTH];
      float[] y = new float[count];
      for (int i = 0; i < count; i++) {
        for (int t = 0; t < LENGTH; t++) {
          x[i][t] = others[random.nextInt(others.length)];
        }
        int seven = random.nextInt(LENGTH);
        int three;
        do {
          three = random.nextInt(LENGTH);
        } while (three == seven);
        x[i][seven] = 7;
        x[i][three] = 3;
        y[i] = seven < three ? 1f : 0f;
      }
      return new Data(x, y);
    }
  }

  @Test
  void embeddingAndLstmLearnWhetherSevenComesBeforeThree() {
    GraphRuntime.setRandomSeed(7);
    Data train = Data.make(2048, 1);
    Data test = Data.make(512, 2);
    try (Sequential model =
        new Sequential(new Embedding(VOCABULARY, 8), new LSTM(16), new Dense(1, Activation.SIGMOID))) {
      model.compile(new Adam(0.01f), "binary_crossentropy", "accuracy");
      long start = System.nanoTime();
      model.fit(train.x(), train.y(), new FitOptions().epochs(12).batchSize(32).verbose(0));
      Map<String, Double> result = model.evaluate(test.x(), test.y());
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf("sequence rule: test accuracy %.4f after %.1f s%n", result.get("accuracy"), seconds);
      assertTrue(result.get("accuracy") >= 0.95, "test accuracy " + result);
    }
  }

  /**
   * The same rule on sequences of 8 to 20 real tokens (ids shifted by one) padded with 0 at the end:
   * a functional model with int32 inputs, Embedding(maskZero) and a Bidirectional LSTM, whose
   * backward direction must skip the padding to see the real last token first.
   */
  @Test
  void maskedPaddedSequencesThroughAFunctionalBidirectionalModel() {
    GraphRuntime.setRandomSeed(11);
    Data train = padded(Data.make(2048, 3), 4);
    Data test = padded(Data.make(512, 5), 6);
    KerasTensor ids = Input.of(TInt32.class, LENGTH);
    KerasTensor x = new Embedding(VOCABULARY + 1, 8).maskZero(true).apply(ids);
    x = new Bidirectional(new LSTM(8)).apply(x);
    KerasTensor out = new Dense(1, Activation.SIGMOID).apply(x);
    try (Functional model = Model.of(ids, out)) {
      // Keras: 11 * 8 = 88; 2 * (4 * 8 * (8 + 8) + 4 * 8) = 1,088; 16 + 1 = 17
      assertEquals(88 + 1088 + 17, model.countParams());
      model.compile(new Adam(0.01f), "binary_crossentropy", "accuracy");
      model.fit(train.x(), train.y(), new FitOptions().epochs(12).batchSize(32).verbose(0));
      Map<String, Double> result = model.evaluate(test.x(), test.y());
      assertTrue(result.get("accuracy") >= 0.95, "test accuracy " + result);
    }
  }

  /** Ids shifted by one (0 becomes padding), each sequence cut to 8..20 tokens that keep its 7 and 3. */
  private static Data padded(Data data, long seed) {
    Random random = new Random(seed);
    int[][] x = new int[data.x().length][LENGTH];
    for (int i = 0; i < x.length; i++) {
      int last = 0;
      for (int t = 0; t < LENGTH; t++) {
        if (data.x()[i][t] == 7 || data.x()[i][t] == 3) {
          last = t;
        }
      }
      int length = Math.max(last + 1, 8 + random.nextInt(LENGTH - 7));
      for (int t = 0; t < length; t++) {
        x[i][t] = data.x()[i][t] + 1;
      }
    }
    return new Data(x, data.y());
  }
}
