package dev.tfkeras.saving.keras;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
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
import dev.tfkeras.layers.GRU;
import dev.tfkeras.layers.GlobalAveragePooling2D;
import dev.tfkeras.layers.LSTM;
import dev.tfkeras.layers.Layer;
import dev.tfkeras.layers.MaxPooling2D;
import dev.tfkeras.layers.Padding;
import dev.tfkeras.layers.Pooling2D;
import dev.tfkeras.layers.RNN;
import dev.tfkeras.layers.Rescaling;
import dev.tfkeras.layers.Reshape;
import dev.tfkeras.layers.SimpleRNN;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The Keras layer classes tfkeras reads from a config, each mapped to a builder that reads
 * Keras 3's {@code get_config()} keys with Keras's defaults. The mapping lives here, beside the
 * file format, rather than in the layer classes. Models ({@code Sequential}, {@code Functional})
 * are read by {@link KerasModelReader}.
 */
public final class KerasLayers {

  private static final Map<String, Function<LayerConfig, Layer>> BUILDERS = new TreeMap<>();

  static {
    BUILDERS.put("Dense", KerasLayers::dense);
    BUILDERS.put("Conv2D", KerasLayers::conv2d);
    BUILDERS.put("MaxPooling2D", c -> pooling(c, new MaxPooling2D(c.getInts("pool_size", 2, new int[] {2, 2}))));
    BUILDERS.put("AveragePooling2D", c -> pooling(c, new AveragePooling2D(c.getInts("pool_size", 2, new int[] {2, 2}))));
    BUILDERS.put("Flatten", c -> {
      c.requireValue("data_format", "channels_last");
      return new Flatten();
    });
    BUILDERS.put("Dropout", KerasLayers::dropout);
    BUILDERS.put("Activation", c -> new Activation(activation(c)));
    BUILDERS.put("Reshape", c -> new Reshape(c.getLongs("target_shape")));
    BUILDERS.put("Rescaling", c -> new Rescaling(c.getDouble("scale", 1), c.getDouble("offset", 0)));
    BUILDERS.put("GlobalAveragePooling2D", c -> {
      c.requireValue("data_format", "channels_last");
      return new GlobalAveragePooling2D().keepdims(c.getBoolean("keepdims", false));
    });
    BUILDERS.put("BatchNormalization", KerasLayers::batchNormalization);
    BUILDERS.put("Embedding", KerasLayers::embedding);
    BUILDERS.put("LSTM", KerasLayers::lstm);
    BUILDERS.put("GRU", KerasLayers::gru);
    BUILDERS.put("Bidirectional", KerasLayers::bidirectional);
    BUILDERS.put("SimpleRNN", c -> {
      SimpleRNN rnn = new SimpleRNN(c.getInt("units", 0));
      rnn(c, rnn, Activations.TANH);
      return rnn;
    });
  }

  private KerasLayers() {}

  /**
   * The builder of a Keras layer class name from its config, or null for a class tfkeras does not
   * read; {@link dev.tfkeras.saving.Serialization#deserialize} reads serialized layers through it.
   */
  public static Function<dev.tfkeras.saving.Config, Layer> factory(String className) {
    if (className == null || !BUILDERS.containsKey(className)) {
      return null;
    }
    return c -> build(className, com.google.gson.JsonParser.parseString(c.toJson()).getAsJsonObject());
  }

  /** The Keras class names read, sorted. */
  public static java.util.Set<String> supported() {
    return Collections.unmodifiableSet(BUILDERS.keySet());
  }

  /**
   * The tfkeras layer for one entry of a model's {@code layers} list, named as in the file.
   *
   * @throws IllegalArgumentException for an unknown class, an unknown key or an unsupported value,
   *     naming the layer
   */
  static Layer build(String className, JsonObject config) {
    Function<LayerConfig, Layer> builder = BUILDERS.get(className);
    LayerConfig c = new LayerConfig(className, config);
    if (builder == null) {
      throw new IllegalArgumentException(
          "Unknown layer class '" + className + "' (layer '" + c.name() + "'). tfkeras reads these"
              + " Keras layers from a .keras file: " + String.join(", ", supported()) + ", and the"
              + " models Sequential and Functional. A custom layer will be read through a registry of"
              + " custom objects (Keras's custom_objects / @register_keras_serializable), mapping its"
              + " registered name to a builder; that registry is not there yet.");
    }
    c.ignore("name");
    c.getBoolean("trainable", true);
    requireFloat32(c);
    Layer layer = builder.apply(c);
    c.checkAllRead();
    layer.name(c.name());
    if (!c.getBoolean("trainable", true)) {
      layer.setTrainable(false);
    }
    return layer;
  }

  /** Keras's dtype: a string ({@code "float32"}) or a DTypePolicy object; tfkeras layers compute in float32. */
  static String dtypeName(JsonElement dtype) {
    if (dtype == null || dtype.isJsonNull()) {
      return "float32";
    }
    if (dtype.isJsonObject()) {
      JsonElement inner = dtype.getAsJsonObject().get("config");
      if (inner != null && inner.isJsonObject() && inner.getAsJsonObject().has("name")) {
        return inner.getAsJsonObject().get("name").getAsString();
      }
      return dtype.toString();
    }
    return dtype.getAsString();
  }

  private static void requireFloat32(LayerConfig c) {
    String dtype = dtypeName(c.getElement("dtype"));
    if (!dtype.equals("float32")) {
      throw new IllegalArgumentException(
          "Layer '" + c.name() + "' (" + c.className() + ") has dtype policy '" + dtype + "'; tfkeras"
              + " layers compute in float32 and read only float32 layers from Keras files for now.");
    }
  }

  private static ActivationFunction activation(LayerConfig c) {
    return activation(c, "activation", Activations.LINEAR);
  }

  private static ActivationFunction activation(LayerConfig c, String key, ActivationFunction defaultValue) {
    JsonElement value = c.getElement(key);
    if (value == null) {
      return defaultValue;
    }
    if (value.isJsonObject()) {
      // Keras 3 may serialize a built-in activation as {"class_name": "function", "config": "relu"}.
      JsonElement inner = value.getAsJsonObject().get("config");
      if (inner != null && inner.isJsonPrimitive()) {
        return Activations.get(inner.getAsString());
      }
      throw new IllegalArgumentException(
          "Layer '" + c.name() + "' (" + c.className() + ") has an activation tfkeras cannot read: " + value);
    }
    return Activations.get(value.getAsString());
  }

  private static Padding padding(LayerConfig c) {
    String padding = c.getString("padding", "valid");
    return switch (padding.toLowerCase(Locale.ROOT)) {
      case "valid" -> Padding.VALID;
      case "same" -> Padding.SAME;
      default -> throw new IllegalArgumentException(
          "Layer '" + c.name() + "' (" + c.className() + ") has padding='" + padding + "'; expected"
              + " 'valid' or 'same'.");
    };
  }

  private static Layer dense(LayerConfig c) {
    Dense dense = new Dense(c.getInt("units", 0), activation(c)).useBias(c.getBoolean("use_bias", true));
    c.ignore("kernel_initializer", "bias_initializer");
    c.requireDefault("kernel_regularizer", "bias_regularizer", "activity_regularizer",
        "kernel_constraint", "bias_constraint", "quantization_config", "lora_rank");
    return dense;
  }

  private static Layer conv2d(LayerConfig c) {
    c.requireValue("data_format", "channels_last");
    Conv2D conv = new Conv2D(c.getInt("filters", 0), c.getInts("kernel_size", 2, null), activation(c))
        .strides(c.getInts("strides", 2, new int[] {1, 1}))
        .padding(padding(c))
        .dilationRate(c.getInts("dilation_rate", 2, new int[] {1, 1}))
        .useBias(c.getBoolean("use_bias", true));
    int groups = c.getInt("groups", 1);
    if (groups != 1) {
      conv.groups(groups);
    }
    c.ignore("kernel_initializer", "bias_initializer");
    c.requireDefault("kernel_regularizer", "bias_regularizer", "activity_regularizer",
        "kernel_constraint", "bias_constraint", "lora_rank");
    return conv;
  }

  private static Layer pooling(LayerConfig c, Pooling2D<?> layer) {
    c.requireValue("data_format", "channels_last");
    // Keras: strides default to pool_size (null in the config means the same)
    int[] strides = c.getInts("strides", 2, null);
    if (strides != null) {
      layer.strides(strides);
    }
    layer.padding(padding(c));
    return layer;
  }

  private static Layer dropout(LayerConfig c) {
    float rate = (float) c.getDouble("rate", 0);
    c.requireDefault("noise_shape");
    return c.has("seed") ? new Dropout(rate, (long) c.getDouble("seed", 0)) : new Dropout(rate);
  }

  private static Layer batchNormalization(LayerConfig c) {
    BatchNormalization bn = new BatchNormalization()
        .axis(c.getInt("axis", -1))
        .momentum(c.getDouble("momentum", 0.99))
        .epsilon(c.getDouble("epsilon", 1e-3))
        .center(c.getBoolean("center", true))
        .scale(c.getBoolean("scale", true));
    c.ignore("beta_initializer", "gamma_initializer", "moving_mean_initializer",
        "moving_variance_initializer");
    c.requireDefault("beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint",
        "renorm_clipping");
    if (c.getBoolean("synchronized", false) || c.getBoolean("renorm", false)) {
      throw new IllegalArgumentException(
          "Layer '" + c.name() + "' (BatchNormalization) uses synchronized or renorm, which tfkeras"
              + " does not support.");
    }
    c.ignore("renorm_momentum");
    return bn;
  }

  private static Layer embedding(LayerConfig c) {
    Embedding embedding = new Embedding(c.getInt("input_dim", 0), c.getInt("output_dim", 0))
        .maskZero(c.getBoolean("mask_zero", false));
    c.ignore("embeddings_initializer", "input_length");
    c.requireDefault("embeddings_regularizer", "activity_regularizer", "embeddings_constraint",
        "quantization_config", "lora_rank", "sparse");
    return embedding;
  }

  /**
   * Keras's LSTM ({@code keras.layers.LSTM.get_config} and the RNN base's keys; Keras 2's {@code
   * time_major} and {@code implementation} too), as GRU and SimpleRNN. Weights come from the file;
   * dropout, stateful layers and regularizers are refused rather than dropped.
   */
  private static Layer lstm(LayerConfig c) {
    LSTM lstm = new LSTM(c.getInt("units", 0))
        .recurrentActivation(activation(c, "recurrent_activation", Activations.SIGMOID))
        .unitForgetBias(c.getBoolean("unit_forget_bias", true));
    rnn(c, lstm, Activations.TANH);
    return lstm;
  }

  /**
   * Keras's Bidirectional: {@code layer} is the forward recurrent layer's serialized config; {@code
   * backward_layer} (always written by Keras 3, by Keras 2 when given) must be the same layer run
   * backwards, as tfkeras makes it; {@code merge_mode} null is Keras's None (both outputs).
   */
  private static Layer bidirectional(LayerConfig c) {
    JsonElement inner = c.getElement("layer");
    if (inner == null || !inner.isJsonObject() || !inner.getAsJsonObject().has("class_name")) {
      throw new IllegalArgumentException(
          "Layer '" + c.name() + "' (Bidirectional) lacks `layer`, the serialized recurrent layer it wraps.");
    }
    JsonObject forward = inner.getAsJsonObject();
    String className = forward.get("class_name").getAsString();
    JsonObject forwardConfig = forward.getAsJsonObject("config");
    Layer layer = build(className, forwardConfig);
    if (!(layer instanceof RNN<?> rnn)) {
      throw new IllegalArgumentException(
          "Layer '" + c.name() + "' (Bidirectional) wraps a " + className + "; tfkeras's Bidirectional"
              + " wraps LSTM, GRU and SimpleRNN.");
    }
    JsonElement backward = c.getElement("backward_layer");
    if (backward != null) {
      JsonObject b = backward.getAsJsonObject();
      JsonObject theirs = b.getAsJsonObject("config").deepCopy();
      JsonObject ours = forwardConfig.deepCopy();
      boolean goesBackwards = theirs.has("go_backwards") && theirs.get("go_backwards").getAsBoolean();
      for (JsonObject o : List.of(theirs, ours)) {
        o.remove("name");
        o.remove("go_backwards");
      }
      if (!b.get("class_name").getAsString().equals(className) || !goesBackwards || !theirs.equals(ours)) {
        throw new IllegalArgumentException(
            "Layer '" + c.name() + "' (Bidirectional) has a backward_layer that is not its forward"
                + " layer run backwards (expected the same " + className + " config with go_backwards=True;"
                + " received " + b + "). tfkeras's Bidirectional makes its backward copy from the forward layer.");
      }
    }
    JsonElement merge = c.getElement("merge_mode");
    Bidirectional.MergeMode mode = merge == null ? Bidirectional.MergeMode.NONE : switch (merge.getAsString()) {
      case "concat" -> Bidirectional.MergeMode.CONCAT;
      case "sum" -> Bidirectional.MergeMode.SUM;
      case "mul" -> Bidirectional.MergeMode.MUL;
      case "ave" -> Bidirectional.MergeMode.AVE;
      default -> throw new IllegalArgumentException(
          "Layer '" + c.name() + "' (Bidirectional) has merge_mode='" + merge.getAsString() + "'; expected"
              + " 'sum', 'mul', 'ave', 'concat' or None.");
    };
    c.requireDefault("num_constants");
    return new Bidirectional(rnn, mode);
  }

  /** Keras's GRU: {@code reset_after} (Keras 3's and tf.keras 2's default true; Keras 2.2's false) picks the bias's shape. */
  private static Layer gru(LayerConfig c) {
    GRU gru = new GRU(c.getInt("units", 0))
        .recurrentActivation(activation(c, "recurrent_activation", Activations.SIGMOID))
        .resetAfter(c.getBoolean("reset_after", true));
    rnn(c, gru, Activations.TANH);
    return gru;
  }

  private static void rnn(LayerConfig c, RNN<?> layer, ActivationFunction defaultActivation) {
    layer.activation(activation(c, "activation", defaultActivation))
        .useBias(c.getBoolean("use_bias", true))
        .returnSequences(c.getBoolean("return_sequences", false))
        .returnState(c.getBoolean("return_state", false))
        .goBackwards(c.getBoolean("go_backwards", false))
        .zeroOutputForMask(c.getBoolean("zero_output_for_mask", false));
    for (String key : new String[] {"stateful", "time_major"}) {
      if (c.getBoolean(key, false)) {
        throw new IllegalArgumentException(
            "Layer '" + c.name() + "' (" + c.className() + ") has " + key + "=True, which tfkeras's"
                + " recurrent layers do not support; expected " + key + "=False.");
      }
    }
    for (String key : new String[] {"dropout", "recurrent_dropout"}) {
      double rate = c.getDouble(key, 0);
      if (rate != 0) {
        throw new IllegalArgumentException(
            "Layer '" + c.name() + "' (" + c.className() + ") has " + key + "=" + rate + ", which tfkeras's"
                + " recurrent layers do not support yet; expected 0. Put a Dropout layer before it, or"
                + " set " + key + "=0 in Keras and save again.");
      }
    }
    // unroll: tfkeras always unrolls (see RNN); the result is the same. implementation: Keras 2's
    // choice of kernel fusion, the same maths.
    c.ignore("kernel_initializer", "recurrent_initializer", "bias_initializer", "seed", "unroll", "implementation");
    c.requireDefault("kernel_regularizer", "recurrent_regularizer", "bias_regularizer", "activity_regularizer",
        "kernel_constraint", "recurrent_constraint", "bias_constraint");
  }
}
