package dev.tfkeras.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tfkeras.data.Dataset;
import dev.tfkeras.layers.Dense;
import dev.tfkeras.losses.CategoricalCrossentropy;
import dev.tfkeras.losses.SparseCategoricalCrossentropy;
import dev.tfkeras.optimizers.SGD;
import dev.tfkeras.runtime.GraphRuntime;
import dev.tfkeras.testing.FreshRuntime;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code classWeight} on arrays becomes sample weights on the host, once, as Keras's array adapter
 * does: training equals training with those sample weights given by hand, bitwise, for class
 * indices and for one-hot targets; a dataset gets the same weights per batch.
 */
@ExtendWith(FreshRuntime.class)
class ClassWeightsOnHostTest {

  private static final Map<Integer, Double> WEIGHTS = Map.of(0, 0.5, 2, 4.0);

  @Test
  void classIndicesTrainAsTheirSampleWeights() {
    float[][] x = features(48, 3);
    int[] y = new int[48];
    float[] sampleWeight = new float[48];
    for (int i = 0; i < y.length; i++) {
      y[i] = i % 3;
      sampleWeight[i] = WEIGHTS.getOrDefault(y[i], 1.0).floatValue();
    }
    float[][] byClass = train(x, y, new FitOptions().classWeight(WEIGHTS), false);
    float[][] bySample = train(x, y, new FitOptions().sampleWeight(sampleWeight), false);
    assertArrayEquals(bySample, byClass);
    float[][] byDataset =
        train(Dataset.fromTensorSlices(x, y).batch(16), new FitOptions().classWeight(WEIGHTS), false);
    assertArrayEquals(bySample, byDataset);
  }

  @Test
  void oneHotRowsTakeTheirArgMaxClass() {
    float[][] x = features(30, 3);
    float[][] y = new float[30][3];
    float[] sampleWeight = new float[30];
    for (int i = 0; i < y.length; i++) {
      y[i][(i * 7) % 3] = 1f;
      sampleWeight[i] = WEIGHTS.getOrDefault((i * 7) % 3, 1.0).floatValue();
    }
    assertArrayEquals(
        train(x, y, new FitOptions().sampleWeight(sampleWeight), true),
        train(x, y, new FitOptions().classWeight(WEIGHTS), true));
  }

  @Test
  void classWeightWithSampleWeightIsRefusedUpFront() {
    float[][] x = features(8, 3);
    int[] y = new int[8];
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> train(x, y, new FitOptions().classWeight(WEIGHTS).sampleWeight(new float[8]), false));
    assertEquals(FitPlan.BOTH_WEIGHTS, e.getMessage());
  }

  private static float[][] train(Object x, Object y, FitOptions options, boolean oneHot) {
    return fit(model -> model.fit(x, y, options.epochs(2).batchSize(16).shuffle(false).verbose(0)), oneHot);
  }

  private static float[][] train(Dataset data, FitOptions options, boolean oneHot) {
    return fit(model -> model.fit(data, options.epochs(2).verbose(0)), oneHot);
  }

  private static float[][] fit(java.util.function.Consumer<Sequential> fit, boolean oneHot) {
    GraphRuntime.setRandomSeed(3);
    try (Sequential model = new Sequential(new Dense(3))) {
      model.compile(new SGD(0.1), oneHot ? new CategoricalCrossentropy(true) : new SparseCategoricalCrossentropy(true));
      fit.accept(model);
      return model.predict(features(4, 3));
    } finally {
      GraphRuntime.reset();
    }
  }

  private static float[][] features(int rows, int columns) {
    Random random = new Random(rows);
    float[][] out = new float[rows][columns];
    for (float[] row : out) {
      for (int j = 0; j < columns; j++) {
        row[j] = (float) random.nextGaussian();
      }
    }
    return out;
  }
}
