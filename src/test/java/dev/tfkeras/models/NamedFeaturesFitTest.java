package dev.tfkeras.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tfkeras.data.Dataset;
import dev.tfkeras.layers.Concatenate;
import dev.tfkeras.layers.Dense;
import dev.tfkeras.layers.Input;
import dev.tfkeras.layers.KerasTensor;
import dev.tfkeras.optimizers.SGD;
import dev.tfkeras.testing.FreshRuntime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.types.TFloat32;

/** A dataset's named features feed the model's inputs of the same names, as Keras feeds a dict. */
@ExtendWith(FreshRuntime.class)
class NamedFeaturesFitTest {

  /** out = 1 * a + 10 * b through a frozen-by-hand Dense on [a, b]. */
  private static Functional model() {
    KerasTensor a = Input.named("a", TFloat32.class, 1);
    KerasTensor b = Input.named("b", TFloat32.class, 1);
    Dense dense = new Dense(1).useBias(false);
    Functional model = Model.of(List.of(a, b), List.of(dense.apply(new Concatenate().apply(List.of(a, b)))));
    dense.setWeights(List.of((Object) new float[][] {{1}, {10}}));
    return model;
  }

  @Test
  void featuresAreFedByNameWhateverTheirOrder() {
    Functional model = model();
    Dataset data = Dataset.fromTensorSlices(List.of(new float[][] {{2}, {3}}, new float[][] {{5}, {7}}, new float[][] {{9}, {9}}),
        new float[][] {{0}, {0}}).withFeatureNames(List.of("b", "extra", "a")).batch(2);
    float[][] predicted = model.predict(data);
    assertArrayEquals(new float[] {9 + 10 * 2}, predicted[0]);
    assertArrayEquals(new float[] {9 + 10 * 3}, predicted[1]);
    model.compile(new SGD(0.01), "mse");
    assertEquals((29.0 * 29 + 39.0 * 39) / 2, model.evaluate(data).get("loss"), 1e-3);
    model.fit(data, new FitOptions().epochs(1).verbose(0).validationData(data));
  }

  @Test
  void aMissingFeatureNamesTheInput() {
    Functional model = model();
    Dataset data = Dataset.fromTensorSlices(List.of(new float[][] {{2}}, new float[][] {{5}}), new float[][] {{0}})
        .withFeatureNames(List.of("a", "c")).batch(1);
    var e = assertThrows(IllegalArgumentException.class, () -> model.predict(data));
    assertEquals("Missing data for input 'b'. The model's inputs are ['a', 'b'], the dataset's features are"
        + " ['a', 'c'].", e.getMessage());
  }
}
