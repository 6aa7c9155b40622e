package dev.tfkeras.metrics;

import dev.tfkeras.saving.Config;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/** Metrics by Keras's string identifiers, as in {@code model.compile(metrics=["accuracy"])}. */
public final class Metrics {

  private static final Map<String, Function<String, PredictionMetric>> BY_IDENTIFIER =
      new LinkedHashMap<>();

  static {
    register(BinaryAccuracy::new, "binary_accuracy", "BinaryAccuracy");
    register(CategoricalAccuracy::new, "categorical_accuracy", "CategoricalAccuracy");
    register(
        SparseCategoricalAccuracy::new, "sparse_categorical_accuracy", "SparseCategoricalAccuracy");
    register(
        name -> new TopKCategoricalAccuracy(name, 5),
        "top_k_categorical_accuracy",
        "TopKCategoricalAccuracy");
    register(
        name -> new SparseTopKCategoricalAccuracy(name, 5),
        "sparse_top_k_categorical_accuracy",
        "SparseTopKCategoricalAccuracy");
    register(MeanSquaredError::new, "mean_squared_error", "MeanSquaredError", "mse", "MSE");
    register(MeanAbsoluteError::new, "mean_absolute_error", "MeanAbsoluteError", "mae", "MAE");
    register(RootMeanSquaredError::new, "root_mean_squared_error", "RootMeanSquaredError");
    register(AUC::new, "auc", "AUC");
    register(Precision::new, "precision", "Precision");
    register(Recall::new, "recall", "Recall");
  }

  private static final Map<String, Function<Config, Metric>> FROM_CONFIG = new TreeMap<>();

  static {
    FROM_CONFIG.put("AUC", AUC::fromConfig);
    FROM_CONFIG.put("Accuracy", Accuracy::fromConfig);
    FROM_CONFIG.put("BinaryAccuracy", BinaryAccuracy::fromConfig);
    FROM_CONFIG.put("BinaryIoU", BinaryIoU::fromConfig);
    FROM_CONFIG.put("IoU", IoU::fromConfig);
    FROM_CONFIG.put("MeanIoU", MeanIoU::fromConfig);
    FROM_CONFIG.put("OneHotIoU", OneHotIoU::fromConfig);
    FROM_CONFIG.put("OneHotMeanIoU", OneHotMeanIoU::fromConfig);
    FROM_CONFIG.put("CategoricalAccuracy", CategoricalAccuracy::fromConfig);
    FROM_CONFIG.put("Mean", Mean::fromConfig);
    FROM_CONFIG.put("MeanAbsoluteError", MeanAbsoluteError::fromConfig);
    FROM_CONFIG.put("MeanSquaredError", MeanSquaredError::fromConfig);
    FROM_CONFIG.put("Precision", Precision::fromConfig);
    FROM_CONFIG.put("Recall", Recall::fromConfig);
    FROM_CONFIG.put("RootMeanSquaredError", RootMeanSquaredError::fromConfig);
    FROM_CONFIG.put("SparseCategoricalAccuracy", SparseCategoricalAccuracy::fromConfig);
    FROM_CONFIG.put("SparseTopKCategoricalAccuracy", SparseTopKCategoricalAccuracy::fromConfig);
    FROM_CONFIG.put("Sum", Sum::fromConfig);
    FROM_CONFIG.put("TopKCategoricalAccuracy", TopKCategoricalAccuracy::fromConfig);
  }

  private Metrics() {}

  /**
   * The {@code fromConfig} of tfkeras's metric of a Keras class name ({@code "AUC"}), or null;
   * {@link dev.tfkeras.saving.Serialization#deserialize} reads serialized metrics through it.
   */
  public static Function<Config, Metric> factory(String className) {
    return className == null ? null : FROM_CONFIG.get(className);
  }

  /** The Keras class names of the metrics tfkeras has, sorted. */
  public static Set<String> classNames() {
    return Collections.unmodifiableSet(FROM_CONFIG.keySet());
  }

  private static void register(Function<String, PredictionMetric> factory, String... identifiers) {
    for (String identifier : identifiers) {
      BY_IDENTIFIER.put(identifier, factory);
    }
  }

  /**
   * A new metric for a Keras identifier, named by it (Keras's {@code compile_utils.get_metric}):
   * {@code get("mse")} is a {@link MeanSquaredError} named {@code mse}. {@code "accuracy"} and
   * {@code "acc"} (any case) give binary, sparse categorical or categorical accuracy, chosen from
   * the shapes of labels and predictions at the first update.
   *
   * @throws IllegalArgumentException for an unknown identifier, listing the known ones
   */
  public static PredictionMetric get(String identifier) {
    Objects.requireNonNull(identifier, "identifier");
    String lower = identifier.toLowerCase(Locale.ROOT);
    if (lower.equals("accuracy") || lower.equals("acc")) {
      return new ShapeSelectedAccuracy(identifier);
    }
    Function<String, PredictionMetric> factory = BY_IDENTIFIER.get(identifier);
    if (factory == null) {
      String hint =
          lower.equals("mean") || lower.equals("sum")
              ? " Mean and Sum take values rather than labels and predictions: create new"
                  + " Mean(name) or new Sum(name) and update it in a custom step."
              : "";
      throw new IllegalArgumentException(
          "Unknown metric identifier: \"" + identifier + "\". Known identifiers: "
              + String.join(", ", identifiers()) + "." + hint);
    }
    return factory.apply(identifier);
  }

  /** Every identifier {@link #get} knows, in a stable order. */
  public static java.util.List<String> identifiers() {
    java.util.List<String> all = new java.util.ArrayList<>();
    all.add("accuracy");
    all.add("acc");
    all.addAll(BY_IDENTIFIER.keySet());
    return all;
  }
}
