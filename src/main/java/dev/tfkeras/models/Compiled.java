package dev.tfkeras.models;

import dev.tfkeras.losses.Loss;
import dev.tfkeras.metrics.Mean;
import dev.tfkeras.metrics.Metric;
import dev.tfkeras.metrics.PredictionMetric;
import dev.tfkeras.optimizers.Optimizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@code compile} configured: the optimizer, a loss (one for every output, or one per
 * output with a weight each; none for a model whose {@code trainStep} computes its own), the
 * metrics and weighted metrics of each output, and the trackers of the loss values that fit
 * reports. With several outputs the logs hold {@code loss} (the weighted total), then per output
 * {@code <output>_loss} and {@code <output>_<metric>}, as Keras names them. Weighted metrics come
 * after the others. A metric whose name was used before is logged as {@code <metric>_1}, {@code
 * <metric>_2}..., a weighted one as {@code weighted_<metric>}, as Keras's {@code
 * CompileMetrics.result} names them.
 */
final class Compiled {

  private final Optimizer optimizer;
  private final List<Loss> losses;
  private final List<Float> lossWeights;
  private List<List<PredictionMetric>> metrics;
  private List<List<PredictionMetric>> weightedMetrics;
  private final boolean flatMetrics;
  private final boolean flatWeightedMetrics;
  private final Mean lossTracker = new Mean("loss");
  private List<String> outputNames;
  private List<Mean> outputLossTrackers = List.of();

  /**
   * {@code flatMetrics} and {@code flatWeightedMetrics} say that {@code metrics} (or {@code
   * weightedMetrics}) is Keras's flat list, given as one list: spread one metric per output over a
   * model with several, when its outputs are known.
   */
  Compiled(
      Optimizer optimizer, List<Loss> losses, List<Float> lossWeights, List<List<PredictionMetric>> metrics,
      List<List<PredictionMetric>> weightedMetrics, boolean flatMetrics, boolean flatWeightedMetrics) {
    this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
    losses.forEach(l -> Objects.requireNonNull(l, "loss"));
    this.losses = List.copyOf(losses);
    if (lossWeights != null && lossWeights.size() != losses.size()) {
      throw new IllegalArgumentException(
          "Expected one loss weight per loss (" + losses.size() + "), received " + lossWeights.size() + ".");
    }
    this.lossWeights = lossWeights == null ? null : List.copyOf(lossWeights);
    this.metrics = copy(metrics);
    this.weightedMetrics = copy(weightedMetrics);
    this.flatMetrics = flatMetrics;
    this.flatWeightedMetrics = flatWeightedMetrics;
    checkDistinctObjects();
    if (this.metrics.size() <= 1 && this.weightedMetrics.size() <= 1) {
      checkDistinctNames(); // one output's metrics share no prefix: check their names now
    }
  }

  private static List<List<PredictionMetric>> copy(List<List<PredictionMetric>> metrics) {
    List<List<PredictionMetric>> copy = new ArrayList<>();
    for (List<PredictionMetric> perOutput : metrics) {
      copy.add(List.copyOf(perOutput));
    }
    return List.copyOf(copy);
  }

  /**
   * Refuses one metric object given twice (in both lists, or twice in one): it would count each
   * batch twice and hold one result under two log names.
   */
  private void checkDistinctObjects() {
    java.util.Set<Metric> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    for (List<List<PredictionMetric>> list : List.of(metrics, weightedMetrics)) {
      for (List<PredictionMetric> perOutput : list) {
        for (PredictionMetric metric : perOutput) {
          if (!seen.add(metric)) {
            throw new IllegalArgumentException(
                "The metric object '" + metric.name() + "' was given to compile twice (in metrics and"
                    + " weightedMetrics, or twice in one of them); a metric object accumulates one series"
                    + " of batches. Pass a new instance for each place, e.g. new MeanSquaredError() in"
                    + " metrics and another in weightedMetrics.");
          }
        }
      }
    }
  }

  CompileConfig config() {
    return new CompileConfig(optimizer, losses, lossWeights, metrics, weightedMetrics);
  }

  Optimizer optimizer() {
    return optimizer;
  }

  /** Whether {@code compile} was given a loss; without one, {@code trainStep} computes its own. */
  boolean hasLoss() {
    return !losses.isEmpty();
  }

  /** The one loss of a single-output model. */
  Loss loss() {
    if (losses.isEmpty()) {
      throw new IllegalStateException(
          "This model was compiled without a loss (compile(optimizer)); pass one to compile, e.g."
              + " compile(optimizer, new MeanSquaredError()), or compute the loss in trainStep.");
    }
    if (losses.size() != 1) {
      throw new IllegalStateException(
          "This model was compiled with " + losses.size() + " losses, one per output; override"
              + " computeLoss rather than reading a single compiled loss.");
    }
    return losses.get(0);
  }

  /** Loss of output {@code i}: its own, or the one loss given for every output. */
  Loss loss(int i) {
    return losses.size() == 1 ? losses.get(0) : losses.get(i);
  }

  float lossWeight(int i) {
    return lossWeights == null ? 1f : lossWeights.get(i);
  }

  /** The metrics of output {@code i}, updated without sample weights, as Keras's {@code metrics}. */
  List<PredictionMetric> metrics(int output) {
    return output < metrics.size() ? metrics.get(output) : List.of();
  }

  /** The weighted metrics of output {@code i}, updated with the data's sample weights. */
  List<PredictionMetric> weightedMetrics(int output) {
    return output < weightedMetrics.size() ? weightedMetrics.get(output) : List.of();
  }

  Mean lossTracker() {
    return lossTracker;
  }

  /** Tracker of output {@code i}'s own loss, or null for a single output. */
  Mean outputLossTracker(int i) {
    return outputLossTrackers.isEmpty() ? null : outputLossTrackers.get(i);
  }

  /**
   * Fixes the output names when the model's outputs are first known (at the first traced step),
   * checking that the losses and metrics fit their number.
   */
  void bindOutputs(List<String> names) {
    if (outputNames != null) {
      if (outputNames.size() != names.size()) {
        throw new IllegalStateException(
            "The model's number of outputs changed from " + outputNames.size() + " to " + names.size()
                + "; compile again for the new model.");
      }
      return;
    }
    if (losses.size() > 1 && losses.size() != names.size()) {
      throw new IllegalArgumentException(
          "The model has " + names.size() + " outputs " + names + " but was compiled with "
              + losses.size() + " losses; give one loss per output, or one loss for all.");
    }
    if (names.size() > 1) {
      metrics = flatMetrics ? spread(metrics, names, "metrics") : metrics;
      weightedMetrics = flatWeightedMetrics ? spread(weightedMetrics, names, "weighted_metrics") : weightedMetrics;
    }
    if (metrics.size() > names.size() || weightedMetrics.size() > names.size()) {
      boolean weighted = weightedMetrics.size() > names.size();
      throw new IllegalArgumentException(
          "The model has " + names.size() + " outputs but was compiled with " + (weighted ? "weightedMetrics" : "metrics")
              + " for " + (weighted ? weightedMetrics : metrics).size() + "; give at most one list per output.");
    }
    outputNames = names.size() == 1 ? List.of("") : List.copyOf(names);
    if (names.size() > 1 && hasLoss()) {
      List<Mean> trackers = new ArrayList<>();
      for (String name : names) {
        trackers.add(new Mean(name + "_loss"));
      }
      outputLossTrackers = List.copyOf(trackers);
    }
    checkDistinctNames();
  }

  /**
   * Keras's flat list on several outputs ({@code _build_metrics_set}): one metric per output, in
   * output order; an empty list is none; another length is Keras's ValueError.
   */
  private static List<List<PredictionMetric>> spread(
      List<List<PredictionMetric>> flat, List<String> outputs, String argument) {
    List<PredictionMetric> all = flat.isEmpty() ? List.of() : flat.get(0);
    if (all.isEmpty()) {
      return List.of();
    }
    if (all.size() == outputs.size()) {
      return all.stream().map(List::of).toList();
    }
    List<String> names = all.stream().map(m -> "'" + m.name() + "'").toList();
    String tuple = "(" + String.join(", ", names) + (names.size() == 1 ? "," : "") + ")";
    String received = "[" + String.join(", ", names) + "]";
    String outputNames = "[" + String.join(", ", outputs.stream().map(n -> "'" + n + "'").toList()) + "]";
    String structure = "[" + String.join(", ", java.util.Collections.nCopies(outputs.size(), "'X'")) + "]";
    throw new IllegalArgumentException(
        "tuple arity mismatch; expected: " + outputs.size() + ", got: " + all.size() + "; tuple: " + tuple
            + ".\nInvalid `" + argument + "`. `" + argument + "` should contain metrics objects and either be"
            + " a dict or a list matching the output names of the functional model " + outputNames
            + " or match the output structure of the model: " + structure + ".\nReceived: " + argument + "="
            + received + "\nA model with " + outputs.size() + " outputs takes one metric per output in a flat"
            + " list; give " + outputs.size() + ", a list per output (metrics(List.of(List.of(...), ...))),"
            + " or a map keyed by output name.");
  }

  private void checkDistinctNames() {
    logNames(); // throws on a duplicate log name
  }

  /**
   * Log name to metric, in log order: loss, per-output losses, each output's metrics, then each
   * output's weighted metrics, as Keras's {@code CompileMetrics.result} names them: a metric whose
   * name was already used is {@code <name>_1}, then {@code <name>_2}...; a weighted metric whose
   * name is taken is {@code weighted_<name>} (then {@code weighted_<name>_1}...). A metric named
   * as a loss (or a renamed one landing on a name taken) is refused.
   */
  private Map<String, Metric> logNames() {
    Map<String, Metric> named = new LinkedHashMap<>();
    List<String> keys = new ArrayList<>();
    List<Metric> values = new ArrayList<>();
    keys.add(lossTracker.name());
    values.add(lossTracker);
    for (Mean tracker : outputLossTrackers) {
      keys.add(tracker.name());
      values.add(tracker);
    }
    for (int i = 0; i < keys.size(); i++) {
      named.put(keys.get(i), values.get(i));
    }
    Map<String, Integer> counters = new java.util.HashMap<>();
    for (int o = 0; o < metrics.size(); o++) {
      String prefix = prefix(o);
      for (PredictionMetric metric : metrics.get(o)) {
        String name = prefix + metric.name();
        Integer index = counters.get(name);
        counters.put(name, index == null ? 1 : index + 1);
        if (index != null) {
          name = name + "_" + index;
        }
        if (named.putIfAbsent(name, metric) != null) {
          throw new IllegalArgumentException(
              "Two compiled metrics are named '" + name + "'; give each metric a distinct"
                  + " name (the key of its value in the logs).");
        }
      }
    }
    keys.forEach(loss -> counters.putIfAbsent(loss, 1)); // a weighted metric named as a loss is weighted_<name>
    for (int o = 0; o < weightedMetrics.size(); o++) {
      String prefix = prefix(o);
      for (PredictionMetric metric : weightedMetrics.get(o)) {
        String name = prefix + metric.name();
        if (!counters.containsKey(name)) {
          counters.put(name, 1);
        } else {
          name = prefix + "weighted_" + metric.name();
          Integer index = counters.get(name);
          counters.put(name, index == null ? 1 : index + 1);
          if (index != null) {
            name = name + "_" + index;
          }
        }
        if (named.putIfAbsent(name, metric) != null) {
          throw new IllegalArgumentException(
              "Two compiled metrics are named '" + name + "'; give each weighted metric a distinct"
                  + " name (the key of its value in the logs).");
        }
      }
    }
    return named;
  }

  /** {@code <output>_} for output {@code o} of several, else nothing. */
  private String prefix(int o) {
    return outputNames == null || outputNames.get(o).isEmpty() ? "" : outputNames.get(o) + "_";
  }

  /** Every tracked metric, in log order: Keras's compiled part of {@code model.metrics}. */
  List<Metric> all() {
    return List.copyOf(logNames().values());
  }

  /**
   * The log name of a compiled metric ({@code <output>_<metric>} with several outputs), or null
   * for a metric that compile did not configure.
   */
  String logName(Metric metric) {
    for (Map.Entry<String, Metric> entry : logNames().entrySet()) {
      if (entry.getValue() == metric) {
        return entry.getKey();
      }
    }
    return null;
  }
}
