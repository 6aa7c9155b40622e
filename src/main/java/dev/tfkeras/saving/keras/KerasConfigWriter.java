package dev.tfkeras.saving.keras;

import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonPrimitive;
import dev.tfkeras.layers.InputLayer;
import dev.tfkeras.layers.Layer;
import dev.tfkeras.models.Functional;
import dev.tfkeras.models.Model;
import dev.tfkeras.models.Sequential;
import dev.tfkeras.saving.Config;
import dev.tfkeras.saving.CustomObjects;
import dev.tfkeras.saving.Serialization;
import java.util.List;
import org.tensorflow.ndarray.Shape;

/**
 * Objects as Keras 3's {@code config.json} holds them, each serialized as {@code
 * serialization_lib.serialize_keras_object} does ({@code module}, {@code class_name}, {@code
 * config}, {@code registered_name}, {@code build_config}): {@link #model} (the whole file's
 * config, {@code model.to_json()}), {@link #serialize} (one layer or nested model: a model's config
 * is its own {@code getConfig()}; a custom class must be registered). Each layer's {@code config}
 * has the keys of Keras 3's {@code get_config()}, as the layer's own {@code getConfig()} gives them
 * (its real initializers, regularizers, constraints and activations), and its {@code fromConfig}
 * reads them back.
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
    if (layer.getClass().getPackageName().startsWith("dev.tfkeras.layers") && KerasLayers.supported().contains(name)
        || dev.tfkeras.saving.CustomObjects.registeredName(layer.getClass()) != null) {
      return name;
    }
    throw new IllegalArgumentException(
        "Layer '" + layer.name() + "' is a " + layer.getClass().getName() + ", which tfkeras cannot"
            + " write to a .keras file yet; it writes Sequential and Functional models of "
            + String.join(", ", KerasLayers.supported()) + ", and layers registered with"
            + " CustomObjects.register(\"" + name + "\", " + name + "::fromConfig). Register it, or save it"
            + " with saveWeights(directory) or export(directory) instead.");
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
      if (!(layer instanceof Model) && !definesConfig(layer)) {
        throw new IllegalArgumentException(howToSave(layer,
            "Layer '" + layer.name() + "' is a " + layer.getClass().getName() + ", a " + kind + " without a config"
                + " of its own (getConfig() is the base Layer's)"));
      }
      if (CustomObjects.registeredName(layer.getClass()) == null) {
        throw new IllegalArgumentException(howToSave(layer,
            "'" + layer.name() + "' is a " + layer.getClass().getName() + ", a " + kind + " that is not registered"
                + " as a custom object, so a file could name it but not load it back"));
      }
    }
    return Serialization.serialize(layer);
  }

  /**
   * Whether a custom layer overrides getConfig() below the base Layer (a subclassed model that does
   * not is refused by Model.getConfig itself).
   */
  private static boolean definesConfig(Layer layer) {
    try {
      return layer.getClass().getMethod("getConfig").getDeclaringClass() != Layer.class;
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(e);
    }
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

  /** A model's layers as Keras saves them under {@code layers/}: InputLayers left out. */
  static List<Layer> children(Model model) {
    return model.layers().stream().filter(l -> !(l instanceof InputLayer)).toList();
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
