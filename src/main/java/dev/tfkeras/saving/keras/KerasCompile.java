package dev.tfkeras.saving.keras;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.tfkeras.losses.Loss;
import dev.tfkeras.losses.Losses;
import dev.tfkeras.metrics.Metric;
import dev.tfkeras.metrics.Metrics;
import dev.tfkeras.metrics.PredictionMetric;
import dev.tfkeras.models.CompileConfig;
import dev.tfkeras.models.CompileOptions;
import dev.tfkeras.models.Model;
import dev.tfkeras.optimizers.Optimizer;
import dev.tfkeras.saving.Config;
import dev.tfkeras.saving.CustomObjects;
import dev.tfkeras.saving.Serialization;
import java.util.ArrayList;
import java.util.List;

/**
 * Keras 3's {@code compile_config} (trainer.py {@code get_compile_config}/{@code
 * compile_from_config}): the optimizer, the loss(es) and the metrics, each written and read through
 * its class's {@code getConfig}/{@code fromConfig} ({@link Serialization}), so that each class's
 * keys live in one place. As Keras keeps what {@code compile} was given, a loss or metric equal to
 * what its Keras identifier gives is written as that identifier ({@code "mae"}, {@code
 * "accuracy"}), any other as its serialized config.
 */
final class KerasCompile {

  /**
   * Keys of tf.keras 2.11+'s optimizers (in {@code training_config} of legacy files) that do not
   * change the update: tfkeras reads past them, as tf.keras 2 itself did.
   */
  private static final String[] TF_KERAS_OPTIMIZER_KEYS = {"is_legacy_optimizer", "jit_compile"};

  private KerasCompile() {}

  /** The compile config of {@code config}, as Keras writes it. */
  static JsonObject write(CompileConfig config) {
    Config out = new Config();
    out.put("optimizer", config.optimizer());
    List<Loss> losses = config.losses();
    out.put("loss", losses.isEmpty() ? null
        : losses.size() == 1 ? loss(losses.get(0)) : losses.stream().map(KerasCompile::loss).toList());
    out.put("loss_weights", config.lossWeights());
    out.put("metrics", metricsConfig(config.metrics()));
    out.put("weighted_metrics", metricsConfig(config.weightedMetrics()));
    out.put("run_eagerly", false);
    out.put("steps_per_execution", 1);
    out.put("jit_compile", false);
    return JsonParser.parseString(out.toJson()).getAsJsonObject();
  }

  /** Metrics as Keras writes them: null for none, a list for one output, else a list per output. */
  private static Object metricsConfig(List<List<PredictionMetric>> metrics) {
    if (metrics.stream().allMatch(List::isEmpty)) {
      return null;
    }
    return metrics.size() == 1 ? metrics(metrics.get(0)) : metrics.stream().map(KerasCompile::metrics).toList();
  }

  /** The identifier the loss came from if it is what that identifier gives, else the loss itself. */
  private static Object loss(Loss loss) {
    try {
      Loss byName = Losses.get(loss.name());
      if (byName.getClass() == loss.getClass() && byName.getConfig().equals(loss.getConfig())) {
        return loss.name();
      }
    } catch (IllegalArgumentException notAnIdentifier) {
      // written with its config
    }
    return loss;
  }

  private static List<Object> metrics(List<PredictionMetric> metrics) {
    return metrics.stream().map(KerasCompile::metric).toList();
  }

  /** As {@link #loss}: {@code "accuracy"} (which has no class of its own) is always its identifier. */
  private static Object metric(PredictionMetric metric) {
    PredictionMetric byName;
    try {
      byName = Metrics.get(metric.name());
    } catch (IllegalArgumentException notAnIdentifier) {
      return metric;
    }
    if (byName.getClass() != metric.getClass()) {
      return metric;
    }
    try {
      return byName.getConfig().equals(metric.getConfig()) ? metric.name() : metric;
    } catch (UnsupportedOperationException identifierOnly) {
      return metric.name();
    }
  }

  /**
   * Compiles {@code model} as {@code compile_config} says, read as Keras 3's {@code compile} reads
   * its arguments (compile_utils.py {@code CompileLoss.build}, {@code CompileMetrics}): {@code loss}
   * one for all outputs, a list with one per output, or a dict keyed by every output name; {@code
   * loss_weights} a number (one loss), a list, or a dict keyed by output names; {@code metrics} a
   * list (one output), a list with one entry (a metric or a list) per output, or a dict keyed by
   * some output names (the others get none); {@code weighted_metrics} as {@code metrics}.
   *
   * @throws IllegalArgumentException for a setting that does not fit the model's outputs
   */
  static void apply(Model model, JsonObject json) {
    Config config = Config.fromJson(json.toString()).describes("compile_config");
    Optimizer optimizer = readOptimizer(config.get("optimizer"));
    List<String> outputs = model.outputNames();
    List<Loss> losses = new ArrayList<>();
    Object loss = config.get("loss");
    if (loss instanceof List<?> list) {
      list.forEach(l -> losses.add(readLoss(l)));
    } else if (isDict(loss)) {
      Config byOutput = (Config) loss;
      if (!new java.util.HashSet<>(outputs).equals(byOutput.keys())) {
        throw new IllegalArgumentException(
            "compile_config: expected keys " + outputs + " in loss dict, but found loss.keys()="
                + List.copyOf(byOutput.keys()) + ". Save the model with a loss for every output, named as"
                + " its outputs.");
      }
      outputs.forEach(name -> losses.add(readLoss(byOutput.get(name))));
    } else if (loss != null) {
      losses.add(readLoss(loss));
    }
    List<Float> lossWeights = lossWeights(config.get("loss_weights"), outputs, losses.size());
    List<List<PredictionMetric>> metrics = metrics(config.get("metrics"), outputs, "metrics");
    List<List<PredictionMetric>> weighted = metrics(config.get("weighted_metrics"), outputs, "weighted_metrics");
    if (losses.isEmpty()) {
      model.compile(optimizer);
    } else {
      if (metrics.isEmpty()) {
        metrics.add(List.of());
      }
      CompileOptions options =
          new CompileOptions().optimizer(optimizer).loss(losses).metrics(metrics).weightedMetrics(weighted);
      if (lossWeights != null) {
        options.lossWeights(lossWeights);
      }
      model.compile(options);
    }
  }

  /** A JSON object that is a dict keyed by output names, not a serialized object. */
  private static boolean isDict(Object value) {
    return value instanceof Config c && !c.has("class_name");
  }

  /** {@code loss_weights} as one weight per loss, in output order; null when absent. */
  private static List<Float> lossWeights(Object weights, List<String> outputs, int losses) {
    if (weights == null) {
      return null;
    }
    List<Float> out = new ArrayList<>();
    if (weights instanceof Number single) {
      out.add(single.floatValue());
    } else if (weights instanceof List<?> list) {
      for (Object w : list) {
        out.add(weight(w, weights));
      }
    } else if (isDict(weights)) {
      Config byOutput = (Config) weights;
      for (String key : byOutput.keys()) {
        if (!outputs.contains(key)) {
          throw new IllegalArgumentException(
              "compile_config: loss_weights names '" + key + "', which is not an output of the model " + outputs
                  + ". Received: loss_weights=" + weights);
        }
      }
      for (String name : outputs) {
        if (!byOutput.has(name)) {
          throw new IllegalArgumentException(
              "compile_config: loss_weights has no weight for output '" + name + "' (Keras needs one per"
                  + " output when they are a dict). Received: loss_weights=" + weights);
        }
        out.add(weight(byOutput.get(name), weights));
      }
    } else {
      throw new IllegalArgumentException(
          "compile_config: loss_weights must be a number, a list or a dict of numbers by output name."
              + " Received: loss_weights=" + weights);
    }
    if (losses > 0 && out.size() != losses) {
      throw new IllegalArgumentException(
          "compile_config: `loss_weights` must match the number of losses, got " + losses + " losses and "
              + out.size() + " weights. Received: loss_weights=" + weights);
    }
    return out;
  }

  private static float weight(Object w, Object all) {
    if (w instanceof Number n) {
      return n.floatValue();
    }
    throw new IllegalArgumentException(
        "compile_config: each loss weight must be a number, received " + w + " in loss_weights=" + all);
  }

  /**
   * {@code metrics} as a list per output (one list for a model with one output), as Keras's
   * {@code CompileMetrics} reads them; empty when absent.
   */
  private static List<List<PredictionMetric>> metrics(Object m, List<String> outputs, String key) {
    List<List<PredictionMetric>> out = new ArrayList<>();
    if (m == null) {
      return out;
    }
    if (isDict(m)) {
      Config byOutput = (Config) m;
      if (!outputs.containsAll(byOutput.keys())) {
        throw new IllegalArgumentException(
            "compile_config: " + key + " names outputs " + List.copyOf(byOutput.keys()) + " but the model's"
                + " outputs are " + outputs + ". Received: " + key + "=" + m);
      }
      for (String name : outputs) {
        out.add(byOutput.has(name) ? readMetrics(asList(byOutput.get(name))) : List.of());
      }
      return out;
    }
    if (!(m instanceof List<?> list)) {
      throw new IllegalArgumentException(
          "compile_config: " + key + " must be a list, a list per output or a dict by output name. Received: "
              + key + "=" + m);
    }
    boolean nested = list.stream().anyMatch(e -> e instanceof List<?> || isDict(e));
    if (list.size() == outputs.size() && (outputs.size() > 1 || nested)) {
      list.forEach(perOutput -> out.add(readMetrics(asList(perOutput))));
    } else if (nested || outputs.size() > 1 && !list.isEmpty()) {
      throw new IllegalArgumentException(
          "compile_config: " + key + " should contain metrics objects and either be a dict or a list matching"
              + " the output names of the model " + outputs + ". Received: " + key + "=" + m);
    } else {
      out.add(readMetrics(list));
    }
    return out;
  }

  /** One metric or a list of them, as a list; null as none. */
  private static List<?> asList(Object metrics) {
    return metrics == null ? List.of() : metrics instanceof List<?> list ? list : List.of(metrics);
  }

  private static Optimizer readOptimizer(Object optimizer) {
    if (optimizer == null) {
      throw new IllegalArgumentException("compile_config has no optimizer.");
    }
    if (optimizer instanceof Config serialized && serialized.getConfig("config") != null) {
      Config inner = serialized.getConfig("config");
      for (String key : TF_KERAS_OPTIMIZER_KEYS) {
        inner.remove(key);
      }
      serialized = serialized.copy().put("config", inner);
      optimizer = serialized;
    }
    return Serialization.deserialize(optimizer, Optimizer.class);
  }

  /**
   * A function as Keras serializes one ({@code {"module": "keras.losses", "class_name": "function",
   * "config": "mean_absolute_error", ...}}, for {@code compile(loss=keras.losses.mean_absolute_error)})
   * as its name, which is also its identifier; anything else unchanged.
   */
  private static Object functionAsIdentifier(Object serialized) {
    if (serialized instanceof Config c && "function".equals(c.getString("class_name", null))
        && c.get("config") instanceof String name) {
      return name;
    }
    return serialized;
  }

  private static Loss readLoss(Object serialized) {
    Object loss = functionAsIdentifier(serialized);
    if (loss instanceof String || loss instanceof Config) {
      return Serialization.deserialize(loss, Loss.class);
    }
    throw new IllegalArgumentException(
        "compile_config: loss " + loss + " is not read yet (a loss identifier or a serialized loss is).");
  }

  private static List<PredictionMetric> readMetrics(Object metrics) {
    List<PredictionMetric> out = new ArrayList<>();
    for (Object entry : (List<?>) metrics) {
      Object metric = functionAsIdentifier(entry);
      if (metric instanceof String identifier) {
        out.add(Metrics.get(identifier));
      } else if (metric instanceof Config serialized) {
        out.add(serializedMetric(serialized));
      } else {
        throw new IllegalArgumentException(
            "compile_config: metric " + metric + " is not read yet (identifiers and serialized metrics are).");
      }
    }
    return out;
  }

  /**
   * A serialized metric: a class tfkeras has (or a registered one) through its {@code fromConfig};
   * else as tf.keras 2 writes a metric function in {@code training_config} ({@code
   * {"class_name": "MeanMetricWrapper", "config": {"name": "accuracy", "fn":
   * "sparse_categorical_accuracy"}}}): by its name, else its function, else its class.
   */
  private static PredictionMetric serializedMetric(Config metric) {
    String className = metric.getString("class_name", null);
    String registered = metric.getString("registered_name", null);
    if (Metrics.factory(className) != null || CustomObjects.get(registered) != null || CustomObjects.get(className) != null) {
      Metric built = Serialization.deserialize(metric, Metric.class);
      if (!(built instanceof PredictionMetric prediction)) {
        throw new IllegalArgumentException(
            "compile_config: metric '" + built.name() + "' (" + className + ") takes values, not labels and"
                + " predictions, so it cannot be a compiled metric.");
      }
      return prediction;
    }
    Config config = metric.has("config") ? metric.getConfig("config") : new Config();
    List<String> candidates = new ArrayList<>();
    for (Object candidate : new Object[] {config.get("name"), config.get("fn"), className}) {
      if (candidate instanceof String s) {
        candidates.add(s);
      }
    }
    for (String candidate : candidates) {
      try {
        return Metrics.get(candidate);
      } catch (IllegalArgumentException unknown) {
        // try the next
      }
    }
    throw new IllegalArgumentException(
        "compile_config: metric " + metric + " is not one tfkeras knows by its class, name or function " + candidates + ".");
  }
}
