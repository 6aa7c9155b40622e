package dev.tfkeras.models;

import dev.tfkeras.losses.Loss;
import dev.tfkeras.metrics.Mean;
import dev.tfkeras.metrics.Metric;
import dev.tfkeras.metrics.PredictionMetric;
import dev.tfkeras.optimizers.Optimizer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** What {@code compile} configured: the optimizer, the loss and the metrics that fit reports. */
record Compiled(Optimizer optimizer, Loss loss, List<PredictionMetric> metrics, Mean lossTracker) {

  Compiled {
    Objects.requireNonNull(optimizer, "optimizer");
    Objects.requireNonNull(loss, "loss");
    metrics = List.copyOf(metrics);
    Set<String> names = new HashSet<>(Set.of(lossTracker.name()));
    for (PredictionMetric metric : metrics) {
      if (!names.add(metric.name())) {
        throw new IllegalArgumentException(
            "Two compiled metrics are named '" + metric.name() + "'; give each metric a distinct"
                + " name (the key of its value in the logs).");
      }
    }
  }

  /** The loss tracker then the metrics, in log order. */
  List<Metric> all() {
    List<Metric> all = new ArrayList<>();
    all.add(lossTracker);
    all.addAll(metrics);
    return all;
  }
}
