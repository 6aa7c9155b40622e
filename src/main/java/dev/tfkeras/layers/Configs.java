package dev.tfkeras.layers;

import dev.tfkeras.activations.ActivationFunction;
import dev.tfkeras.activations.Activations;
import dev.tfkeras.constraints.Constraint;
import dev.tfkeras.initializers.Initializer;
import dev.tfkeras.regularizers.Regularizer;
import dev.tfkeras.saving.Config;
import dev.tfkeras.saving.Serialization;
import java.util.List;

/**
 * The values layers share in their configs, written and read as Keras does: activations by name,
 * initializers, regularizers and constraints serialized, paddings, {@code data_format}.
 */
final class Configs {

  private Configs() {}

  /**
   * Keras's name of an activation ({@code "relu"}).
   *
   * @throws IllegalArgumentException for an activation Keras cannot name (a configured one such as
   *     {@code Activations.leakyRelu(0.1)}, or a lambda), naming the layer and the way out
   */
  static String activation(Layer layer, ActivationFunction function) {
    if (function instanceof Activations named) {
      return named.kerasName();
    }
    throw new IllegalArgumentException(
        "Layer '" + layer.name() + "' (" + layer.getClass().getSimpleName() + ") has an activation that"
            + " Keras cannot name (" + function + "): a config names activations by Keras's identifiers"
            + " (Activations.RELU, \"gelu\"...). Use a named activation, or an Activation layer of your"
            + " own registered with CustomObjects.register(...), to save this layer.");
  }

  /**
   * An activation as Keras writes it: a name ({@code "relu"}), or Keras 3's serialized function
   * ({@code {"class_name": "function", "config": "relu", ...}}); {@code defaultValue} when absent.
   */
  static ActivationFunction activation(Config config, String key, ActivationFunction defaultValue) {
    Object value = config.get(key);
    if (value == null) {
      return defaultValue;
    }
    if (value instanceof Config serialized && serialized.get("config") instanceof String name) {
      return Activations.get(name);
    }
    if (value instanceof String name) {
      return Activations.get(name);
    }
    throw config.invalid(key, "an activation's name (e.g. \"relu\")");
  }

  /** An initializer (a serialized one or an identifier such as {@code "zeros"}), or the default. */
  static Initializer initializer(Config config, String key, Initializer defaultValue) {
    Object value = config.get(key);
    return value == null ? defaultValue : Serialization.deserialize(value, Initializer.class);
  }

  /** A regularizer, or null (Keras's None). */
  static Regularizer regularizer(Config config, String key) {
    return Serialization.deserialize(config.get(key), Regularizer.class);
  }

  /** A constraint, or null (Keras's None). */
  static Constraint constraint(Config config, String key) {
    return Serialization.deserialize(config.get(key), Constraint.class);
  }

  /** {@code padding}, {@code "valid"} by default; {@code "causal"} only where {@code allowCausal}. */
  static Padding padding(Config config, boolean allowCausal) {
    String padding = config.getString("padding", "valid");
    try {
      return Padding.of(padding, allowCausal);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Layer " + config.owner() + ": " + e.getMessage(), e);
    }
  }

  /** Keras's lower-case padding name. */
  static String padding(Padding padding) {
    return padding.name().toLowerCase(java.util.Locale.ROOT);
  }

  /** {@code data_format}: tfkeras's layers take channels last (Keras's default). */
  static void channelsLast(Config config) {
    config.requireValue("data_format", "channels_last");
  }

  /** An int or a list of ints (Keras's {@code axis=-1} or {@code axis=[1, 2]}) as an array. */
  static int[] intOrInts(Config config, String key, int[] defaultValue) {
    Object value = config.get(key);
    if (value == null) {
      return defaultValue;
    }
    if (value instanceof Number) {
      return new int[] {config.getInt(key, 0)};
    }
    long[] values = config.getLongs(key);
    int[] out = new int[values.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = Math.toIntExact(values[i]);
    }
    return out;
  }

  /** One int as Keras keeps it ({@code -1}), several as a list. */
  static Object intOrList(int[] values) {
    return values.length == 1 ? (Object) values[0] : values;
  }

  /** A list of Keras's list values as an {@code int[]}, for nested lists such as ZeroPadding2D's. */
  static int[] ints(Config config, String key, Object value) {
    if (!(value instanceof List<?> list)) {
      throw config.invalid(key, "a list of integers");
    }
    int[] out = new int[list.size()];
    for (int i = 0; i < out.length; i++) {
      if (!(list.get(i) instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
        throw config.invalid(key, "a list of integers");
      }
      out[i] = n.intValue();
    }
    return out;
  }

  /**
   * The build config of a layer whose Keras {@code build} is {@code build(sequences_shape,
   * initial_state_shape=None)} (RNN, Bidirectional): {@code input_shape} when called on the
   * sequence alone, else Keras's {@code shapes_dict} of both arguments.
   */
  static Config sequenceBuildConfig(Layer layer, Config plain) {
    List<org.tensorflow.ndarray.Shape> shapes = layer.inputShapes();
    if (shapes == null || shapes.size() == 1) {
      return plain;
    }
    List<Object> states = new java.util.ArrayList<>();
    shapes.subList(1, shapes.size()).forEach(s -> states.add(Layer.kerasShape(s)));
    return new Config().put("shapes_dict", new Config()
        .put("sequences_shape", Layer.kerasShape(shapes.get(0)))
        .put("initial_state_shape", states));
  }
}
