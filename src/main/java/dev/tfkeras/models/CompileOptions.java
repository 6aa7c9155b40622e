package dev.tfkeras.models;

import dev.tfkeras.losses.Loss;
import dev.tfkeras.losses.Losses;
import dev.tfkeras.metrics.Metrics;
import dev.tfkeras.metrics.PredictionMetric;
import dev.tfkeras.optimizers.Optimizer;
import dev.tfkeras.optimizers.Optimizers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Keras's keyword arguments of {@code compile}, with Keras's defaults, as a fluent object:
 *
 * <pre>{@code
 * model.compile(new CompileOptions().optimizer(new Adam()).loss(new MeanSquaredError())
 *     .metrics(new MeanAbsoluteError()).weightedMetrics(new MeanAbsoluteError()));
 * model.compile(new CompileOptions().optimizer("adam")
 *     .loss(Map.of("priority", new BinaryCrossentropy(), "department", new CategoricalCrossentropy()))
 *     .weightedMetrics(Map.of("priority", List.of(new BinaryAccuracy()))));
 * }</pre>
 *
 * <p>{@code metrics} ignore the sample weights (and class weights) given to {@code fit} and
 * {@code evaluate}; {@code weightedMetrics} are updated with them, as Keras's {@code
 * weighted_metrics}. Without sample weights both see the same values. In the logs, a weighted
 * metric whose name a metric already has is {@code weighted_<name>} ({@code mae} and {@code
 * weighted_mae}), as Keras names it.
 *
 * <p>Each per-output argument is one of: a flat list (a loss for every output; metrics, all for
 * the only output or one per output as Keras's), a list with one entry per output (in output
 * order), or a map keyed by output names (which needs a built model whose
 * outputs have names). {@code compile} reads the options when called; changing them afterwards
 * affects later calls only.
 */
public final class CompileOptions {

  private Optimizer optimizer;
  private Object loss; // List<Loss> per output (one for all) or Map<String, Loss>
  private Object lossWeights; // List<Float> or Map<String, Number>
  private Object metrics; // Flat, List<List<PredictionMetric>> or Map<String, List<PredictionMetric>>
  private Object weightedMetrics;

  /** A flat list of metrics, as Keras's {@code metrics=[...]}: spread over the outputs by compile. */
  private record Flat(List<PredictionMetric> metrics) {}

  /** The optimizer (default: a new {@code RMSprop}, Keras's {@code "rmsprop"}). */
  public CompileOptions optimizer(Optimizer optimizer) {
    this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
    return this;
  }

  /** The optimizer by Keras's identifier ({@code "adam"}, {@code "sgd"}...). */
  public CompileOptions optimizer(String identifier) {
    return optimizer(Optimizers.get(identifier));
  }

  /** One loss for every output. */
  public CompileOptions loss(Loss loss) {
    this.loss = List.of(Objects.requireNonNull(loss, "loss"));
    return this;
  }

  /** One loss for every output, by Keras's identifier ({@code "mse"}...). */
  public CompileOptions loss(String identifier) {
    return loss(Losses.get(identifier));
  }

  /** One loss per output, in output order. */
  public CompileOptions loss(List<? extends Loss> losses) {
    losses.forEach(l -> Objects.requireNonNull(l, "loss"));
    this.loss = List.copyOf(losses);
    return this;
  }

  /** One loss per output, keyed by output name; every output needs one. */
  public CompileOptions loss(Map<String, ? extends Loss> losses) {
    this.loss = new LinkedHashMap<>(losses);
    return this;
  }

  /** The weight of each output's loss in the total, in output order (default: all 1). */
  public CompileOptions lossWeights(List<? extends Number> weights) {
    this.lossWeights = weights.stream().map(Number::floatValue).toList();
    return this;
  }

  /** The weight of each output's loss in the total, keyed by output name; a missing one is 1. */
  public CompileOptions lossWeights(Map<String, ? extends Number> weights) {
    this.lossWeights = new LinkedHashMap<>(weights);
    return this;
  }

  /**
   * A flat list of metrics, updated without sample weights, as Keras's {@code metrics=[...]}: all
   * of them for a model with one output; with several outputs, one metric per output in output
   * order (a list of another length is refused at the first step, as Keras refuses it).
   */
  public CompileOptions metrics(PredictionMetric... metrics) {
    this.metrics = new Flat(List.of(metrics));
    return this;
  }

  /** {@link #metrics(PredictionMetric...)} by Keras's identifiers ({@code "mae"}, {@code "accuracy"}...). */
  public CompileOptions metrics(String... identifiers) {
    return metrics(resolve(identifiers));
  }

  /** Metrics of each output, in output order ({@code metrics=[[...], [...]]}). */
  public CompileOptions metrics(List<? extends List<? extends PredictionMetric>> perOutput) {
    this.metrics = copy(perOutput);
    return this;
  }

  /** Metrics keyed by output name; an output not named has none. */
  public CompileOptions metrics(Map<String, ? extends List<? extends PredictionMetric>> byOutput) {
    this.metrics = new LinkedHashMap<>(byOutput);
    return this;
  }

  /**
   * A flat list of metrics updated with the sample weights, as Keras's {@code
   * weighted_metrics=[...]}: spread over the outputs as {@link #metrics(PredictionMetric...)}.
   */
  public CompileOptions weightedMetrics(PredictionMetric... metrics) {
    this.weightedMetrics = new Flat(List.of(metrics));
    return this;
  }

  /** {@link #weightedMetrics(PredictionMetric...)} by Keras's identifiers. */
  public CompileOptions weightedMetrics(String... identifiers) {
    return weightedMetrics(resolve(identifiers));
  }

  /** Weighted metrics of each output, in output order. */
  public CompileOptions weightedMetrics(List<? extends List<? extends PredictionMetric>> perOutput) {
    this.weightedMetrics = copy(perOutput);
    return this;
  }

  /** Weighted metrics keyed by output name; an output not named has none. */
  public CompileOptions weightedMetrics(Map<String, ? extends List<? extends PredictionMetric>> byOutput) {
    this.weightedMetrics = new LinkedHashMap<>(byOutput);
    return this;
  }

  private static PredictionMetric[] resolve(String... identifiers) {
    return Arrays.stream(identifiers).map(Metrics::get).toArray(PredictionMetric[]::new);
  }

  private static List<List<PredictionMetric>> copy(List<? extends List<? extends PredictionMetric>> perOutput) {
    List<List<PredictionMetric>> out = new ArrayList<>();
    for (List<? extends PredictionMetric> metrics : perOutput) {
      out.add(List.copyOf(metrics));
    }
    return List.copyOf(out);
  }

  /** Whether an argument is keyed by output names, which compile can only read on a built model. */
  boolean keyedByOutput() {
    return loss instanceof Map || lossWeights instanceof Map || metrics instanceof Map
        || weightedMetrics instanceof Map;
  }

  /** The optimizer to compile with: the one given, else a new RMSprop. */
  Optimizer optimizerToUse() {
    return optimizer != null ? optimizer : Optimizers.get("rmsprop");
  }

  /** The losses in output order (one for all, or none), given the model's output names. */
  @SuppressWarnings("unchecked")
  List<Loss> lossesFor(List<String> outputs) {
    if (loss instanceof Map<?, ?> map) {
      return NamedData.ordered((Map<String, Loss>) map, outputs, "output");
    }
    return loss == null ? List.of() : (List<Loss>) loss;
  }

  /** The loss weights in output order, or null (all 1). */
  @SuppressWarnings("unchecked")
  List<Float> lossWeightsFor(List<String> outputs) {
    if (lossWeights instanceof Map<?, ?> map) {
      if (map.isEmpty()) {
        return null;
      }
      return byOutput((Map<String, Number>) map, outputs, 1f).stream().map(Number::floatValue).toList();
    }
    return (List<Float>) lossWeights;
  }

  /** The metrics of each output. */
  List<List<PredictionMetric>> metricsFor(List<String> outputs) {
    return perOutput(metrics, outputs);
  }

  /** The weighted metrics of each output. */
  List<List<PredictionMetric>> weightedMetricsFor(List<String> outputs) {
    return perOutput(weightedMetrics, outputs);
  }

  /** Whether {@code metrics} is a flat list, which compile spreads over the outputs. */
  boolean metricsFlat() {
    return metrics instanceof Flat;
  }

  /** Whether {@code weightedMetrics} is a flat list. */
  boolean weightedMetricsFlat() {
    return weightedMetrics instanceof Flat;
  }

  @SuppressWarnings("unchecked")
  private static List<List<PredictionMetric>> perOutput(Object metrics, List<String> outputs) {
    if (metrics instanceof Flat flat) {
      return List.of(flat.metrics());
    }
    if (metrics instanceof Map<?, ?> map) {
      return copy(byOutput((Map<String, List<? extends PredictionMetric>>) map, outputs, List.of()));
    }
    return metrics == null ? List.of() : (List<List<PredictionMetric>>) metrics;
  }

  /** The values of {@code map} in output order, {@code fill} for an output it does not name. */
  private static <V> List<V> byOutput(Map<String, ? extends V> map, List<String> outputs, V fill) {
    Map<String, V> all = new LinkedHashMap<>(map);
    outputs.forEach(n -> all.putIfAbsent(n, fill));
    return NamedData.ordered(all, outputs, "output");
  }
}
