package dev.tfkeras.regularizers;

import dev.tfkeras.saving.Config;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Regularizers by Keras identifier, as {@code keras.regularizers.get}: {@code "l1"}, {@code "l2"},
 * {@code "l1_l2"} or the class names, each with Keras's default factors.
 */
public final class Regularizers {

  private static final Map<String, Supplier<Regularizer>> KNOWN = new LinkedHashMap<>();

  static {
    KNOWN.put("L1", L1::new);
    KNOWN.put("l1", L1::new);
    KNOWN.put("L2", L2::new);
    KNOWN.put("l2", L2::new);
    KNOWN.put("L1L2", L1L2::new);
    KNOWN.put("l1_l2", L1L2::new);
  }

  private static final Map<String, Function<Config, Regularizer>> FROM_CONFIG = new TreeMap<>();

  static {
    FROM_CONFIG.put("L1", L1::fromConfig);
    FROM_CONFIG.put("L2", L2::fromConfig);
    FROM_CONFIG.put("L1L2", L1L2::fromConfig);
  }

  private Regularizers() {}

  /**
   * The {@code fromConfig} of tfkeras's regularizer of a Keras class name, or null; {@link
   * dev.tfkeras.saving.Serialization#deserialize} reads serialized regularizers through it.
   */
  public static Function<Config, Regularizer> factory(String className) {
    return className == null ? null : FROM_CONFIG.get(className);
  }

  /** The Keras class names of the regularizers tfkeras has, sorted. */
  public static Set<String> classNames() {
    return Collections.unmodifiableSet(FROM_CONFIG.keySet());
  }

  /**
   * A new regularizer for a Keras identifier (case-sensitive, as Keras).
   *
   * @throws IllegalArgumentException for an unknown identifier, listing the known ones
   */
  public static Regularizer get(String identifier) {
    Supplier<Regularizer> make = identifier == null ? null : KNOWN.get(identifier);
    if (make == null) {
      throw new IllegalArgumentException(
          "Could not interpret regularizer identifier: " + identifier + ". Known: "
              + String.join(", ", KNOWN.keySet()) + ".");
    }
    return make.get();
  }
}
