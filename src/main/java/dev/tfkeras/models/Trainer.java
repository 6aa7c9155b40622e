package dev.tfkeras.models;

import dev.tfkeras.callbacks.Callback;
import dev.tfkeras.callbacks.History;
import dev.tfkeras.callbacks.ProgressBar;
import dev.tfkeras.data.Batch;
import dev.tfkeras.data.Dataset;
import dev.tfkeras.data.DatasetIterator;
import dev.tfkeras.function.TfFunction;
import dev.tfkeras.metrics.Metric;
import java.io.PrintStream;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The loops behind {@code fit} and {@code evaluate}: each batch runs the model's traced {@code
 * trainStep} or {@code testStep}; callbacks see the logs. Created by {@code compile}.
 */
final class Trainer {

  private final Model model;
  private final Compiled compiled;
  private final TfFunction<Void> trainFunction;
  private final TfFunction<Void> testFunction;

  Trainer(Model model, Compiled compiled) {
    this.model = model;
    this.compiled = compiled;
    this.trainFunction = TfFunction.of(TFloat32.class, TInt32.class, model::trainStep).named("train_step");
    this.testFunction = TfFunction.of(TFloat32.class, TInt32.class, model::testStep).named("test_step");
  }

  Compiled compiled() {
    return compiled;
  }

  History fit(
      Dataset train, int epochs, Dataset validation, int verbose, PrintStream out, List<Callback> user) {
    if (epochs <= 0) {
      throw new IllegalArgumentException("epochs must be a positive integer, received: " + epochs);
    }
    requireBatched(train, "training");
    if (validation != null) {
      requireBatched(validation, "validation");
    }
    History history = new History();
    List<Callback> callbacks = new ArrayList<>();
    callbacks.add(new ProgressBar(out, verbose, epochs, train.cardinality(), System.console() != null && out == System.out));
    callbacks.addAll(user);
    callbacks.add(history);
    callbacks.forEach(c -> c.setModel(model));
    model.resetStopTraining();

    callbacks.forEach(Callback::onTrainBegin);
    Map<String, Double> logs;
    try {
      logs = runEpochs(train, epochs, validation, callbacks);
    } catch (RuntimeException | Error failure) {
      // Let callbacks release what they hold (open files, weight snapshots), keep the failure.
      for (Callback callback : callbacks) {
        try {
          callback.onTrainEnd(Map.of());
        } catch (RuntimeException cleanup) {
          failure.addSuppressed(cleanup);
        }
      }
      throw failure;
    }
    callbacks.forEach(c -> c.onTrainEnd(logs));
    return history;
  }

  private Map<String, Double> runEpochs(
      Dataset train, int epochs, Dataset validation, List<Callback> callbacks) {
    Map<String, Double> logs = new LinkedHashMap<>();
    for (int epoch = 0; epoch < epochs && !model.isStopTrainingRequested(); epoch++) {
      int e = epoch;
      callbacks.forEach(c -> c.onEpochBegin(e));
      resetMetrics();
      int step = 0;
      try (DatasetIterator batches = train.iterator()) {
        while (batches.hasNext() && !model.isStopTrainingRequested()) {
          int s = step++;
          callbacks.forEach(c -> c.onTrainBatchBegin(s));
          try (Batch batch = batches.next()) {
            trainFunction.call(batch.features(), batch.labels());
          }
          Map<String, Double> batchLogs = new LazyLogs(compiled.all());
          callbacks.forEach(c -> c.onTrainBatchEnd(s, batchLogs));
        }
      }
      Map<String, Double> epochLogs = new LinkedHashMap<>(Metric.results(compiled.all()));
      if (validation != null) {
        evaluate(validation).forEach((key, value) -> epochLogs.put("val_" + key, value));
      }
      callbacks.forEach(c -> c.onEpochEnd(e, epochLogs));
      logs = epochLogs;
    }
    return logs;
  }

  Map<String, Double> evaluate(Dataset data) {
    requireBatched(data, "evaluation");
    resetMetrics();
    for (Batch batch : data) {
      try (batch) {
        testFunction.call(batch.features(), batch.labels());
      }
    }
    return Metric.results(compiled.all());
  }

  private void resetMetrics() {
    compiled.all().forEach(Metric::resetState);
  }

  private static void requireBatched(Dataset data, String what) {
    if (!data.isBatched()) {
      throw new IllegalArgumentException(
          "The " + what + " dataset must be batched: call .batch(32) on it, received " + data + ".");
    }
  }

  /** Batch logs fetched from the session only if a callback reads them. */
  private static final class LazyLogs extends AbstractMap<String, Double> {
    private final List<Metric> metrics;
    private Map<String, Double> values;

    LazyLogs(List<Metric> metrics) {
      this.metrics = metrics;
    }

    @Override
    public Set<Entry<String, Double>> entrySet() {
      if (values == null) {
        values = Metric.results(metrics);
      }
      return values.entrySet();
    }
  }
}
