package dev.tfkeras.saving.keras;

import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.tfkeras.activations.ActivationFunction;
import dev.tfkeras.activations.Activations;
import dev.tfkeras.layers.Activation;
import dev.tfkeras.layers.AveragePooling2D;
import dev.tfkeras.layers.BatchNormalization;
import dev.tfkeras.layers.Bidirectional;
import dev.tfkeras.layers.Conv2D;
import dev.tfkeras.layers.Dense;
import dev.tfkeras.layers.Dropout;
import dev.tfkeras.layers.Embedding;
import dev.tfkeras.layers.Flatten;
import dev.tfkeras.layers.GlobalAveragePooling2D;
import dev.tfkeras.layers.InputLayer;
import dev.tfkeras.layers.GRU;
import dev.tfkeras.layers.LSTM;
import dev.tfkeras.layers.Layer;
import dev.tfkeras.layers.MaxPooling2D;
import dev.tfkeras.layers.Padding;
import dev.tfkeras.layers.Pooling2D;
import dev.tfkeras.layers.Rescaling;
import dev.tfkeras.layers.RNN;
import dev.tfkeras.layers.Reshape;
import dev.tfkeras.models.Functional;
import dev.tfkeras.models.Model;
import dev.tfkeras.models.Sequential;
import dev.tfkeras.saving.Config;
import dev.tfkeras.saving.Configurable;
import dev.tfkeras.saving.CustomObjects;
import dev.tfkeras.saving.Serialization;
import java.util.List;
import java.util.Locale;
import org.tensorflow.ndarray.Shape;

/**
 * Objects as Keras 3's {@code config.json} holds them, each serialized as {@code
 * serialization_lib.serialize_keras_object} does ({@code module}, {@code class_name}, {@code
 * config}, {@code registered_name}, {@code build_config}): {@link #model} (the whole file's
 * config, {@code model.to_json()}), {@link #serialize} (one layer or nested model: a model's config
 * is its own {@code getConfig()}; a custom class must be registered). Built-in layers not yet
 * {@link Configurable} are written here with the keys of Keras 3's {@code get_config()} — the keys
 * {@link KerasLayers} reads back. Initializers are written as Keras's defaults (the weights saved
 * beside them override them on load).
 */
public final class KerasConfigWriter {

  private KerasConfigWriter() {}

  /** Keras's class name for a tfkeras layer or model, e.g. {@code Conv2D}, {@code Functional}. */
  static String className(Layer layer) {
    if (layer instanceof Sequential) {
      return "Sequential";
    }
    if (layer instanceof Functional) {
      return "Functional";
    }
    String name = layer.getClass().getSimpleName();
    if (layer.getClass().getPackageName().equals("dev.tfkeras.layers") && KerasLayers.supported().contains(name)) {
      return name;
    }
    throw new IllegalArgumentException(
        "Layer '" + layer.name() + "' is a " + layer.getClass().getName() + ", which tfkeras cannot"
            + " write to a .keras file yet; it writes Sequential and Functional models of "
            + String.join(", ", KerasLayers.supported()) + ". Save it with saveWeights(directory) or"
            + " export(directory) instead.");
  }

  /**
   * The model serialized as Keras's {@code serialize_keras_object(model)}, what {@code config.json}
   * holds and {@code model.to_json()} gives: {@code module}, {@code class_name}, {@code config},
   * {@code registered_name}, {@code build_config} and, when compiled, {@code compile_config}.
   *
   * @throws IllegalArgumentException for a custom class (a subclassed model, a custom layer) that
   *     is not registered or has no config, saying what to write
   */
  public static Config model(Model model) {
    Config serialized = serialize(model);
    model.compileConfig().ifPresent(c -> serialized.put("compile_config", Config.fromJson(KerasCompile.write(c).toString())));
    return serialized;
  }

  /**
   * A layer or model serialized as Keras does ({@code module}, {@code class_name}, {@code config},
   * {@code registered_name}, {@code build_config}); a custom class (a subclassed model, a layer
   * of your own) must be {@linkplain CustomObjects registered} and have a config.
   *
   * @throws IllegalArgumentException for a custom class that is not registered or has no config,
   *     naming it and showing the code that makes it saveable
   */
  public static Config serialize(Layer layer) {
    boolean builtIn = layer instanceof Sequential || layer instanceof Functional
        || layer.getClass().getPackageName().startsWith("dev.tfkeras.layers");
    if (!builtIn) {
      String kind = layer instanceof Model ? "subclassed model" : "custom layer";
      if (!(layer instanceof Configurable)) {
        throw new IllegalArgumentException(howToSave(layer,
            "Layer '" + layer.name() + "' is a " + layer.getClass().getName() + ", a " + kind + " without a config (it does not implement Configurable)"));
      }
      if (CustomObjects.registeredName(layer.getClass()) == null) {
        throw new IllegalArgumentException(howToSave(layer,
            "'" + layer.name() + "' is a " + layer.getClass().getName() + ", a " + kind + " that is not registered"
                + " as a custom object, so a file could name it but not load it back"));
      }
    }
    if (layer instanceof Configurable configurable) {
      return Serialization.serialize(configurable);
    }
    return Config.fromJson(layer(layer).toString());
  }

  /**
   * {@code problem}, then the code that makes the class saveable: Keras's {@code get_config}/{@code
   * from_config} and {@code register_keras_serializable} in Java.
   */
  public static String howToSave(Object object, String problem) {
    String simple = object.getClass().getSimpleName();
    boolean model = object instanceof Model;
    String example = model ? "units" : "factor";
    return problem + ". To save it to a .keras file or JSON and load it back, give " + simple
        + " Keras's config methods (its constructor arguments by name) and register it once, before"
        + " saving and loading (Keras's get_config, from_config and @register_keras_serializable):\n"
        + "  @Override public Config getConfig() {\n"
        + "    return new Config().put(\"name\", name()).put(\"" + example + "\", " + example + ");\n"
        + "  }\n"
        + "  public static " + simple + " fromConfig(Config config) {\n"
        + "    " + simple + " " + (model ? "model" : "layer") + " = new " + simple + "(config.get"
        + (model ? "Int" : "Double") + "(\"" + example + "\", ...));\n"
        + "    config.ignore(\"name\");  // or apply it\n"
        + "    config.checkAllRead();\n"
        + "    return " + (model ? "model" : "layer") + ";\n"
        + "  }\n"
        + "  CustomObjects.register(\"" + simple + "\", " + simple + "::fromConfig);  // saved as \"Custom>" + simple + "\"\n"
        + (model ? "Or save the weights only: saveWeights(Path.of(\"" + ((Layer) object).name() + ".weights.h5\"))." : "");
  }

  private static JsonObject serialized(String module, String className, JsonObject config) {
    JsonObject out = new JsonObject();
    out.addProperty("module", module);
    out.addProperty("class_name", className);
    out.add("config", config);
    out.add("registered_name", JsonNull.INSTANCE);
    return out;
  }

  /** A model's layers as Keras saves them under {@code layers/}: InputLayers left out. */
  static List<Layer> children(Model model) {
    return model.layers().stream().filter(l -> !(l instanceof InputLayer)).toList();
  }

  /** One layer (or nested model) as an entry of a model's {@code layers} list. */
  static JsonObject layer(Layer layer) {
    String className = className(layer);
    JsonObject c = new JsonObject();
    c.addProperty("name", layer.name());
    c.addProperty("trainable", layer.isTrainable());
    c.add("dtype", dtypePolicy());
    if (layer instanceof Dense d) {
        c.addProperty("units", d.units());
        c.addProperty("activation", activation(d.activation(), d));
        c.addProperty("use_bias", d.useBias());
        c.add("kernel_initializer", initializer("GlorotUniform", true));
        c.add("bias_initializer", initializer("Zeros", false));
        nulls(c, "kernel_regularizer", "bias_regularizer", "kernel_constraint", "bias_constraint");
    } else if (layer instanceof Conv2D d) {
        c.addProperty("filters", d.filters());
        c.add("kernel_size", ints(d.kernelSize()));
        c.add("strides", ints(d.strides()));
        c.addProperty("padding", padding(d.padding(), d));
        c.addProperty("data_format", "channels_last");
        c.add("dilation_rate", ints(d.dilationRate()));
        c.addProperty("groups", d.groups());
        c.addProperty("activation", activation(d.activation(), d));
        c.addProperty("use_bias", d.useBias());
        c.add("kernel_initializer", initializer("GlorotUniform", true));
        c.add("bias_initializer", initializer("Zeros", false));
        nulls(c, "kernel_regularizer", "bias_regularizer", "activity_regularizer", "kernel_constraint", "bias_constraint");
    } else if (layer instanceof MaxPooling2D p) {
        pooling(c, p);
    } else if (layer instanceof AveragePooling2D p) {
        pooling(c, p);
    } else if (layer instanceof Flatten f) {
        c.addProperty("data_format", "channels_last");
    } else if (layer instanceof Dropout d) {
        c.addProperty("rate", d.rate());
        c.add("seed", d.seed() == null ? JsonNull.INSTANCE : new JsonPrimitive(d.seed()));
        c.add("noise_shape", JsonNull.INSTANCE);
    } else if (layer instanceof Activation a) {
        c.addProperty("activation", activation(a.function(), a));
    } else if (layer instanceof Reshape r) {
        JsonArray target = new JsonArray();
        for (long dim : r.targetShape()) {
          target.add(dim);
        }
        c.add("target_shape", target);
    } else if (layer instanceof Rescaling r) {
        c.addProperty("scale", r.scale());
        c.addProperty("offset", r.offset());
    } else if (layer instanceof GlobalAveragePooling2D g) {
        c.addProperty("data_format", "channels_last");
        c.addProperty("keepdims", g.keepdims());
    } else if (layer instanceof BatchNormalization b) {
        c.addProperty("axis", b.axis());
        c.addProperty("momentum", b.momentum());
        c.addProperty("epsilon", b.epsilon());
        c.addProperty("center", b.center());
        c.addProperty("scale", b.scale());
        c.add("beta_initializer", initializer("Zeros", false));
        c.add("gamma_initializer", initializer("Ones", false));
        c.add("moving_mean_initializer", initializer("Zeros", false));
        c.add("moving_variance_initializer", initializer("Ones", false));
        nulls(c, "beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint");
        c.addProperty("synchronized", false);
    } else if (layer instanceof Embedding e) {
        c.addProperty("input_dim", e.inputDim());
        c.addProperty("output_dim", e.outputDim());
        JsonObject uniform = initializer("RandomUniform", true);
        uniform.getAsJsonObject("config").addProperty("minval", -0.05);
        uniform.getAsJsonObject("config").addProperty("maxval", 0.05);
        c.add("embeddings_initializer", uniform);
        nulls(c, "embeddings_regularizer", "activity_regularizer", "embeddings_constraint");
        c.addProperty("mask_zero", e.maskZero());
    } else if (layer instanceof RNN<?> r) {
        recurrent(c, r);
    } else if (layer instanceof Bidirectional b) {
        // keras.layers.Bidirectional.get_config: merge_mode, then both directions serialized
        c.add("merge_mode", b.mergeMode() == Bidirectional.MergeMode.NONE ? JsonNull.INSTANCE
            : new JsonPrimitive(b.mergeMode().name().toLowerCase(Locale.ROOT)));
        c.add("layer", layer(b.forwardLayer()));
        c.add("backward_layer", layer(b.backwardLayer()));
    } else {
        throw new IllegalStateException("No config writer for " + className);
    }
    JsonObject out = serialized("keras.layers", className, c);
    if (layer.isBuilt() && layer.inputShapes().size() == 1) {
      out.add("build_config", buildConfig(layer.inputShape()));
    }
    return out;
  }

  /**
   * An LSTM's, GRU's or SimpleRNN's config as Keras 3's {@code get_config}: the RNN base's keys,
   * then the layer's own (keras/src/layers/rnn/lstm.py, gru.py, simple_rnn.py).
   */
  private static void recurrent(JsonObject c, RNN<?> r) {
    c.addProperty("return_sequences", r.isReturnSequences());
    c.addProperty("return_state", r.isReturnState());
    c.addProperty("go_backwards", r.isGoBackwards());
    c.addProperty("stateful", false);
    c.addProperty("unroll", false);
    c.addProperty("zero_output_for_mask", r.isZeroOutputForMask());
    c.addProperty("units", r.units());
    c.addProperty("activation", activation(r.activation(), r));
    if (r instanceof LSTM l) {
      c.addProperty("recurrent_activation", activation(l.recurrentActivation(), r));
    } else if (r instanceof GRU g) {
      c.addProperty("recurrent_activation", activation(g.recurrentActivation(), r));
    }
    c.addProperty("use_bias", r.useBias());
    c.add("kernel_initializer", initializer("GlorotUniform", true));
    JsonObject orthogonal = initializer("Orthogonal", true);
    orthogonal.getAsJsonObject("config").addProperty("gain", 1.0);
    c.add("recurrent_initializer", orthogonal);
    c.add("bias_initializer", initializer("Zeros", false));
    if (r instanceof LSTM l) {
      c.addProperty("unit_forget_bias", l.unitForgetBias());
    }
    nulls(c, "kernel_regularizer", "recurrent_regularizer", "bias_regularizer", "activity_regularizer",
        "kernel_constraint", "recurrent_constraint", "bias_constraint");
    c.addProperty("dropout", 0.0);
    c.addProperty("recurrent_dropout", 0.0);
    if (r instanceof GRU g) {
      c.addProperty("reset_after", g.resetAfter());
    }
    if (!(r instanceof dev.tfkeras.layers.SimpleRNN)) {
      c.add("seed", JsonNull.INSTANCE);
    }
  }

  private static void pooling(JsonObject c, Pooling2D<?> p) {
    c.add("pool_size", ints(p.poolSize()));
    c.addProperty("padding", padding(p.padding(), p));
    c.add("strides", ints(p.strides()));
    c.addProperty("data_format", "channels_last");
  }

  private static void nulls(JsonObject c, String... keys) {
    for (String key : keys) {
      c.add(key, JsonNull.INSTANCE);
    }
  }

  private static JsonObject initializer(String className, boolean seeded) {
    JsonObject config = new JsonObject();
    if (seeded) {
      config.add("seed", JsonNull.INSTANCE);
    }
    return serialized("keras.initializers", className, config);
  }

  private static JsonObject dtypePolicy() {
    JsonObject config = new JsonObject();
    config.addProperty("name", "float32");
    return serialized("keras", "DTypePolicy", config);
  }

  private static JsonObject buildConfig(Shape inputShape) {
    JsonObject build = new JsonObject();
    build.add("input_shape", shape(inputShape));
    return build;
  }

  private static String activation(ActivationFunction function, Layer layer) {
    if (function instanceof Activations named) {
      return named.kerasName();
    }
    throw new IllegalArgumentException(
        "Layer '" + layer.name() + "' has an activation that Keras cannot name (" + function + "): a"
            + " .keras file names activations by Keras's identifiers (Activations.RELU, \"gelu\"...);"
            + " configured or custom activations are not written yet.");
  }

  private static String padding(Padding padding, Layer layer) {
    if (padding != Padding.VALID && padding != Padding.SAME) {
      throw new IllegalArgumentException(
          "Layer '" + layer.name() + "' has padding " + padding + "; Keras's 2D layers take 'valid' or 'same'.");
    }
    return padding.name().toLowerCase(Locale.ROOT);
  }

  private static JsonArray ints(int[] values) {
    JsonArray out = new JsonArray();
    for (int v : values) {
      out.add(v);
    }
    return out;
  }

  /** A shape as Keras writes it: unknown sizes (the batch) as null. */
  static JsonArray shape(Shape shape) {
    JsonArray out = new JsonArray();
    for (long dim : shape.asArray()) {
      out.add(dim < 0 ? JsonNull.INSTANCE : new JsonPrimitive(dim));
    }
    return out;
  }

}
