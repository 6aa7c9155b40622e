package dev.tfkeras.initializers;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Initializers by Keras identifier, as {@code keras.initializers.get}: the snake-case name ({@code
 * "he_normal"}), the class name ({@code "HeNormal"}) or Keras's aliases ({@code "normal"}, {@code
 * "uniform"}, {@code "zero"}, {@code "one"}), each with Keras's default arguments and seeded from
 * the runtime.
 */
public final class Initializers {

  private static final Map<String, Supplier<Initializer>> KNOWN = new LinkedHashMap<>();

  static {
    register("Zeros", "zeros", Zeros::new);
    register("Ones", "ones", Ones::new);
    register("Constant", "constant", () -> Constant.of(0f));
    register("Identity", "identity", Identity::new);
    register("GlorotUniform", "glorot_uniform", GlorotUniform::new);
    register("GlorotNormal", "glorot_normal", GlorotNormal::new);
    register("HeNormal", "he_normal", HeNormal::new);
    register("HeUniform", "he_uniform", HeUniform::new);
    register("LecunNormal", "lecun_normal", LecunNormal::new);
    register("LecunUniform", "lecun_uniform", LecunUniform::new);
    register("RandomNormal", "random_normal", RandomNormal::new);
    register("RandomUniform", "random_uniform", RandomUniform::new);
    register("TruncatedNormal", "truncated_normal", TruncatedNormal::new);
    register("VarianceScaling", "variance_scaling", VarianceScaling::new);
    register("Orthogonal", "orthogonal", Orthogonal::new);
    KNOWN.put("OrthogonalInitializer", Orthogonal::new);
    KNOWN.put("IdentityInitializer", Identity::new);
    KNOWN.put("normal", RandomNormal::new);
    KNOWN.put("uniform", RandomUniform::new);
    KNOWN.put("zero", Zeros::new);
    KNOWN.put("one", Ones::new);
  }

  private Initializers() {}

  private static void register(String className, String snakeName, Supplier<Initializer> make) {
    KNOWN.put(className, make);
    KNOWN.put(snakeName, make);
  }

  /**
   * A new initializer for a Keras identifier (case-sensitive, as Keras).
   *
   * @throws IllegalArgumentException for an unknown identifier, listing the known ones
   */
  public static Initializer get(String identifier) {
    Supplier<Initializer> make = identifier == null ? null : KNOWN.get(identifier);
    if (make == null) {
      throw new IllegalArgumentException(
          "Could not interpret initializer identifier: " + identifier + ". Known: "
              + String.join(", ", KNOWN.keySet()) + ".");
    }
    return make.get();
  }
}
