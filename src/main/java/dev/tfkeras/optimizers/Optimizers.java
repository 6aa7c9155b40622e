package dev.tfkeras.optimizers;

import dev.tfkeras.saving.Config;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Optimizers by Keras's string identifiers ({@code keras.optimizers.get}) and by Keras's class
 * names with their {@code fromConfig} ({@code keras.optimizers.deserialize}).
 */
public final class Optimizers {

  private static final Map<String, Supplier<Optimizer>> KNOWN = new LinkedHashMap<>();

  static {
    KNOWN.put("adam", Adam::new);
    KNOWN.put("sgd", SGD::new);
    KNOWN.put("rmsprop", RMSprop::new);
    KNOWN.put("adamw", AdamW::new);
    KNOWN.put("adamax", Adamax::new);
    KNOWN.put("nadam", Nadam::new);
    KNOWN.put("adagrad", Adagrad::new);
    KNOWN.put("adadelta", Adadelta::new);
    KNOWN.put("ftrl", Ftrl::new);
    KNOWN.put("lion", Lion::new);
  }

  private static final Map<String, Function<Config, Optimizer>> FROM_CONFIG = new TreeMap<>();

  static {
    FROM_CONFIG.put("Adadelta", Adadelta::fromConfig);
    FROM_CONFIG.put("Adagrad", Adagrad::fromConfig);
    FROM_CONFIG.put("Adam", Adam::fromConfig);
    FROM_CONFIG.put("AdamW", AdamW::fromConfig);
    FROM_CONFIG.put("Adamax", Adamax::fromConfig);
    FROM_CONFIG.put("Ftrl", Ftrl::fromConfig);
    FROM_CONFIG.put("Lion", Lion::fromConfig);
    FROM_CONFIG.put("Nadam", Nadam::fromConfig);
    FROM_CONFIG.put("RMSprop", RMSprop::fromConfig);
    FROM_CONFIG.put("SGD", SGD::fromConfig);
  }

  private Optimizers() {}

  /**
   * The {@code fromConfig} of tfkeras's optimizer of a Keras class name ({@code "Adam"}; matched
   * without regard to case, as Keras's {@code optimizers.deserialize} does), or null; {@link
   * dev.tfkeras.saving.Serialization#deserialize} reads serialized optimizers through it.
   */
  public static Function<Config, Optimizer> factory(String className) {
    if (className == null) {
      return null;
    }
    for (Map.Entry<String, Function<Config, Optimizer>> e : FROM_CONFIG.entrySet()) {
      if (e.getKey().equalsIgnoreCase(className)) {
        return e.getValue();
      }
    }
    return null;
  }

  /** The Keras class names of the optimizers tfkeras has, sorted. */
  public static Set<String> classNames() {
    return Collections.unmodifiableSet(FROM_CONFIG.keySet());
  }

  /**
   * A new optimizer with Keras's defaults for {@code identifier}, matched without regard to case as
   * Keras does ({@code "adam"}, {@code "Adam"}, {@code "sgd"}, {@code "rmsprop"}, {@code "adamw"},
   * {@code "adamax"}, {@code "nadam"}, {@code "adagrad"}, {@code "adadelta"}, {@code "ftrl"},
   * {@code "lion"}).
   *
   * @throws IllegalArgumentException for an unknown identifier, listing the known ones
   */
  public static Optimizer get(String identifier) {
    Objects.requireNonNull(identifier, "identifier");
    Supplier<Optimizer> factory = KNOWN.get(identifier.toLowerCase(Locale.ROOT));
    if (factory == null) {
      throw new IllegalArgumentException(
          "Could not interpret optimizer identifier: \"" + identifier + "\". Known identifiers: "
              + String.join(", ", KNOWN.keySet()) + "; or pass an Optimizer instance.");
    }
    return factory.get();
  }
}
