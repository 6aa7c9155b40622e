package dev.tfkeras.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tfkeras.SyntheticData;
import dev.tfkeras.layers.Activation;
import dev.tfkeras.layers.Conv2D;
import dev.tfkeras.layers.Dense;
import dev.tfkeras.layers.Flatten;
import dev.tfkeras.losses.SparseCategoricalCrossentropy;
import dev.tfkeras.metrics.ShapeSelectedAccuracy.Kind;
import dev.tfkeras.models.Sequential;
import dev.tfkeras.optimizers.Adam;
import dev.tfkeras.testing.FreshRuntime;
import dev.tfkeras.testing.Tensors;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Metrics.get with Keras's identifiers, accuracy chosen from shapes, and several results at once.
 */
@ExtendWith(FreshRuntime.class)
class MetricsTest {

  private static final double TOL = 1e-6;

  @Test
  void everyIdentifierGivesItsMetricNamedByTheIdentifier() {
    Map<String, Class<? extends PredictionMetric>> expected = new java.util.LinkedHashMap<>();
    expected.put("binary_accuracy", BinaryAccuracy.class);
    expected.put("BinaryAccuracy", BinaryAccuracy.class);
    expected.put("categorical_accuracy", CategoricalAccuracy.class);
    expected.put("CategoricalAccuracy", CategoricalAccuracy.class);
    expected.put("sparse_categorical_accuracy", SparseCategoricalAccuracy.class);
    expected.put("SparseCategoricalAccuracy", SparseCategoricalAccuracy.class);
    expected.put("top_k_categorical_accuracy", TopKCategoricalAccuracy.class);
    expected.put("TopKCategoricalAccuracy", TopKCategoricalAccuracy.class);
    expected.put("sparse_top_k_categorical_accuracy", SparseTopKCategoricalAccuracy.class);
    expected.put("SparseTopKCategoricalAccuracy", SparseTopKCategoricalAccuracy.class);
    expected.put("mean_squared_error", MeanSquaredError.class);
    expected.put("MeanSquaredError", MeanSquaredError.class);
    expected.put("mse", MeanSquaredError.class);
    expected.put("MSE", MeanSquaredError.class);
    expected.put("mean_absolute_error", MeanAbsoluteError.class);
    expected.put("MeanAbsoluteError", MeanAbsoluteError.class);
    expected.put("mae", MeanAbsoluteError.class);
    expected.put("MAE", MeanAbsoluteError.class);
    expected.put("root_mean_squared_error", RootMeanSquaredError.class);
    expected.put("RootMeanSquaredError", RootMeanSquaredError.class);
    expected.put("auc", AUC.class);
    expected.put("AUC", AUC.class);
    expected.put("precision", Precision.class);
    expected.put("Precision", Precision.class);
    expected.put("recall", Recall.class);
    expected.put("Recall", Recall.class);
    for (var entry : expected.entrySet()) {
      PredictionMetric metric = Metrics.get(entry.getKey());
      assertEquals(entry.getValue(), metric.getClass(), entry.getKey());
      assertEquals(entry.getKey(), metric.name(), "Keras names a metric by its identifier");
    }
    for (String accuracy : List.of("accuracy", "acc", "Accuracy", "ACC")) {
      PredictionMetric metric = Metrics.get(accuracy);
      assertInstanceOf(ShapeSelectedAccuracy.class, metric, accuracy);
      assertEquals(accuracy, metric.name());
    }
    List<String> all = new java.util.ArrayList<>(List.of("accuracy", "acc"));
    all.addAll(expected.keySet());
    assertEquals(all, Metrics.identifiers(), "every identifier is tested here");
    // defaults carried over: k = 5, threshold 0.5, 200 thresholds
    assertEquals(5, ((TopKCategoricalAccuracy) Metrics.get("top_k_categorical_accuracy")).k());
    assertEquals(
        5, ((SparseTopKCategoricalAccuracy) Metrics.get("sparse_top_k_categorical_accuracy")).k());
    assertEquals(0.5, ((BinaryAccuracy) Metrics.get("binary_accuracy")).threshold());
    assertEquals(200, ((AUC) Metrics.get("auc")).numThresholds());
  }

  @Test
  void unknownIdentifiersListTheKnownOnes() {
    var e = assertThrows(IllegalArgumentException.class, () -> Metrics.get("f1"));
    assertEquals(
        "Unknown metric identifier: \"f1\". Known identifiers: "
            + String.join(", ", Metrics.identifiers())
            + ".",
        e.getMessage());
    assertEquals(
        "Unknown metric identifier: \"f1\". Known identifiers: accuracy, acc, binary_accuracy,"
            + " BinaryAccuracy, categorical_accuracy, CategoricalAccuracy,"
            + " sparse_categorical_accuracy, SparseCategoricalAccuracy, top_k_categorical_accuracy,"
            + " TopKCategoricalAccuracy, sparse_top_k_categorical_accuracy,"
            + " SparseTopKCategoricalAccuracy, mean_squared_error, MeanSquaredError, mse, MSE,"
            + " mean_absolute_error, MeanAbsoluteError, mae, MAE, root_mean_squared_error,"
            + " RootMeanSquaredError, auc, AUC, precision, Precision, recall, Recall.",
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Metrics.get("mean"));
    assertEquals(
        "Unknown metric identifier: \"mean\". Known identifiers: "
            + String.join(", ", Metrics.identifiers())
            + ". Mean and Sum take values rather than labels and predictions: create new Mean(name)"
            + " or new Sum(name) and update it in a custom step.",
        e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> Metrics.get("Mse"),
        "case matters except for accuracy");
    assertThrows(NullPointerException.class, () -> Metrics.get(null));
  }

  @Test
  void accuracyIsChosenFromTheShapesAtTheFirstUpdate() {
    // binary: predictions (batch, 1)
    var binary = (ShapeSelectedAccuracy) Metrics.get("accuracy");
    assertNull(binary.kind());
    assertEquals("Accuracy(chosen at first update)[accuracy]", binary.toString());
    MetricHarness.update(
        binary,
        Tensors.floats(new float[] {1f, 0f, 1f}, 3, 1),
        Tensors.floats(new float[] {0.7f, 0.6f, 0.2f}, 3, 1),
        Tensors.vector(1f, 1f, 2f));
    assertEquals(Kind.BINARY, binary.kind());
    assertEquals("Accuracy(BinaryAccuracy)[accuracy]", binary.toString());
    assertEquals(1.0 / 4, binary.result(), TOL, "0.7 > 0.5 right; 0.6 wrong; 0.2 wrong (weight 2)");

    // sparse: (batch,) labels, or (batch, 1) labels against several prediction columns
    float[] p = {0.1f, 0.7f, 0.2f, 0.5f, 0.3f, 0.2f};
    var sparse = (ShapeSelectedAccuracy) Metrics.get("acc");
    MetricHarness.update(sparse, Tensors.ints(new int[] {1, 2}, 2), Tensors.floats(p, 2, 3), null);
    assertEquals(Kind.SPARSE_CATEGORICAL, sparse.kind());
    assertEquals(0.5, sparse.result(), TOL);
    var column = (ShapeSelectedAccuracy) Metrics.get("acc");
    MetricHarness.update(
        column,
        Tensors.floats(new float[] {1f, 0f}, 2, 1),
        Tensors.floats(p, 2, 3),
        Tensors.vector(0.25f, 0.75f));
    assertEquals(Kind.SPARSE_CATEGORICAL, column.kind());
    assertEquals(1.0, column.result(), TOL);

    // categorical: one-hot labels of the predictions' shape
    var categorical = (ShapeSelectedAccuracy) Metrics.get("Accuracy");
    MetricHarness.update(
        categorical,
        Tensors.floats(new float[] {0f, 0f, 1f, 1f, 0f, 0f}, 2, 3),
        Tensors.floats(p, 2, 3),
        null);
    assertEquals(Kind.CATEGORICAL, categorical.kind());
    assertEquals(0.5, categorical.result(), TOL);

    // the choice is kept for later updates
    MetricHarness.update(
        categorical,
        Tensors.floats(new float[] {0f, 1f, 0f}, 1, 3),
        Tensors.floats(new float[] {0f, 1f, 0f}, 1, 3),
        null);
    assertEquals(Kind.CATEGORICAL, categorical.kind());
    assertEquals(2.0 / 3, categorical.result(), TOL);
  }

  @Test
  void selectionFollowsKerasRuleOnStaticShapes() {
    try (var labels = Tensors.ints(new int[] {0, 1}, 2);
        var column = Tensors.ints(new int[] {0, 1}, 2, 1);
        var oneHot = Tensors.floats(new float[] {1f, 0f, 0f, 1f}, 2, 2);
        var two = Tensors.floats(new float[] {0.3f, 0.7f, 0.6f, 0.4f}, 2, 2);
        var one = Tensors.floats(new float[] {0.3f, 0.7f}, 2, 1);
        var flat = Tensors.floats(new float[] {0.3f, 0.7f}, 2)) {
      var tf = org.tensorflow.op.Ops.create();
      assertEquals(
          Kind.BINARY, ShapeSelectedAccuracy.select(tf.constantOf(column), tf.constantOf(one)));
      assertEquals(
          Kind.BINARY, ShapeSelectedAccuracy.select(tf.constantOf(labels), tf.constantOf(one)));
      assertEquals(
          Kind.SPARSE_CATEGORICAL,
          ShapeSelectedAccuracy.select(tf.constantOf(labels), tf.constantOf(two)));
      assertEquals(
          Kind.SPARSE_CATEGORICAL,
          ShapeSelectedAccuracy.select(tf.constantOf(column), tf.constantOf(two)));
      assertEquals(
          Kind.CATEGORICAL,
          ShapeSelectedAccuracy.select(tf.constantOf(oneHot), tf.constantOf(two)));
      // (batch,) predictions: last axis is the batch, not 1; same rank: categorical, as in Keras
      assertEquals(
          Kind.CATEGORICAL,
          ShapeSelectedAccuracy.select(tf.constantOf(labels), tf.constantOf(flat)));
    }
  }

  @Test
  void resultsOfSeveralMetricsInOneRun() {
    var accuracy = new SparseCategoricalAccuracy("acc");
    var top2 = new SparseTopKCategoricalAccuracy("top2", 2);
    var auc = new AUC("auc", 10, AUC.Curve.ROC, AUC.Summation.INTERPOLATION, false);
    var loss = new Mean("loss");
    var never = new Precision("never_updated");
    float[] p = {0.1f, 0.7f, 0.2f, 0.5f, 0.3f, 0.2f, 0.2f, 0.2f, 0.6f};
    MetricHarness.update(
        accuracy, Tensors.ints(new int[] {1, 1, 2}, 3), Tensors.floats(p, 3, 3), null);
    MetricHarness.update(top2, Tensors.ints(new int[] {1, 2, 0}, 3), Tensors.floats(p, 3, 3), null);
    MetricHarness.update(auc, Tensors.vector(0f, 1f, 1f), Tensors.vector(0.2f, 0.6f, 0.9f), null);
    MetricHarness.update(loss, Tensors.vector(2f, 4f), null);
    Map<String, Double> values = Metric.results(List.of(loss, accuracy, top2, auc, never));
    assertEquals(
        List.of("loss", "acc", "top2", "auc", "never_updated"), List.copyOf(values.keySet()));
    assertEquals(3.0, values.get("loss"), TOL);
    assertEquals(2.0 / 3, values.get("acc"), TOL);
    assertEquals(
        2.0 / 3, values.get("top2"), TOL, "row 2 misses; in row 3 the tie at 0.2 keeps class 0 in");
    assertEquals(auc.result(), values.get("auc"), TOL);
    assertEquals(1.0, values.get("auc"), TOL, "the positives are above every negative");
    assertEquals(0.0, values.get("never_updated"));
  }

  @Test
  void compiledModelsReportIdentifierMetrics() {
    var test = new SyntheticData(90, 5);
    try (var model =
        new Sequential(
            new Conv2D(4, 3, Activation.RELU),
            new Flatten(),
            new Dense(8, Activation.RELU),
            new Dense(SyntheticData.CLASSES))) {
      model.compile(
          new Adam(),
          new SparseCategoricalCrossentropy(true),
          Metrics.get("acc"),
          new SparseTopKCategoricalAccuracy("top2", 2));
      Map<String, Double> scores = model.evaluate(test.dataset().batch(32));
      assertEquals(List.of("loss", "acc", "top2"), List.copyOf(scores.keySet()));
      float[][] logits = model.predict(test.dataset().batch(32));
      int right = 0;
      int inTop2 = 0;
      for (int i = 0; i < logits.length; i++) {
        int above = 0;
        int best = 0;
        for (int c = 0; c < SyntheticData.CLASSES; c++) {
          above += logits[i][c] > logits[i][test.labels[i]] ? 1 : 0;
          best = logits[i][c] > logits[i][best] ? c : best;
        }
        right += best == test.labels[i] ? 1 : 0;
        inTop2 += above < 2 ? 1 : 0;
      }
      assertEquals(
          right / 90.0, scores.get("acc"), TOL, "sparse accuracy was chosen from (batch,) labels");
      assertEquals(inTop2 / 90.0, scores.get("top2"), TOL);
    }
  }

  @Test
  void randomisedAccuracyChoiceMatchesTheNamedMetric() {
    // the chosen accuracy gives exactly what the named class gives on the same data
    var random = new Random(2);
    int batch = 16;
    double[] p = MetricHarness.uniform(random, batch * 3);
    int[] y = MetricHarness.classes(random, batch, 3);
    double[] w = MetricHarness.weights(random, batch);
    var chosen = Metrics.get("accuracy");
    var named = new SparseCategoricalAccuracy();
    MetricHarness.update(
        chosen,
        Tensors.ints(y, batch),
        MetricHarness.floats(p, batch, 3),
        MetricHarness.floats(w, batch));
    MetricHarness.update(
        named,
        Tensors.ints(y, batch),
        MetricHarness.floats(p, batch, 3),
        MetricHarness.floats(w, batch));
    assertEquals(named.result(), chosen.result(), TOL);
  }
}
