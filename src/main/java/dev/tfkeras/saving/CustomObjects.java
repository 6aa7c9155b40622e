package dev.tfkeras.saving;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Your own classes (a subclassed model, a custom layer, loss or initializer) by the name they are
 * saved under, so that {@code Model.load}, {@code Model.fromJson} and {@link Serialization#deserialize}
 * can rebuild them: Keras's {@code @register_keras_serializable} and {@code custom_objects}.
 *
 * <pre>{@code
 * CustomObjects.register("MyLayer", MyLayer::fromConfig);          // saved as "Custom>MyLayer"
 * CustomObjects.register("my_package", "MyLayer", MyLayer::fromConfig);  // "my_package>MyLayer"
 * }</pre>
 *
 * <p>As in Keras, a registered class is written with {@code registered_name} {@code
 * "package>Name"} (package {@code "Custom"} by default) and found on load by that name or by its
 * bare class name. The registry is process-wide and thread-safe.
 */
public final class CustomObjects {

  /** Keras's default package for registered objects. */
  public static final String DEFAULT_PACKAGE = "Custom";

  private static final Map<String, Function<Config, ?>> BY_NAME = new ConcurrentHashMap<>();

  private CustomObjects() {}

  /** Registers a factory under {@code "Custom>" + name} (and {@code name} for lookups). */
  public static void register(String name, Function<Config, ?> fromConfig) {
    register(DEFAULT_PACKAGE, name, fromConfig);
  }

  /**
   * Registers a factory under {@code packageName + ">" + name}; the class's simple name should be
   * {@code name}, as Keras's default.
   *
   * @throws IllegalArgumentException for a blank name or one with '&gt;', or if another factory is
   *     registered under the same name (unregister it first)
   */
  public static void register(String packageName, String name, Function<Config, ?> fromConfig) {
    if (name == null || name.isBlank() || name.contains(">") || packageName == null
        || packageName.isBlank() || packageName.contains(">")) {
      throw new IllegalArgumentException(
          "A custom object is registered as (package, name), both non-empty and without '>';"
              + " received package='" + packageName + "', name='" + name + "'.");
    }
    if (fromConfig == null) {
      throw new IllegalArgumentException("Custom object '" + name + "': the factory is null; pass e.g. MyLayer::fromConfig.");
    }
    String key = packageName + ">" + name;
    Function<Config, ?> previous = BY_NAME.putIfAbsent(key, fromConfig);
    if (previous != null && previous != fromConfig) {
      throw new IllegalArgumentException(
          "'" + key + "' is already registered to another factory. Keras registers each name once:"
              + " call CustomObjects.unregister(\"" + key + "\") first to replace it.");
    }
  }

  /** Removes a registration ({@code "package>Name"}, or a bare name under {@code "Custom"}). */
  public static boolean unregister(String registeredName) {
    return BY_NAME.remove(qualified(registeredName)) != null;
  }

  /** The registered names ({@code "package>Name"}), sorted. */
  public static Set<String> registeredNames() {
    return Collections.unmodifiableSet(new TreeSet<>(BY_NAME.keySet()));
  }

  /**
   * The factory for a registered name ({@code "package>Name"}) or a bare class name (any package,
   * {@code "Custom"} first); null if none.
   */
  public static Function<Config, ?> get(String name) {
    if (name == null) {
      return null;
    }
    Function<Config, ?> found = BY_NAME.get(qualified(name));
    if (found != null || name.contains(">")) {
      return found;
    }
    for (Map.Entry<String, Function<Config, ?>> e : BY_NAME.entrySet()) {
      if (e.getKey().endsWith(">" + name)) {
        return e.getValue();
      }
    }
    return null;
  }

  /**
   * The registered name for a class: the first {@code "package>Name"} whose name is the class's
   * simple name; null if the class is not registered.
   */
  public static String registeredName(Class<?> type) {
    String simple = type.getSimpleName();
    String custom = DEFAULT_PACKAGE + ">" + simple;
    if (BY_NAME.containsKey(custom)) {
      return custom;
    }
    return new TreeSet<>(BY_NAME.keySet()).stream().filter(k -> k.endsWith(">" + simple)).findFirst().orElse(null);
  }

  private static String qualified(String name) {
    return name.contains(">") ? name : DEFAULT_PACKAGE + ">" + name;
  }
}
