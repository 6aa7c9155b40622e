package dev.tfkeras.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.data.Dataset;
import dev.tfkeras.layers.Dense;
import dev.tfkeras.layers.Flatten;
import dev.tfkeras.losses.MeanSquaredError;
import dev.tfkeras.optimizers.SGD;
import dev.tfkeras.testing.FreshRuntime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** fit, evaluate and predict on arrays refuse NaN and infinity up front, saying where they are. */
@ExtendWith(FreshRuntime.class)
class NonFiniteDataTest {

  private static Sequential model() {
    var model = new Sequential(new Flatten(), new Dense(1));
    model.compile(new SGD(0.01f), new MeanSquaredError());
    return model;
  }

  private static float[][][][] images(int n) {
    float[][][][] x = new float[n][5][6][1];
    for (int i = 0; i < n; i++) {
      x[i][i % 5][i % 6][0] = 1f;
    }
    return x;
  }

  @Test
  void fitRefusesANaNInXNamingTheExampleAndIndex() {
    float[][][][] x = images(20);
    x[17][3][4][0] = Float.NaN;
    try (var model = model()) {
      var e = assertThrows(
          IllegalArgumentException.class, () -> model.fit(x, new float[20], new FitOptions().verbose(0)));
      assertEquals(
          "x contains a non-finite value (NaN) at example 17, index (3, 4, 0); fix the data or set"
              + " FitOptions.checkFinite(false) to skip this check.",
          e.getMessage());
    }
  }

  @Test
  void fitNamesTargetsSampleWeightsAndInputsOfSeveral() {
    float[] y = new float[20];
    y[2] = Float.POSITIVE_INFINITY;
    try (var model = model()) {
      var e = assertThrows(
          IllegalArgumentException.class, () -> model.fit(images(20), y, new FitOptions().verbose(0)));
      assertTrue(
          e.getMessage().startsWith("y contains a non-finite value (Infinity) at example 2;"), e.getMessage());
      double[] weights = new double[20];
      weights[19] = Double.NEGATIVE_INFINITY;
      var w = assertThrows(
          IllegalArgumentException.class,
          () -> model.fit(images(20), new float[20], new FitOptions().verbose(0).sampleWeight(weights)));
      assertTrue(
          w.getMessage().startsWith("sampleWeight contains a non-finite value (-Infinity) at example 19;"),
          w.getMessage());
      float[][] second = new float[20][3];
      second[5][2] = Float.NaN;
      var several = assertThrows(
          IllegalArgumentException.class,
          () -> model.fit(List.of(new float[20][2], second), new float[20], new FitOptions().verbose(0)));
      assertTrue(
          several.getMessage().startsWith("x[1] contains a non-finite value (NaN) at example 5, index (2);"),
          several.getMessage());
      float[][] valX = new float[4][2];
      valX[3][1] = Float.NaN;
      try (var dense = new Sequential(new Dense(1))) {
        dense.compile(new SGD(0.01f), new MeanSquaredError());
        var v = assertThrows(
            IllegalArgumentException.class,
            () -> dense.fit(new float[8][2], new float[8],
                new FitOptions().verbose(0).validationData(valX, new float[4])));
        assertTrue(
            v.getMessage().startsWith("validationData x contains a non-finite value (NaN) at example 3, index (1);"),
            v.getMessage());
      }
    }
  }

  @Test
  void checkFiniteFalseSkipsTheCheckAndTrainingThenGoesNonFinite() {
    float[][][][] x = images(20);
    x[0][0][0][0] = Float.NaN;
    try (var model = model()) {
      var history = model.fit(x, new float[20], new FitOptions().verbose(0).shuffle(false).checkFinite(false));
      assertTrue(history.get("loss").get(0).isNaN());
    }
  }

  @Test
  void evaluateAndPredictRefuseNonFiniteInputsAndADatasetSkipsTheCheck() {
    float[][] x = new float[10][2];
    x[9][0] = Float.NaN;
    try (var model = new Sequential(new Dense(1))) {
      model.compile(new SGD(0.01f), new MeanSquaredError());
      var e = assertThrows(IllegalArgumentException.class, () -> model.evaluate(x, new float[10]));
      assertEquals(
          "x contains a non-finite value (NaN) at example 9, index (0); fix the data, or pass a"
              + " Dataset (Dataset.fromTensorSlices(x, y).batch(32)) to skip this check.",
          e.getMessage());
      var p = assertThrows(IllegalArgumentException.class, () -> model.predict(x));
      assertTrue(p.getMessage().startsWith("x contains a non-finite value (NaN) at example 9, index (0);"),
          p.getMessage());
      float[][] rows = model.predict(Dataset.fromTensorSlices(x).batch(32));
      assertTrue(Float.isNaN(rows[9][0]));
    }
  }

  @Test
  void fitOnZeroExamplesSaysSoUpFront() {
    try (var model = model()) {
      var e = assertThrows(
          IllegalArgumentException.class,
          () -> model.fit(new float[0][5][6][1], new float[0], new FitOptions().verbose(0)));
      assertEquals(
          "fit received an empty dataset: x has 0 examples; pass at least one"
              + " example (the first axis of x counts the examples).",
          e.getMessage());
    }
  }

  @Test
  void fitOnAnEmptyDatasetSaysSoUpFront() {
    try (var model = model()) {
      Dataset empty = Dataset.fromTensorSlices(images(4), new float[4]).take(0).batch(2);
      var e = assertThrows(
          IllegalArgumentException.class, () -> model.fit(empty, new FitOptions().verbose(0)));
      assertEquals(
          "fit received an empty dataset: it yields 0 batches (" + empty + "); check the take,"
              + " skip and batch(n, dropRemainder) calls that made it, or the data it was made from.",
          e.getMessage());
    }
  }
}
