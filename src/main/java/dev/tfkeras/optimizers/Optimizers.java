package dev.tfkeras.optimizers;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/** Keras's string identifiers for optimizers ({@code keras.optimizers.get}). */
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

  private Optimizers() {}

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
