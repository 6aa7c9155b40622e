package dev.tfkeras.saving.keras;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import dev.tfkeras.losses.BinaryCrossentropy;
import dev.tfkeras.losses.CategoricalCrossentropy;
import dev.tfkeras.losses.Loss;
import dev.tfkeras.losses.Losses;
import dev.tfkeras.losses.SparseCategoricalCrossentropy;
import dev.tfkeras.metrics.Metrics;
import dev.tfkeras.metrics.PredictionMetric;
import dev.tfkeras.models.CompileConfig;
import dev.tfkeras.models.Model;
import dev.tfkeras.optimizers.Adam;
import dev.tfkeras.optimizers.AdamW;
import dev.tfkeras.optimizers.Optimizer;
import dev.tfkeras.optimizers.Optimizers;
import dev.tfkeras.optimizers.RMSprop;
import dev.tfkeras.optimizers.SGD;
import java.util.ArrayList;
import java.util.List;

/**
 * Keras 3's {@code compile_config} (trainer.py {@code get_compile_config}/{@code
 * compile_from_config}): the optimizer serialized with its config (Adam, AdamW, SGD, RMSprop),
 * the loss and metrics by Keras's identifiers (a crossentropy on logits as its class with {@code
 * from_logits}), the loss weights.
 */
final class KerasCompile {

  private KerasCompile() {}

  /** The compile config of {@code config}, as Keras writes it. */
  static JsonObject write(CompileConfig config) {
    JsonObject out = new JsonObject();
    out.add("optimizer", optimizer(config.optimizer()));
    List<Loss> losses = config.losses();
    out.add("loss", losses.isEmpty() ? JsonNull.INSTANCE
        : losses.size() == 1 ? loss(losses.get(0)) : list(losses.stream().map(KerasCompile::loss).toList()));
    if (config.lossWeights() == null) {
      out.add("loss_weights", JsonNull.INSTANCE);
    } else {
      JsonArray weights = new JsonArray();
      config.lossWeights().forEach(weights::add);
      out.add("loss_weights", weights);
    }
    List<List<PredictionMetric>> metrics = config.metrics();
    if (metrics.stream().allMatch(List::isEmpty)) {
      out.add("metrics", JsonNull.INSTANCE);
    } else if (metrics.size() == 1) {
      out.add("metrics", metricNames(metrics.get(0)));
    } else {
      out.add("metrics", list(metrics.stream().map(m -> (JsonElement) metricNames(m)).toList()));
    }
    out.add("weighted_metrics", JsonNull.INSTANCE);
    out.addProperty("run_eagerly", false);
    out.addProperty("steps_per_execution", 1);
    out.addProperty("jit_compile", false);
    return out;
  }

  private static JsonArray list(List<JsonElement> elements) {
    JsonArray out = new JsonArray();
    elements.forEach(out::add);
    return out;
  }

  private static JsonObject optimizer(Optimizer optimizer) {
    if (optimizer.learningRateSchedule().isPresent()) {
      throw new IllegalArgumentException(
          "Optimizer '" + optimizer.name() + "' takes its learning rate from a schedule, which tfkeras"
              + " does not write to Keras files yet.");
    }
    JsonObject c = new JsonObject();
    c.addProperty("name", optimizer.name());
    // Keras reads it from the float32 variable: 1e-3 is written 0.0010000000474974513
    c.addProperty("learning_rate", (double) optimizer.learningRate());
    c.add("weight_decay", optimizer.weightDecay().<JsonElement>map(w -> new com.google.gson.JsonPrimitive(w)).orElse(JsonNull.INSTANCE));
    for (String key : new String[] {"clipnorm", "global_clipnorm", "clipvalue"}) {
      c.add(key, JsonNull.INSTANCE);
    }
    c.addProperty("use_ema", false);
    c.addProperty("ema_momentum", 0.99);
    c.add("ema_overwrite_frequency", JsonNull.INSTANCE);
    c.add("loss_scale_factor", JsonNull.INSTANCE);
    c.add("gradient_accumulation_steps", JsonNull.INSTANCE);
    String className;
    if (optimizer instanceof Adam adam) {
        className = adam instanceof AdamW ? "AdamW" : "Adam";
        c.addProperty("beta_1", adam.beta1());
        c.addProperty("beta_2", adam.beta2());
        c.addProperty("epsilon", adam.epsilon());
        c.addProperty("amsgrad", adam.amsgrad());
    } else if (optimizer instanceof SGD sgd) {
        className = "SGD";
        c.addProperty("momentum", sgd.momentum());
        c.addProperty("nesterov", sgd.nesterov());
    } else if (optimizer instanceof RMSprop rms) {
        className = "RMSprop";
        c.addProperty("rho", rms.rho());
        c.addProperty("momentum", rms.momentum());
        c.addProperty("epsilon", rms.epsilon());
        c.addProperty("centered", rms.centered());
    } else {
        throw new IllegalArgumentException(
          "Optimizer '" + optimizer.name() + "' (" + optimizer.getClass().getSimpleName() + ") is not"
              + " written to Keras files yet: Adam, AdamW, SGD and RMSprop are.");
    }
    JsonObject out = new JsonObject();
    out.addProperty("module", "keras.optimizers");
    out.addProperty("class_name", className);
    out.add("config", c);
    out.add("registered_name", JsonNull.INSTANCE);
    return out;
  }

  private static JsonElement loss(Loss loss) {
    boolean fromLogits =
        loss instanceof SparseCategoricalCrossentropy s && s.fromLogits()
            || loss instanceof CategoricalCrossentropy c && c.fromLogits()
            || loss instanceof BinaryCrossentropy b && b.fromLogits();
    Losses.get(loss.name()); // throws for a loss Keras cannot name
    if (!fromLogits) {
      return new com.google.gson.JsonPrimitive(loss.name());
    }
    JsonObject config = new JsonObject();
    config.addProperty("name", loss.name());
    config.addProperty("from_logits", true);
    JsonObject out = new JsonObject();
    out.addProperty("module", "keras.losses");
    out.addProperty("class_name", loss.getClass().getSimpleName());
    out.add("config", config);
    out.add("registered_name", JsonNull.INSTANCE);
    return out;
  }

  private static JsonArray metricNames(List<PredictionMetric> metrics) {
    JsonArray out = new JsonArray();
    for (PredictionMetric metric : metrics) {
      Metrics.get(metric.name()); // throws for a metric Keras cannot name
      out.add(metric.name());
    }
    return out;
  }

  /** Compiles {@code model} as {@code compile_config} says. */
  static void apply(Model model, JsonObject config) {
    Optimizer optimizer = readOptimizer(config.get("optimizer"));
    List<Loss> losses = new ArrayList<>();
    JsonElement loss = config.get("loss");
    if (loss != null && !loss.isJsonNull()) {
      if (loss.isJsonArray()) {
        loss.getAsJsonArray().forEach(l -> losses.add(readLoss(l)));
      } else {
        losses.add(readLoss(loss));
      }
    }
    List<Float> lossWeights = null;
    JsonElement weights = config.get("loss_weights");
    if (weights != null && weights.isJsonArray()) {
      lossWeights = new ArrayList<>();
      for (JsonElement w : weights.getAsJsonArray()) {
        lossWeights.add(w.getAsFloat());
      }
    } else if (weights != null && !weights.isJsonNull()) {
      throw new IllegalArgumentException("compile_config: loss_weights " + weights + " is not read yet (a list is).");
    }
    List<List<PredictionMetric>> metrics = new ArrayList<>();
    JsonElement m = config.get("metrics");
    if (m != null && m.isJsonArray()) {
      JsonArray array = m.getAsJsonArray();
      if (!array.isEmpty() && array.get(0).isJsonArray()) {
        array.forEach(perOutput -> metrics.add(readMetrics(perOutput.getAsJsonArray())));
      } else {
        metrics.add(readMetrics(array));
      }
    } else if (m != null && !m.isJsonNull()) {
      throw new IllegalArgumentException("compile_config: metrics " + m + " are not read yet (a list of names is).");
    }
    JsonElement weighted = config.get("weighted_metrics");
    if (weighted != null && !weighted.isJsonNull() && !(weighted.isJsonArray() && weighted.getAsJsonArray().isEmpty())) {
      throw new IllegalArgumentException("compile_config: weighted_metrics " + weighted + " are not read yet.");
    }
    if (losses.isEmpty()) {
      model.compile(optimizer);
    } else {
      if (metrics.isEmpty()) {
        metrics.add(List.of());
      }
      model.compile(optimizer, losses, lossWeights, metrics);
    }
  }

  private static List<PredictionMetric> readMetrics(JsonArray names) {
    List<PredictionMetric> out = new ArrayList<>();
    for (JsonElement name : names) {
      if (name.isJsonObject()) {
        out.add(serializedMetric(name.getAsJsonObject()));
      } else if (name.isJsonPrimitive()) {
        out.add(Metrics.get(name.getAsString()));
      } else {
        throw new IllegalArgumentException("compile_config: metric " + name + " is not read yet (metric names are).");
      }
    }
    return out;
  }

  /**
   * A serialized metric as tf.keras 2 writes it in {@code training_config} ({@code
   * {"class_name": "MeanMetricWrapper", "config": {"name": "accuracy", "fn":
   * "sparse_categorical_accuracy"}}}, or a metric class): by its name, else its function, else its class.
   */
  private static PredictionMetric serializedMetric(JsonObject metric) {
    JsonObject config = metric.has("config") && metric.get("config").isJsonObject() ? metric.getAsJsonObject("config") : new JsonObject();
    List<String> candidates = new ArrayList<>();
    for (JsonElement e : new JsonElement[] {config.get("name"), config.get("fn"), metric.get("class_name")}) {
      if (e != null && e.isJsonPrimitive()) {
        candidates.add(e.getAsString());
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
        "compile_config: metric " + metric + " is not one tfkeras knows by its name, function or class " + candidates + ".");
  }

  private static Loss readLoss(JsonElement loss) {
    if (loss.isJsonPrimitive()) {
      return Losses.get(loss.getAsString());
    }
    JsonObject object = loss.getAsJsonObject();
    Loss out = Losses.get(object.get("class_name").getAsString());
    JsonObject config = object.has("config") && object.get("config").isJsonObject() ? object.getAsJsonObject("config") : new JsonObject();
    boolean fromLogits = config.has("from_logits") && config.get("from_logits").getAsBoolean();
    if (fromLogits) {
      if (out instanceof SparseCategoricalCrossentropy s) {
        s.fromLogits(true);
      } else if (out instanceof CategoricalCrossentropy c2) {
        c2.fromLogits(true);
      } else if (out instanceof BinaryCrossentropy b) {
        b.fromLogits(true);
      } else {
        throw new IllegalArgumentException("compile_config: loss " + loss + " has from_logits, which " + out.name() + " does not take.");
      }
    }
    return out;
  }

  private static Optimizer readOptimizer(JsonElement element) {
    if (element == null || element.isJsonNull()) {
      throw new IllegalArgumentException("compile_config has no optimizer.");
    }
    if (element.isJsonPrimitive()) {
      return Optimizers.get(element.getAsString());
    }
    JsonObject object = element.getAsJsonObject();
    String className = object.get("class_name").getAsString();
    JsonObject c = object.getAsJsonObject("config");
    JsonElement rate = c.get("learning_rate");
    if (rate != null && !rate.isJsonPrimitive()) {
      throw new IllegalArgumentException(
          "compile_config: the optimizer's learning rate is a schedule (" + rate + "), which tfkeras does not read yet.");
    }
    double lr = rate == null ? 0.001 : rate.getAsDouble();
    Optimizer optimizer = switch (className) {
      case "Adam", "AdamW" -> {
        Adam adam = className.equals("Adam") ? new Adam(lr) : new AdamW(lr);
        adam.beta1(number(c, "beta_1", 0.9)).beta2(number(c, "beta_2", 0.999)).epsilon(number(c, "epsilon", 1e-7));
        yield adam.amsgrad(bool(c, "amsgrad"));
      }
      case "SGD" -> new SGD(lr).momentum(number(c, "momentum", 0)).nesterov(bool(c, "nesterov"));
      case "RMSprop" -> new RMSprop(lr).rho(number(c, "rho", 0.9)).momentum(number(c, "momentum", 0))
          .epsilon(number(c, "epsilon", 1e-7)).centered(bool(c, "centered"));
      default -> throw new IllegalArgumentException(
          "compile_config: optimizer " + className + " is not read yet; Adam, AdamW, SGD and RMSprop are.");
    };
    if (has(c, "weight_decay")) {
      optimizer.weightDecay(c.get("weight_decay").getAsDouble());
    }
    if (has(c, "clipnorm")) {
      optimizer.clipnorm(c.get("clipnorm").getAsDouble());
    }
    if (has(c, "clipvalue")) {
      optimizer.clipvalue(c.get("clipvalue").getAsDouble());
    }
    if (has(c, "global_clipnorm")) {
      optimizer.globalClipnorm(c.get("global_clipnorm").getAsDouble());
    }
    if (bool(c, "use_ema")) {
      optimizer.useEma(true).emaMomentum(number(c, "ema_momentum", 0.99));
      if (has(c, "ema_overwrite_frequency")) {
        optimizer.emaOverwriteFrequency(c.get("ema_overwrite_frequency").getAsInt());
      }
    }
    for (String key : new String[] {"loss_scale_factor", "gradient_accumulation_steps"}) {
      if (has(c, key)) {
        throw new IllegalArgumentException("compile_config: the optimizer sets " + key + ", which tfkeras does not support.");
      }
    }
    return optimizer;
  }

  private static boolean has(JsonObject c, String key) {
    return c.has(key) && !c.get(key).isJsonNull();
  }

  private static double number(JsonObject c, String key, double defaultValue) {
    return has(c, key) ? c.get(key).getAsDouble() : defaultValue;
  }

  private static boolean bool(JsonObject c, String key) {
    return has(c, key) && c.get(key).getAsBoolean();
  }
}
