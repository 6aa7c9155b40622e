package dev.tfkeras.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.callbacks.History;
import dev.tfkeras.layers.Activation;
import dev.tfkeras.layers.BatchNormalization;
import dev.tfkeras.layers.Concatenate;
import dev.tfkeras.layers.Conv2D;
import dev.tfkeras.layers.Dense;
import dev.tfkeras.layers.Dropout;
import dev.tfkeras.layers.Embedding;
import dev.tfkeras.layers.GlobalAveragePooling2D;
import dev.tfkeras.layers.Input;
import dev.tfkeras.layers.KerasTensor;
import dev.tfkeras.layers.LSTM;
import dev.tfkeras.losses.BinaryCrossentropy;
import dev.tfkeras.losses.CategoricalCrossentropy;
import dev.tfkeras.metrics.BinaryAccuracy;
import dev.tfkeras.optimizers.Adam;
import dev.tfkeras.optimizers.RMSprop;
import dev.tfkeras.runtime.GraphRuntime;
import dev.tfkeras.testing.FreshRuntime;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** keras.io guides ported line for line: transfer learning and fine-tuning; the Functional API's ticket model. */
@ExtendWith(FreshRuntime.class)
class KerasGuidesTest {

  /**
   * "Transfer learning & fine-tuning": a base trained on one task, frozen, called with {@code
   * training=false} under a new head, the head trained, the base unfrozen and fine-tuned with a low
   * learning rate. While frozen the base's kernels and BatchNormalization statistics stay fixed; once
   * unfrozen its kernels move, and its BatchNormalization keeps its statistics because the call
   * runs it in inference mode (the guide's point). The same base object serves both models.
   */
  @Test
  void transferLearningAndFineTuningAsTheGuideReads() {
    GraphRuntime.setRandomSeed(11);
    float[][][][] images = images(96, 1);
    float[][] labels = labels(images);

    // A base model, trained on a first task (as the guide's ImageNet weights were).
    KerasTensor baseInput = Input.of(8, 8, 1);
    KerasTensor features = new BatchNormalization().apply(new Conv2D(4, 3, Activation.RELU).apply(baseInput));
    Functional base = Model.of(baseInput, features);
    KerasTensor pretrainInput = Input.of(8, 8, 1);
    Functional pretraining =
        Model.of(pretrainInput, new Dense(1).apply(new GlobalAveragePooling2D().apply(base.apply(pretrainInput))));
    pretraining.compile(new Adam(), new BinaryCrossentropy(true));
    pretraining.fit(images, labels, new FitOptions().epochs(1).verbose(0));

    // base_model.trainable = False; x = base_model(inputs, training=False); ...
    base.setTrainable(false);
    KerasTensor inputs = Input.of(8, 8, 1);
    KerasTensor x = base.apply(inputs, false);
    x = new GlobalAveragePooling2D().apply(x);
    x = new Dropout(0.2f).apply(x);
    KerasTensor outputs = new Dense(1).apply(x);
    Functional model = Model.of(inputs, outputs);
    assertEquals(2, model.trainableVariables().size(), "only the new head trains");
    assertEquals(6, model.nonTrainableVariables().size());

    BatchNormalization norm = (BatchNormalization) base.getLayer("batch_normalization");
    List<FloatNdArray> baseBefore = base.getWeights();
    model.compile(new Adam(), new BinaryCrossentropy(true), new BinaryAccuracy());
    List<FloatNdArray> headBefore = model.getLayer(model.layers().size() - 1).getWeights();
    History head = model.fit(images, labels, new FitOptions().epochs(2).verbose(0));
    assertEquals(baseBefore, base.getWeights(), "a frozen base does not change: kernels and statistics");
    assertNotEquals(headBefore, model.getLayer(model.layers().size() - 1).getWeights());
    assertTrue(head.get("binary_accuracy").size() == 2);

    // base_model.trainable = True; model.compile(optimizer=Adam(1e-5), ...); model.fit(...)
    base.setTrainable(true);
    assertEquals(6, model.trainableVariables().size());
    float[] movingMean = movingMean(norm);
    float[] kernel = firstValues(base.getWeights().get(0));
    model.compile(new Adam(1e-5f), new BinaryCrossentropy(true), new BinaryAccuracy());
    model.fit(images, labels, new FitOptions().epochs(1).verbose(0));
    assertFalse(java.util.Arrays.equals(kernel, firstValues(base.getWeights().get(0))), "fine-tuned");
    assertTrue(
        java.util.Arrays.equals(movingMean, movingMean(norm)),
        "BatchNormalization runs in inference mode: training=false fixed on the call");

    // The same base serves the first model too, with the weights fine-tuned through the second.
    assertTrue(pretraining.variables().containsAll(base.variables()));
  }

  /**
   * The Functional API guide's ticket model: three named inputs, two named outputs, loss weights,
   * data keyed by name; the logs hold {@code priority_loss} and {@code department_loss}.
   */
  @Test
  void theTicketModelTrainsFromNamedDataAndLogsPerOutput() {
    GraphRuntime.setRandomSeed(2);
    int numTags = 12;
    int numWords = 100;
    int numDepartments = 4;
    KerasTensor titleInput = Input.named("title", TInt32.class, 10);
    KerasTensor bodyInput = Input.named("body", TInt32.class, 20);
    KerasTensor tagsInput = Input.named("tags", TFloat32.class, numTags);
    KerasTensor titleFeatures = new LSTM(16).apply(new Embedding(numWords, 8).apply(titleInput));
    KerasTensor bodyFeatures = new LSTM(8).apply(new Embedding(numWords, 8).apply(bodyInput));
    KerasTensor x = new Concatenate().apply(List.of(titleFeatures, bodyFeatures, tagsInput));
    KerasTensor priorityPred = new Dense(1).name("priority").apply(x);
    KerasTensor departmentPred = new Dense(numDepartments).name("department").apply(x);
    Functional model =
        Model.of(List.of(titleInput, bodyInput, tagsInput), List.of(priorityPred, departmentPred));
    assertEquals(List.of("title", "body", "tags"), model.inputNames());
    assertEquals(List.of("priority", "department"), model.outputNames());

    model.compile(
        new RMSprop(1e-3f),
        Map.of("priority", new BinaryCrossentropy(true), "department", new CategoricalCrossentropy(true)),
        Map.of("priority", 1.0, "department", 0.2),
        null);

    Random random = new Random(5);
    int n = 64;
    int[][] title = new int[n][10];
    int[][] body = new int[n][20];
    float[][] tags = new float[n][numTags];
    float[][] priority = new float[n][1];
    float[][] department = new float[n][numDepartments];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < 10; j++) title[i][j] = random.nextInt(numWords);
      for (int j = 0; j < 20; j++) body[i][j] = random.nextInt(numWords);
      for (int j = 0; j < numTags; j++) tags[i][j] = random.nextInt(2);
      priority[i][0] = random.nextFloat();
      department[i][random.nextInt(numDepartments)] = 1f;
    }
    History history =
        model.fit(
            Map.of("title", title, "body", body, "tags", tags),
            Map.of("priority", priority, "department", department),
            new FitOptions().epochs(2).batchSize(32).verbose(0));
    Map<String, List<Double>> logs = history.history();
    assertEquals(List.of("department_loss", "loss", "priority_loss"), logs.keySet().stream().sorted().toList());
    for (int epoch = 0; epoch < 2; epoch++) {
      double total = logs.get("loss").get(epoch);
      double combined = logs.get("priority_loss").get(epoch) + 0.2 * logs.get("department_loss").get(epoch);
      assertEquals(combined, total, 1e-4 * Math.abs(total), "loss = priority_loss + 0.2 department_loss");
    }
    Map<String, Double> evaluated =
        model.evaluate(Map.of("title", title, "body", body, "tags", tags), Map.of("priority", priority, "department", department));
    assertTrue(evaluated.containsKey("priority_loss"));
    IllegalArgumentException missing =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () -> model.predict(Map.of("title", title, "tags", tags)));
    assertEquals(
        "Missing data for input 'body'. The model's inputs are ['title', 'body', 'tags'], received keys "
            + missing.getMessage().substring(missing.getMessage().indexOf("received keys ") + 14),
        missing.getMessage());
  }

  private static float[] movingMean(BatchNormalization norm) {
    try (TFloat32 value = norm.movingMean().value()) {
      return org.tensorflow.ndarray.StdArrays.array1dCopyOf(value);
    }
  }

  private static float[] firstValues(FloatNdArray weight) {
    float[] out = new float[(int) Math.min(8, weight.size())];
    for (int i = 0; i < out.length; i++) {
      out[i] = weight.getFloat(0, 0, 0, i % weight.shape().get(3));
    }
    return out;
  }

  /** Random 8x8 images; the label says whether the upper half is brighter. */
  private static float[][][][] images(int n, long seed) {
    Random random = new Random(seed);
    float[][][][] out = new float[n][8][8][1];
    for (float[][][] image : out) {
      for (float[][] row : image) {
        for (float[] pixel : row) {
          pixel[0] = random.nextFloat();
        }
      }
    }
    return out;
  }

  private static float[][] labels(float[][][][] images) {
    float[][] out = new float[images.length][1];
    for (int i = 0; i < images.length; i++) {
      float upper = 0;
      float lower = 0;
      for (int r = 0; r < 8; r++) {
        for (int c = 0; c < 8; c++) {
          if (r < 4) upper += images[i][r][c][0];
          else lower += images[i][r][c][0];
        }
      }
      out[i][0] = upper > lower ? 1f : 0f;
    }
    return out;
  }
}
