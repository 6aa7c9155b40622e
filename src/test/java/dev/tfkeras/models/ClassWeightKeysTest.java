package dev.tfkeras.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tfkeras.data.Dataset;
import dev.tfkeras.layers.Dense;
import dev.tfkeras.losses.SparseCategoricalCrossentropy;
import dev.tfkeras.optimizers.SGD;
import dev.tfkeras.testing.FreshRuntime;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** classWeight keys must be classes the model can output: 0 to one less than its classes. */
@ExtendWith(FreshRuntime.class)
class ClassWeightKeysTest {

  private static Sequential threeClasses() {
    var model = new Sequential(new Dense(3));
    model.compile(new SGD(0.01f), new SparseCategoricalCrossentropy(true));
    return model;
  }

  @Test
  void aKeyBeyondTheModelsClassesIsRefusedBeforeTraining() {
    float[][] x = new float[12][2];
    int[] y = new int[12];
    for (int i = 0; i < 12; i++) {
      y[i] = i % 3;
    }
    try (var model = threeClasses()) {
      var e = assertThrows(
          IllegalArgumentException.class,
          () -> model.fit(x, y, new FitOptions().verbose(0).classWeight(Map.of(7, 5.0))));
      assertEquals(
          "Expected classWeight to be a map with keys from 0 to one less than the number of classes,"
              + " found {7=5.0}: class 7 is out of range, the model outputs 3 classes (0 to 2)."
              + " Remove it, or check that the last layer has one unit per class.",
          e.getMessage());
      var d = assertThrows(
          IllegalArgumentException.class,
          () -> model.fit(Dataset.fromTensorSlices(x, y).batch(4),
              new FitOptions().verbose(0).classWeight(Map.of(0, 1.0, 3, 2.0))));
      assertEquals(
          "Expected classWeight to be a map with keys from 0 to one less than the number of classes,"
              + " found {0=1.0, 3=2.0}: class 3 is out of range, the model outputs 3 classes (0 to 2)."
              + " Remove it, or check that the last layer has one unit per class.",
          d.getMessage());
    }
  }

  @Test
  void aNegativeKeyIsRefusedWhenGiven() {
    var e = assertThrows(
        IllegalArgumentException.class, () -> new FitOptions().classWeight(Map.of(-1, 2.0)));
    assertEquals(
        "Expected classWeight to be a map with keys from 0 to one less than the number of classes,"
            + " found {-1=2.0}: class -1 is negative. Class indices count from 0; remove it.",
        e.getMessage());
  }

  @Test
  void aSingleSigmoidUnitHasTwoClasses() {
    float[][] x = new float[8][2];
    float[] y = new float[8];
    try (var model = new Sequential(new Dense(1))) {
      model.compile(new SGD(0.01f), new dev.tfkeras.losses.BinaryCrossentropy(true));
      model.fit(x, y, new FitOptions().verbose(0).classWeight(Map.of(0, 1.0, 1, 3.0)));
      var e = assertThrows(
          IllegalArgumentException.class,
          () -> model.fit(x, y, new FitOptions().verbose(0).classWeight(Map.of(2, 1.0))));
      assertEquals(
          "Expected classWeight to be a map with keys from 0 to one less than the number of classes,"
              + " found {2=1.0}: class 2 is out of range, the model outputs 2 classes (0 to 1)."
              + " Remove it, or check that the last layer has one unit per class.",
          e.getMessage());
    }
  }
}
