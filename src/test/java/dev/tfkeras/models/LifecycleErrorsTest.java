package dev.tfkeras.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tfkeras.SyntheticData;
import dev.tfkeras.layers.Layer;
import dev.tfkeras.losses.SparseCategoricalCrossentropy;
import dev.tfkeras.metrics.SparseCategoricalAccuracy;
import dev.tfkeras.optimizers.Adam;
import dev.tfkeras.testing.FreshRuntime;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

/** What the Model API says when it is used out of order or with data that does not fit. */
@ExtendWith(FreshRuntime.class)
class LifecycleErrorsTest {

  static final SyntheticData DATA = new SyntheticData(64, 61);
  static final String UNBATCHED = "<Dataset element_spec=(TensorSpec(shape=(8, 8, 1), dtype=float32), TensorSpec(shape=(), dtype=int32))>";
  static final String COMPILE_HINT =
      "(): model.compile(optimizer, loss, metrics...), e.g. model.compile(new Adam(), new"
          + " SparseCategoricalCrossentropy(true), new SparseCategoricalAccuracy(\"accuracy\")).";

  @TempDir Path tmp;

  static FloatNdArray zeros(long... shape) {
    return NdArrays.wrap(Shape.of(shape), DataBuffers.of(new float[(int) Shape.of(shape).size()], true, false));
  }

  @Test
  void fitEvaluateAndOptimizerBeforeCompile() {
    try (var model = new TestModels.SmallCnn()) {
      assertEquals("You must call compile() before fit" + COMPILE_HINT,
          assertThrows(IllegalStateException.class, () -> model.fit(DATA.dataset().batch(32), 1)).getMessage());
      assertEquals("You must call compile() before evaluate" + COMPILE_HINT,
          assertThrows(IllegalStateException.class, () -> model.evaluate(DATA.dataset().batch(32))).getMessage());
      assertEquals("You must call compile() before optimizer" + COMPILE_HINT,
          assertThrows(IllegalStateException.class, model::optimizer).getMessage());
    }
  }

  @Test
  void unbatchedDatasetsAreRejectedWithTheFix() {
    try (var model = new TestModels.SmallCnn()) {
      TestModels.compile(model);
      assertEquals("The training dataset must be batched: call .batch(32) on it, received " + UNBATCHED + ".",
          assertThrows(IllegalArgumentException.class, () -> model.fit(DATA.dataset(), 1)).getMessage());
      assertEquals("The validation dataset must be batched: call .batch(32) on it, received " + UNBATCHED + ".",
          assertThrows(IllegalArgumentException.class,
              () -> model.fit(DATA.dataset().batch(32), 1, DATA.dataset())).getMessage());
      assertEquals("The evaluation dataset must be batched: call .batch(32) on it, received " + UNBATCHED + ".",
          assertThrows(IllegalArgumentException.class, () -> model.evaluate(DATA.dataset())).getMessage());
      assertEquals("predict needs a batched dataset: call .batch(32) on it, received " + UNBATCHED + ".",
          assertThrows(IllegalArgumentException.class, () -> model.predict(DATA.dataset())).getMessage());
      assertFalse(model.isBuilt(), "nothing ran");
    }
  }

  @Test
  void epochsMustBePositive() {
    try (var model = new TestModels.SmallCnn()) {
      TestModels.compile(model);
      assertEquals("epochs must be a positive integer, received: epochs=0",
          assertThrows(IllegalArgumentException.class, () -> model.fit(DATA.dataset().batch(32), 0)).getMessage());
    }
  }

  @Test
  void aMetricNamedAsTheLossIsRejectedAtCompile() {
    try (var model = new TestModels.SmallCnn()) {
      var e = assertThrows(IllegalArgumentException.class, () -> model.compile(new Adam(),
          new SparseCategoricalCrossentropy(true), new SparseCategoricalAccuracy("loss")));
      assertEquals("Two compiled metrics are named 'loss'; give each metric a distinct name (the key"
          + " of its value in the logs).", e.getMessage());
      assertThrows(IllegalStateException.class, model::optimizer, "a failed compile leaves the model uncompiled");
    }
  }

  @Test
  void inputsThatDoNotMatchTheBuiltModelGetTheLayersKerasMessage() {
    try (var model = new TestModels.SmallCnn()) {
      model.buildFor(TestModels.INPUT);
      float[][] before = model.predict(zeros(2, 8, 8, 1));
      var e = assertThrows(IllegalArgumentException.class, () -> model.predict(zeros(2, 8, 8, 3)));
      assertEquals(
          "Input 0 of layer \"conv1\" is incompatible with the layer: expected axis -1 of input shape to"
              + " have value 1 (input channels the layer was built with), found 3. Full shape received:"
              + " (None, 8, 8, 3)",
          e.getMessage());
      e = assertThrows(IllegalArgumentException.class, () -> model.predict(zeros(2, 8, 8)));
      assertEquals(
          "Input 0 of layer \"conv1\" is incompatible with the layer: expected ndim=4, found ndim=3. Full"
              + " shape received: (None, 8, 8)",
          e.getMessage());
      // the failed traces leave the model working
      float[][] after = model.predict(zeros(2, 8, 8, 1));
      assertArrayEquals(before[0], after[0]);
      assertEquals("(None, 8, 8, 1)", Layer.format(model.inputShape()));
    }
  }

  @Test
  void aFailedFirstCallDoesNotBuildTheModelForTheWrongShape() throws IOException {
    try (var model = new TestModels.SmallCnn()) {
      var e = assertThrows(IllegalArgumentException.class, () -> model.predict(zeros(2, 8, 8)));
      assertEquals(
          "Input 0 of layer \"conv1\" is incompatible with the layer: expected ndim=4, found ndim=3. Full"
              + " shape received: (None, 8, 8)",
          e.getMessage());
      assertFalse(model.isBuilt(), "not built by a call that failed");
      // the right input then builds it, for that input
      assertEquals(2, model.predict(zeros(2, 8, 8, 1)).length);
      assertEquals("(None, 8, 8, 1)", Layer.format(model.inputShape()));
      assertEquals("(None, 4)", Layer.format(model.outputShape()));
      model.save(tmp.resolve("export")); // traces serving at the built input shape
    }
  }

  @Test
  void buildForNeedsAKnownShapeWithABatchAxis() {
    try (var model = new TestModels.SmallCnn()) {
      assertEquals("build needs an input shape with a batch axis, e.g. Shape.of(-1, 28, 28, 1), received [].",
          assertThrows(IllegalArgumentException.class, () -> model.buildFor(Shape.scalar())).getMessage());
      assertEquals("build needs every non-batch axis known, received [-1, -1, 8, 1] (axis 1).",
          assertThrows(IllegalArgumentException.class, () -> model.buildFor(Shape.of(-1, -1, 8, 1))).getMessage());
    }
  }
}
