package dev.tfkeras.models;

import dev.tfkeras.layers.Input;
import dev.tfkeras.layers.KerasTensor;
import dev.tfkeras.layers.Layer;
import dev.tfkeras.saving.Config;
import dev.tfkeras.saving.CustomObjects;
import dev.tfkeras.saving.Serialization;
import dev.tfkeras.saving.keras.KerasConfigWriter;
import dev.tfkeras.saving.keras.KerasLayers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;
import org.tensorflow.types.family.TType;

/**
 * Keras's model classes by the names they are serialized under, the models' family for {@link
 * Serialization}: {@code Sequential}, {@code Functional}, and {@code Model} (Keras's public name,
 * which a functional config is revived as). Subclassed models are found through {@link
 * CustomObjects}.
 */
public final class Models {

  private static final Set<String> NAMES = new TreeSet<>(List.of("Functional", "Model", "Sequential"));

  private Models() {}

  /** The {@code fromConfig} of a Keras model class name, or null for another name. */
  public static Function<Config, ?> factory(String className) {
    if (className == null) {
      return null;
    }
    return switch (className) {
      case "Sequential" -> Sequential::fromConfig;
      case "Functional", "Model" -> Functional::fromConfig;
      default -> null;
    };
  }

  /** The model class names read, sorted. */
  public static Set<String> classNames() {
    return java.util.Collections.unmodifiableSet(NAMES);
  }

  /**
   * Keras's module for a model class it does not export ({@code Functional}: {@code
   * keras.src.models.functional}, written with {@code registered_name} {@code "Functional"}), or
   * null for an exported one ({@code Sequential}, module {@code keras}).
   */
  public static String internalModule(String className) {
    return "Functional".equals(className) ? "keras.src.models.functional" : null;
  }

  // ---- helpers of Sequential's and Functional's configs -----------------------------------------

  /** One entry of a model's {@code layers} list: the layer (or nested model) serialized. */
  static Config serialize(Layer layer) {
    return KerasConfigWriter.serialize(layer);
  }

  /**
   * The layer (or nested model) one entry of a model's {@code layers} list describes: a
   * {@linkplain CustomObjects registered} class first, then tfkeras's layers and models.
   *
   * @throws IllegalArgumentException for a class that is neither, naming it, the classes tfkeras
   *     reads and how to register a custom one
   */
  static Layer layer(Config entry, String where) {
    String className = entry.getString("class_name", null);
    if (className == null) {
      throw new IllegalArgumentException(where + ": a layer entry lacks `class_name`: " + abbreviate(entry) + ".");
    }
    String registered = entry.getString("registered_name", null);
    boolean known = CustomObjects.get(registered) != null || CustomObjects.get(className) != null
        || KerasLayers.factory(className) != null || factory(className) != null;
    if (!known) {
      Config inner = entry.getConfig("config");
      String name = inner == null ? null : inner.name();
      throw new IllegalArgumentException(
          "Unknown layer class '" + className + "' (layer '" + name + "'"
              + (registered != null && !registered.equals(className) ? ", registered name '" + registered + "'" : "")
              + "). tfkeras reads these Keras layers: " + String.join(", ", KerasLayers.supported())
              + ", and the models " + String.join(", ", NAMES) + ". A custom class is read through the"
              + " registry of custom objects (Keras's custom_objects / @register_keras_serializable):"
              + " call CustomObjects.register(\"" + className + "\", " + className + "::fromConfig)"
              + " before loading.");
    }
    return Serialization.deserialize(entry, Layer.class);
  }

  /** A shape as Keras writes it: unknown sizes (the batch) as null. */
  static List<Object> shape(Shape shape) {
    List<Object> out = new ArrayList<>();
    for (long dim : shape.asArray()) {
      out.add(dim < 0 ? null : dim);
    }
    return out;
  }

  /** Keras's name of an input dtype. */
  static String dtype(Class<? extends TType> type) {
    if (type == TFloat32.class) {
      return "float32";
    }
    if (type == TInt32.class) {
      return "int32";
    }
    if (type == TInt64.class) {
      return "int64";
    }
    if (type == TString.class) {
      return "string";
    }
    throw new IllegalArgumentException(
        "Inputs of dtype " + type.getSimpleName() + " have no Keras config in tfkeras; it writes"
            + " float32, int32, int64 and string inputs.");
  }

  /** Keras's {@code InputLayer} entry of a model's {@code layers} list for one input. */
  static Config inputLayer(KerasTensor input) {
    return inputLayer(input.shape(), input.dtype(), input.node().layer().name());
  }

  static Config inputLayer(Shape batchShape, Class<? extends TType> dtype, String name) {
    Config config = new Config()
        .put("batch_shape", shape(batchShape))
        .put("dtype", dtype(dtype))
        .put("sparse", false)
        .put("ragged", false)
        .put("name", name);
    return new Config()
        .put("module", "keras.layers")
        .put("class_name", "InputLayer")
        .put("config", config)
        .put("registered_name", null);
  }

  /**
   * The input an {@code InputLayer}'s config declares ({@code batch_shape}, or Keras 2's {@code
   * batch_input_shape}; dtype as a string or a DTypePolicy).
   */
  static KerasTensor input(Config config) {
    config.describes("InputLayer");
    long[] batchShape = config.has("batch_shape") ? config.getLongs("batch_shape") : config.getLongs("batch_input_shape");
    config.ignore("batch_shape", "batch_input_shape", "input_shape");
    if (batchShape == null) {
      throw new IllegalArgumentException("InputLayer '" + config.name() + "' has no batch_shape.");
    }
    if (config.getBoolean("sparse", false) || config.getBoolean("ragged", false)) {
      throw new IllegalArgumentException("InputLayer '" + config.name() + "' is sparse or ragged: not supported.");
    }
    String dtype = dtypeName(config.get("dtype"));
    Class<? extends TType> type = switch (dtype) {
      case "float32" -> TFloat32.class;
      case "int32" -> TInt32.class;
      case "int64" -> TInt64.class;
      case "string" -> TString.class;
      default -> throw new IllegalArgumentException(
          "InputLayer '" + config.name() + "' has dtype '" + dtype + "'; tfkeras reads float32, int32, int64 and"
              + " string inputs.");
    };
    String name = config.getString("name", null);
    return Input.named(name, type, Arrays.copyOfRange(batchShape, 1, batchShape.length));
  }

  /** Keras's dtype: a string ({@code "float32"}) or a DTypePolicy object ({@code config.name}). */
  static String dtypeName(Object dtype) {
    if (dtype == null) {
      return "float32";
    }
    if (dtype instanceof Config policy) {
      Config inner = policy.getConfig("config");
      return inner != null && inner.name() != null ? inner.name() : policy.toJson();
    }
    return dtype.toString();
  }

  /** Refuses a model config whose {@code dtype} is not float32, the dtype tfkeras models compute in. */
  static void requireFloat32(Config config) {
    String dtype = dtypeName(config.get("dtype"));
    if (!dtype.equals("float32")) {
      throw new IllegalArgumentException(
          config.owner() + " has dtype '" + dtype + "'; tfkeras models compute in float32.");
    }
  }

  /** One element of a {@code layers} list, which must be a serialized object. */
  static Config entry(Object element, String where) {
    if (!(element instanceof Config entry)) {
      throw new IllegalArgumentException(
          where + ": each entry of `layers` must be a serialized layer ({\"class_name\": ..., \"config\": ...}),"
              + " received " + element + ".");
    }
    return entry;
  }

  /** Closes the models among {@code layers} (built nested models hold a share of their runtime). */
  static void closeAll(java.util.Collection<? extends Layer> layers) {
    for (Layer layer : layers) {
      if (layer instanceof Model model) {
        model.close();
      }
    }
  }

  /** Keras's DTypePolicy of float32, as models write their {@code dtype}. */
  static Config float32Policy() {
    return new Config()
        .put("module", "keras")
        .put("class_name", "DTypePolicy")
        .put("config", new Config().put("name", "float32"))
        .put("registered_name", null);
  }

  private static String abbreviate(Config c) {
    String text = c.toJson();
    return text.length() <= 300 ? text : text.substring(0, 300) + "...";
  }
}
