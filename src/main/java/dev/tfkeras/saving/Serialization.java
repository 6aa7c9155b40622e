package dev.tfkeras.saving;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Objects to and from their serialized form, as Keras's {@code keras.saving.serialize_keras_object}
 * and {@code deserialize_keras_object}: {@code {"module": "keras.layers", "class_name": "Dense",
 * "config": {...}, "registered_name": null}} (plus {@code build_config} for a built layer), the form
 * every object takes inside a {@code .keras} file's {@code config.json}.
 *
 * <pre>{@code
 * Config serialized = Serialization.serialize(new Dense(10));
 * Layer copy = Serialization.deserialize(serialized, Layer.class);
 * Initializer init = Serialization.deserialize("he_normal", Initializer.class);
 * }</pre>
 *
 * <p>Classes of your own are found through {@link CustomObjects}; tfkeras's own classes through
 * their family ({@code keras.layers}, {@code keras.initializers}, ...), each family's class names
 * being Keras's.
 */
public final class Serialization {

  /**
   * A family of serializable classes: the Java type, Keras's module for it, and its built-in
   * classes by Keras class name (and, for families that have them, string identifiers such as
   * {@code "relu"}).
   */
  private record Family(
      Class<?> type,
      String module,
      Function<String, Function<Config, ?>> byClassName,
      Function<String, ?> byIdentifier,
      Set<String> names,
      Function<String, String> internalModule) {}

  private static final List<Family> FAMILIES = new ArrayList<>();

  static {
    // Models before layers: a model is a layer, and a layer's family includes the models
    FAMILIES.add(new Family(dev.tfkeras.models.Model.class, "keras", dev.tfkeras.models.Models::factory, null,
        dev.tfkeras.models.Models.classNames(), dev.tfkeras.models.Models::internalModule));
    family(dev.tfkeras.layers.Layer.class, "keras.layers",
        dev.tfkeras.saving.keras.KerasLayers::factory, null, dev.tfkeras.saving.keras.KerasLayers.supported());
    family(dev.tfkeras.initializers.Initializer.class, "keras.initializers",
        dev.tfkeras.initializers.Initializers::factory, dev.tfkeras.initializers.Initializers::get,
        dev.tfkeras.initializers.Initializers.classNames());
    family(dev.tfkeras.regularizers.Regularizer.class, "keras.regularizers",
        dev.tfkeras.regularizers.Regularizers::factory, dev.tfkeras.regularizers.Regularizers::get,
        dev.tfkeras.regularizers.Regularizers.classNames());
    family(dev.tfkeras.constraints.Constraint.class, "keras.constraints",
        dev.tfkeras.constraints.Constraints::factory, dev.tfkeras.constraints.Constraints::get,
        dev.tfkeras.constraints.Constraints.classNames());
    family(dev.tfkeras.optimizers.Optimizer.class, "keras.optimizers",
        dev.tfkeras.optimizers.Optimizers::factory, dev.tfkeras.optimizers.Optimizers::get,
        dev.tfkeras.optimizers.Optimizers.classNames());
    family(dev.tfkeras.optimizers.schedules.LearningRateSchedule.class, "keras.optimizers.schedules",
        dev.tfkeras.optimizers.schedules.LearningRateSchedules::factory, null,
        dev.tfkeras.optimizers.schedules.LearningRateSchedules.classNames());
    family(dev.tfkeras.losses.Loss.class, "keras.losses",
        dev.tfkeras.losses.Losses::factory, dev.tfkeras.losses.Losses::get,
        dev.tfkeras.losses.Losses.classNames());
    family(dev.tfkeras.metrics.Metric.class, "keras.metrics",
        dev.tfkeras.metrics.Metrics::factory, dev.tfkeras.metrics.Metrics::get,
        dev.tfkeras.metrics.Metrics.classNames());
  }

  private Serialization() {}

  private static void family(
      Class<?> type,
      String module,
      Function<String, Function<Config, ?>> byClassName,
      Function<String, ?> byIdentifier,
      Set<String> names) {
    FAMILIES.add(new Family(type, module, byClassName, byIdentifier, names, className -> null));
  }

  /**
   * The object as Keras serializes it: {@code module}, {@code class_name}, {@code config}, {@code
   * registered_name} (null for Keras's own classes; {@code "package>Name"} for a {@linkplain
   * CustomObjects registered} class, else its class name) and, when the object has one, {@code
   * build_config}.
   */
  public static Config serialize(Configurable object) {
    if (object == null) {
      throw new IllegalArgumentException("Cannot serialize null; expected a Configurable object.");
    }
    Class<?> type = object.getClass();
    String className = type.getSimpleName();
    String registered = CustomObjects.registeredName(type);
    Family family = familyOf(type);
    boolean builtIn = registered == null && family != null && type.getPackageName().startsWith("dev.tfkeras.")
        && family.byClassName().apply(className) != null;
    // A built-in class Keras does not export (Functional) is written with its Python module and its
    // class name as registered_name, as Keras writes any class it cannot name publicly.
    String internal = builtIn ? family.internalModule().apply(className) : null;
    Config out = new Config();
    out.put("module", internal != null ? internal : builtIn ? family.module() : type.getPackageName());
    out.put("class_name", className);
    out.put("config", object.getConfig());
    out.put("registered_name", internal != null ? className : builtIn ? null : registered != null ? registered : className);
    Config build = object.getBuildConfig();
    if (build != null) {
      out.put("build_config", build);
    }
    return out;
  }

  /**
   * The object a serialized config describes, as Keras's {@code deserialize_keras_object}: a
   * {@link CustomObjects registered} class by {@code registered_name} or {@code class_name} first,
   * then tfkeras's class of that Keras name in {@code type}'s family. Also takes a string
   * identifier where Keras does ({@code "he_normal"}, {@code "l2"}, {@code "adam"}), and a bare
   * {@code {"class_name": ..., "config": ...}} as Keras 2 wrote it.
   *
   * @throws IllegalArgumentException for an unknown class, naming it, the known classes of the
   *     family and how to register a custom one
   */
  public static <T> T deserialize(Object serialized, Class<T> type) {
    if (serialized == null) {
      return null;
    }
    if (type.isInstance(serialized)) {
      return type.cast(serialized);
    }
    Family family = familyOf(type);
    if (serialized instanceof String identifier) {
      if (family == null || family.byIdentifier() == null) {
        throw new IllegalArgumentException(
            "Cannot interpret '" + identifier + "' as a " + type.getSimpleName() + ": expected a serialized"
                + " config ({\"class_name\": ..., \"config\": ...}).");
      }
      return type.cast(family.byIdentifier().apply(identifier));
    }
    if (!(serialized instanceof Config c)) {
      throw new IllegalArgumentException(
          "Cannot deserialize a " + serialized.getClass().getName() + " as a " + type.getSimpleName()
              + "; expected a Config or a string identifier.");
    }
    String className = c.getString("class_name", null);
    if (className == null) {
      throw new IllegalArgumentException(
          "A serialized " + type.getSimpleName() + " needs a `class_name`; received: " + abbreviate(c) + ".");
    }
    String registered = c.getString("registered_name", null);
    Config inner = c.has("config") ? c.getConfig("config").copy() : new Config();
    inner.describes(className);
    Function<Config, ?> factory = CustomObjects.get(registered);
    if (factory == null) {
      factory = CustomObjects.get(className);
    }
    if (factory == null && family != null) {
      factory = family.byClassName().apply(className);
    }
    for (int i = 0; factory == null && i < FAMILIES.size(); i++) {
      // a narrower family within the one asked for: a model where a layer is expected
      Family narrower = FAMILIES.get(i);
      if (narrower != family && type.isAssignableFrom(narrower.type())) {
        factory = narrower.byClassName().apply(className);
      }
    }
    if (factory == null) {
      throw new IllegalArgumentException(
          "Could not locate class '" + className + "'" + (registered != null && !registered.equals(className)
              ? " (registered name '" + registered + "')" : "")
              + ". Make sure custom classes are registered: CustomObjects.register(\"" + className + "\", "
              + className + "::fromConfig) before loading."
              + (family == null ? "" : " tfkeras's " + family.module() + ": " + String.join(", ", new TreeSet<>(family.names())) + ".")
              + " Full object config: " + abbreviate(c));
    }
    Object built = factory.apply(inner);
    if (!type.isInstance(built)) {
      throw new IllegalArgumentException(
          "'" + className + "' was built as a " + (built == null ? "null" : built.getClass().getName())
              + "; expected a " + type.getName() + ".");
    }
    return type.cast(built);
  }

  private static Family familyOf(Class<?> type) {
    for (Family family : FAMILIES) {
      if (family.type().isAssignableFrom(type)) {
        return family;
      }
    }
    return null;
  }

  private static String abbreviate(Config c) {
    String text = c.toJson();
    return text.length() <= 300 ? text : text.substring(0, 300) + "...";
  }
}
