package dev.tfkeras.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.layers.Activation;
import dev.tfkeras.layers.Conv2D;
import dev.tfkeras.layers.Dense;
import dev.tfkeras.layers.Flatten;
import dev.tfkeras.layers.Input;
import dev.tfkeras.layers.KerasTensor;
import dev.tfkeras.layers.Layer;
import dev.tfkeras.runtime.GraphRuntime;
import dev.tfkeras.testing.FreshRuntime;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** The functional API: Input, layers on symbolic tensors, Model.of, shared layers, nesting. */
@ExtendWith(FreshRuntime.class)
class FunctionalTest {

  @TempDir Path tmp;

  /** Joins its inputs on the last axis (a merge layer written for this test). */
  static final class Join extends Layer {
    @Override
    protected Operand<TFloat32> call(List<Operand<?>> inputs, boolean training) {
      return tf().concat(inputs.stream().map(this::asFloat).toList(), tf().constant(-1));
    }
  }

  @Test
  void aChainIsBuiltWhenDefinedAndSummarizedWithItsInputLayer() {
    KerasTensor inputs = Input.of(784);
    KerasTensor x = new Dense(64, Activation.RELU).apply(inputs);
    x = new Dense(64, Activation.RELU).apply(x);
    KerasTensor outputs = new Dense(10).apply(x);
    assertEquals("(None, 10)", Layer.format(outputs.shape()));
    try (Functional model = Model.of(inputs, outputs)) {
      assertTrue(model.isBuilt());
      assertEquals(
          "Model: \"functional\"\n"
              + "┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓\n"
              + "┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃\n"
              + "┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩\n"
              + "│ input_layer (InputLayer)        │ (None, 784)            │             0 │\n"
              + "├─────────────────────────────────┼────────────────────────┼───────────────┤\n"
              + "│ dense (Dense)                   │ (None, 64)             │        50,240 │\n"
              + "├─────────────────────────────────┼────────────────────────┼───────────────┤\n"
              + "│ dense_1 (Dense)                 │ (None, 64)             │         4,160 │\n"
              + "├─────────────────────────────────┼────────────────────────┼───────────────┤\n"
              + "│ dense_2 (Dense)                 │ (None, 10)             │           650 │\n"
              + "└─────────────────────────────────┴────────────────────────┴───────────────┘\n"
              + " Total params: 55,050 (215.04 KB)\n"
              + " Trainable params: 55,050 (215.04 KB)\n"
              + " Non-trainable params: 0 (0.00 B)\n",
          SummaryTest.summary(model));
      assertEquals(
          List.of("dense/kernel", "dense/bias", "dense_1/kernel", "dense_1/bias", "dense_2/kernel", "dense_2/bias"),
          model.variables().stream().map(v -> v.path()).toList());
    }
  }

  /** An image and a scalar feature, joined after their own layers, trained through fit. */
  @Test
  void aTwoInputModelTrainsThroughFitAndShowsItsConnections() throws Exception {
    GraphRuntime.setRandomSeed(21);
    KerasTensor image = Input.named("image", TFloat32.class, 8, 8, 1);
    KerasTensor scalar = Input.named("scalar", TFloat32.class, 1);
    KerasTensor features = new Flatten().apply(new Conv2D(4, 3, Activation.RELU).apply(image));
    KerasTensor scaled = new Dense(4, Activation.RELU).apply(scalar);
    KerasTensor joined = new Join().apply(List.of(features, scaled));
    KerasTensor output = new Dense(2).apply(joined);
    float[][] before;
    float[][][][] images;
    float[][] scalars;
    try (Functional model = Model.of(List.of(image, scalar), List.of(output))) {
      String summary = SummaryTest.summary(model);
      assertTrue(summary.contains("┃ Connected to"), summary);
      assertTrue(summary.contains("│ join (Join)         │ (None, 148)       │          0 │ flatten[0][0],    │"), summary);
      assertTrue(summary.contains("│                     │                   │            │ dense[0][0]       │"), summary);
      assertTrue(summary.contains("│ image (InputLayer)  │ (None, 8, 8, 1)   │          0 │ -                 │"), summary);

      // class 1 iff the image is bright or the scalar is large: each input carries half the rule
      int n = 400;
      Random random = new Random(4);
      images = new float[n][8][8][1];
      scalars = new float[n][1];
      int[] labels = new int[n];
      for (int i = 0; i < n; i++) {
        boolean bright = random.nextBoolean();
        boolean large = random.nextBoolean();
        for (int r = 0; r < 8; r++) {
          for (int c = 0; c < 8; c++) {
            images[i][r][c][0] = (float) (random.nextDouble() * 0.2 + (bright ? 0.6 : 0));
          }
        }
        scalars[i][0] = (float) (random.nextDouble() + (large ? 2 : 0));
        labels[i] = bright || large ? 1 : 0;
      }
      model.compile(new dev.tfkeras.optimizers.Adam(0.01f), new dev.tfkeras.losses.SparseCategoricalCrossentropy(true),
          new dev.tfkeras.metrics.SparseCategoricalAccuracy("accuracy"));
      List<Object> x = List.of(images, scalars);
      model.fit(x, labels, new FitOptions().epochs(15).verbose(0));
      assertTrue(model.evaluate(x, labels).get("accuracy") >= 0.97, "accuracy " + model.evaluate(x, labels));

      before = model.predict(x);
      model.save(tmp.resolve("export"));
    }
    // As in a new process: the same definition gets the same layer names, so the weights load.
    GraphRuntime.reset();
    try (Functional other = rebuild()) {
      other.loadWeights(tmp.resolve("export"));
      assertArrayEquals(before, other.predict(List.of(images, scalars)));
    }
  }

  private static Functional rebuild() {
    KerasTensor image = Input.named("image", TFloat32.class, 8, 8, 1);
    KerasTensor scalar = Input.named("scalar", TFloat32.class, 1);
    KerasTensor features = new Flatten().apply(new Conv2D(4, 3, Activation.RELU).apply(image));
    KerasTensor scaled = new Dense(4, Activation.RELU).apply(scalar);
    return Model.of(List.of(image, scalar), List.of(new Dense(2).apply(new Join().apply(List.of(features, scaled)))));
  }

  /** A class and a value from one trunk: a loss per output, weighted, and metrics per output. */
  @Test
  void twoOutputsTrainWithALossAndMetricsEach() {
    GraphRuntime.setRandomSeed(12);
    KerasTensor input = Input.of(4);
    KerasTensor trunk = new Dense(16, Activation.RELU).apply(input);
    KerasTensor kind = new Dense(3).apply(trunk);
    KerasTensor size = new Dense(1).apply(trunk);
    int n = 600;
    Random random = new Random(8);
    float[][] x = new float[n][4];
    int[] classes = new int[n];
    float[] sizes = new float[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < 4; j++) {
        x[i][j] = (float) random.nextGaussian();
      }
      classes[i] = x[i][0] > 0.5 ? 2 : x[i][0] > -0.5 ? 1 : 0;
      sizes[i] = x[i][1] - x[i][2];
    }
    try (Functional model = Model.of(List.of(input), List.of(kind, size))) {
      model.compile(
          new dev.tfkeras.optimizers.Adam(0.02f),
          List.of(new dev.tfkeras.losses.SparseCategoricalCrossentropy(true), new dev.tfkeras.losses.MeanSquaredError()),
          List.of(1f, 0.5f),
          List.of(List.of(new dev.tfkeras.metrics.SparseCategoricalAccuracy("accuracy")), List.of()));
      var history = model.fit(x, List.of(classes, sizes), new FitOptions().epochs(25).verbose(0));
      assertEquals(List.of("loss", "dense_1_loss", "dense_2_loss", "dense_1_accuracy"), List.copyOf(history.history().keySet()));
      int last = 24;
      double total = history.get("loss").get(last);
      double weighted = history.get("dense_1_loss").get(last) + 0.5 * history.get("dense_2_loss").get(last);
      assertEquals(weighted, total, 1e-4 * Math.max(1, total), "the total is the weighted sum of the outputs' losses");
      var scores = model.evaluate(x, List.of(classes, sizes));
      assertTrue(scores.get("dense_1_accuracy") > 0.9, scores.toString());
      assertTrue(scores.get("dense_2_loss") < 0.1, scores.toString());
      var e = assertThrows(IllegalArgumentException.class, () -> model.fit(x, classes, new FitOptions().verbose(0)));
      assertTrue(e.getMessage().startsWith("The model has 2 output(s) but the data has 1 target(s)"), e.getMessage());

      List<float[][]> outputs = model.predictOutputs(x);
      assertEquals(2, outputs.size());
      assertEquals(n, outputs.get(0).length);
      assertEquals(3, outputs.get(0)[0].length, "class logits");
      assertEquals(1, outputs.get(1)[0].length, "size");
      int right = 0;
      double squared = 0;
      for (int i = 0; i < n; i++) {
        float[] logits = outputs.get(0)[i];
        int best = logits[0] >= logits[1] && logits[0] >= logits[2] ? 0 : logits[1] >= logits[2] ? 1 : 2;
        right += best == classes[i] ? 1 : 0;
        squared += Math.pow(outputs.get(1)[i][0] - sizes[i], 2);
      }
      assertEquals(scores.get("dense_1_accuracy"), right / (double) n, 1e-6, "predictions agree with evaluate");
      assertEquals(scores.get("dense_2_loss"), squared / n, 1e-4, "mean squared error from the predictions");
    }
  }

  @Test
  void sharedLayersKeepOneSetOfWeightsAndCountTheirCalls() {
    KerasTensor left = Input.of(3);
    KerasTensor right = Input.of(3);
    Dense shared = new Dense(2);
    KerasTensor a = shared.apply(left);
    KerasTensor b = shared.apply(right);
    try (Functional model = Model.of(List.of(left, right), List.of(new Join().apply(List.of(a, b))))) {
      assertEquals(8, model.countParams(), "one kernel (3x2) and bias (2)");
      String summary = SummaryTest.summary(model);
      assertTrue(summary.contains("dense[0][0],"), summary);
      assertTrue(summary.contains("dense[1][0]"), summary);
      float[][] out = model.predict(List.of(new float[][] {{1, 2, 3}}, new float[][] {{1, 2, 3}}));
      assertEquals(out[0][0], out[0][2], 0f, "the same weights on the same input");
      assertEquals(out[0][1], out[0][3], 0f);
    }
  }

  @Test
  void aModelIsUsableAsALayer() {
    KerasTensor inner = Input.of(4);
    Functional encoder = Model.of(inner, new Dense(2, Activation.TANH).apply(inner));
    KerasTensor outer = Input.of(4);
    KerasTensor code = encoder.apply(outer);
    try (Functional model = Model.of(outer, new Dense(1).apply(code))) {
      assertEquals(10 + 3, model.countParams());
      assertTrue(SummaryTest.summary(model).contains("│ functional (Functional)"), SummaryTest.summary(model));
      assertEquals(1, model.predict(new float[][] {{1, 2, 3, 4}})[0].length);
    }
  }

  @Test
  void aDisconnectedGraphIsRefused() {
    KerasTensor used = Input.of(2);
    KerasTensor other = Input.of(2);
    KerasTensor out = new Join().apply(List.of(used, other));
    var e = assertThrows(IllegalArgumentException.class, () -> Model.of(used, out));
    assertEquals(
        "Graph disconnected: an output needs input 'input_layer_1', which is not among the model's"
            + " inputs; pass every Input the outputs depend on to Model.of.",
        e.getMessage());
  }
}
