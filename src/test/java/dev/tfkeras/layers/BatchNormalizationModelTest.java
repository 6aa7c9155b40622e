package dev.tfkeras.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.callbacks.History;
import dev.tfkeras.losses.SparseCategoricalCrossentropy;
import dev.tfkeras.metrics.SparseCategoricalAccuracy;
import dev.tfkeras.models.FitOptions;
import dev.tfkeras.models.Sequential;
import dev.tfkeras.optimizers.Adam;
import dev.tfkeras.runtime.GraphRuntime;
import dev.tfkeras.testing.FreshRuntime;
import dev.tfkeras.testing.Tensors;
import dev.tfkeras.variables.Variable;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * End to end: a convolution, BatchNormalization, global pooling and a classifier train through
 * {@code fit}, then their weights (moving statistics included) are saved, restored into a new
 * instance and predict bitwise the same.
 */
@ExtendWith(FreshRuntime.class)
class BatchNormalizationModelTest {

  private static final int SIZE = 8;

  @TempDir Path tmp;

  /** 8x8 images holding one bar of 5 pixels over noise: class 0 horizontal, class 1 vertical. */
  private record Bars(float[] images, int[] labels) {
    static Bars make(int count, long seed) {
      Random random = new Random(seed);
      float[] images = new float[count * SIZE * SIZE];
      int[] labels = new int[count];
      for (int n = 0; n < count; n++) {
        labels[n] = random.nextInt(2);
        for (int p = 0; p < SIZE * SIZE; p++) {
          images[n * SIZE * SIZE + p] = 0.3f * random.nextFloat();
        }
        int line = random.nextInt(SIZE);
        int start = random.nextInt(SIZE - 4);
        for (int i = start; i < start + 5; i++) {
          int row = labels[n] == 0 ? line : i;
          int col = labels[n] == 0 ? i : line;
          images[(n * SIZE + row) * SIZE + col] += 0.7f;
        }
      }
      return new Bars(images, labels);
    }

    FloatNdArray x() {
      return NdArrays.wrap(Shape.of(labels.length, SIZE, SIZE, 1), DataBuffers.of(images, true, false));
    }
  }

  private static Sequential model() {
    return new Sequential(
        new Conv2D(8, 3, Activation.RELU).padding(Padding.SAME).strides(2),
        new BatchNormalization(),
        new GlobalAveragePooling2D(),
        new Dense(2));
  }

  private static List<float[]> values(List<Variable<TFloat32>> variables) {
    List<float[]> out = new ArrayList<>();
    for (Variable<TFloat32> v : variables) {
      try (TFloat32 t = v.value()) {
        out.add(Tensors.read(t));
      }
    }
    return out;
  }

  @Test
  void trainsThroughFitAndRestoresIntoANewInstanceBitwise() throws IOException {
    GraphRuntime.setRandomSeed(11);
    Bars train = Bars.make(512, 1);
    // one predict batch (32), so the served batch has the same shape as predict's
    Bars test = Bars.make(32, 2);
    float[][] predicted;
    List<float[]> moving;
    Path weights = tmp.resolve("weights");
    Path export = tmp.resolve("export");
    try (Sequential model = model()) {
      model.compile(new Adam(0.01f), new SparseCategoricalCrossentropy(true), new SparseCategoricalAccuracy("accuracy"));
      History history = model.fit(train.x(), train.labels(), new FitOptions().epochs(10).batchSize(16).verbose(0));
      List<Double> accuracy = history.get("accuracy");
      assertTrue(accuracy.get(accuracy.size() - 1) >= 0.9, "training accuracy " + accuracy);
      assertTrue(history.get("loss").get(accuracy.size() - 1) < history.get("loss").get(0), "loss falls");
      assertTrue(model.evaluate(test.x(), test.labels()).get("accuracy") >= 0.9, "held-out accuracy");

      BatchNormalization bn = (BatchNormalization) model.layers().get(1);
      moving = values(List.of(bn.movingMean(), bn.movingVariance()));
      assertFalse(java.util.Arrays.equals(new float[8], moving.get(0)), "fit moved the moving mean");
      assertEquals(List.of(bn.movingMean(), bn.movingVariance()), bn.nonTrainableVariables());
      assertEquals(8 + 8, model.nonTrainableVariables().stream().mapToLong(Variable::size).sum());

      ByteArrayOutputStream text = new ByteArrayOutputStream();
      model.summary(new PrintStream(text, true, StandardCharsets.UTF_8));
      String summary = text.toString(StandardCharsets.UTF_8);
      // Keras: conv 3*3*1*8 + 8 = 80, batch norm 4 * 8 = 32 (16 non-trainable), dense 8*2 + 2 = 18
      // "batch_normalization (BatchNormalization)" is wider than the column: rich wraps it
      assertTrue(summary.contains("│ batch_normalization             │ (None, 4, 4, 8)        │            32 │"), summary);
      assertTrue(summary.contains("│ (BatchNormalization)            │"), summary);
      assertTrue(summary.contains("(None, 4, 4, 8)"), summary);
      // Keras 3 counts the trained optimizer's state in the total: Adam's m and v (2 x 114), step, rate
      assertTrue(summary.contains("Total params: 360 (1.41 KB)"), summary);
      assertTrue(summary.contains("Optimizer params: 230 (924.00 B)"), summary);
      assertTrue(summary.contains("Trainable params: 114 (456.00 B)"), summary);
      assertTrue(summary.contains("Non-trainable params: 16 (64.00 B)"), summary);

      predicted = model.predict(test.x());
      model.saveWeights(weights);
      model.save(export);
    }
    for (Path saved : List.of(weights, export)) {
      GraphRuntime.reset();
      try (Sequential restored = model()) {
        restored.buildFor(Shape.of(-1, SIZE, SIZE, 1));
        restored.loadWeights(saved);
        BatchNormalization bn = (BatchNormalization) restored.layers().get(1);
        List<float[]> restoredMoving = values(List.of(bn.movingMean(), bn.movingVariance()));
        assertArrayEquals(moving.get(0), restoredMoving.get(0), "moving mean restored from " + saved);
        assertArrayEquals(moving.get(1), restoredMoving.get(1), "moving variance restored from " + saved);
        float[][] again = restored.predict(test.x());
        for (int i = 0; i < predicted.length; i++) {
          assertArrayEquals(predicted[i], again[i], "example " + i + " from " + saved + ", bitwise");
        }
      }
    }
    // the SavedModel serves inference mode: the moving statistics, not the batch's
    try (SavedModelBundle bundle = SavedModelBundle.load(export.toString(), "serve");
        TFloat32 x = TFloat32.tensorOf(Shape.of(32, SIZE, SIZE, 1), DataBuffers.of(test.images(), true, false));
        var result = bundle.function("serving_default").call(Map.<String, Tensor>of("inputs", x))) {
      float[] served = Tensors.read((TFloat32) result.get("output_0").orElseThrow());
      for (int i = 0; i < predicted.length; i++) {
        assertArrayEquals(predicted[i], java.util.Arrays.copyOfRange(served, 2 * i, 2 * i + 2),
            "served example " + i);
      }
    }
  }
}
