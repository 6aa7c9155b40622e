package dev.tfkeras.regularizers;

import java.util.LinkedHashMap;
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

  private Regularizers() {}

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
