package dev.tfkeras.initializers;

import dev.tfkeras.saving.Config;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
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

  private static final Map<String, Function<Config, Initializer>> FROM_CONFIG = new TreeMap<>();

  static {
    FROM_CONFIG.put("Zeros", Zeros::fromConfig);
    FROM_CONFIG.put("Ones", Ones::fromConfig);
    FROM_CONFIG.put("Constant", Constant::fromConfig);
    FROM_CONFIG.put("Identity", Identity::fromConfig);
    FROM_CONFIG.put("GlorotUniform", GlorotUniform::fromConfig);
    FROM_CONFIG.put("GlorotNormal", GlorotNormal::fromConfig);
    FROM_CONFIG.put("HeNormal", HeNormal::fromConfig);
    FROM_CONFIG.put("HeUniform", HeUniform::fromConfig);
    FROM_CONFIG.put("LecunNormal", LecunNormal::fromConfig);
    FROM_CONFIG.put("LecunUniform", LecunUniform::fromConfig);
    FROM_CONFIG.put("RandomNormal", RandomNormal::fromConfig);
    FROM_CONFIG.put("RandomUniform", RandomUniform::fromConfig);
    FROM_CONFIG.put("TruncatedNormal", TruncatedNormal::fromConfig);
    FROM_CONFIG.put("VarianceScaling", VarianceScaling::fromConfig);
    FROM_CONFIG.put("Orthogonal", Orthogonal::fromConfig);
    FROM_CONFIG.put("OrthogonalInitializer", Orthogonal::fromConfig);
    FROM_CONFIG.put("IdentityInitializer", Identity::fromConfig);
  }

  private Initializers() {}

  /**
   * The {@code fromConfig} of tfkeras's initializer of a Keras class name ({@code "HeNormal"}), or
   * null; {@link dev.tfkeras.saving.Serialization#deserialize} reads serialized initializers through it.
   */
  public static Function<Config, Initializer> factory(String className) {
    return className == null ? null : FROM_CONFIG.get(className);
  }

  /** The Keras class names of the initializers tfkeras has, sorted. */
  public static Set<String> classNames() {
    return Collections.unmodifiableSet(FROM_CONFIG.keySet());
  }

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
