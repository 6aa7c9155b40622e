package dev.tfkeras.losses;

import dev.tfkeras.saving.Config;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Losses by Keras's string identifiers, as {@code keras.losses.get}: the function name, the class
 * name and Keras's short aliases, e.g. {@code "mse"}, {@code "mean_squared_error"}, {@code
 * "MeanSquaredError"}. Each call returns a new loss with Keras's default arguments.
 */
public final class Losses {

  private static final Map<String, Supplier<Loss>> IDENTIFIERS = new LinkedHashMap<>();

  static {
    register(SparseCategoricalCrossentropy::new,
        "sparse_categorical_crossentropy", "SparseCategoricalCrossentropy");
    register(CategoricalCrossentropy::new, "categorical_crossentropy", "CategoricalCrossentropy");
    register(BinaryCrossentropy::new, "binary_crossentropy", "BinaryCrossentropy", "bce", "BCE");
    register(MeanSquaredError::new, "mean_squared_error", "MeanSquaredError", "mse", "MSE");
    register(MeanAbsoluteError::new, "mean_absolute_error", "MeanAbsoluteError", "mae", "MAE");
    register(MeanSquaredLogarithmicError::new,
        "mean_squared_logarithmic_error", "MeanSquaredLogarithmicError", "msle", "MSLE");
    register(MeanAbsolutePercentageError::new,
        "mean_absolute_percentage_error", "MeanAbsolutePercentageError", "mape", "MAPE");
    register(Huber::new, "huber", "Huber");
    register(LogCosh::new, "log_cosh", "LogCosh");
    register(KLDivergence::new, "kl_divergence", "KLDivergence", "kld", "KLD");
  }

  private static final Map<String, Function<Config, Loss>> FROM_CONFIG = new TreeMap<>();

  static {
    FROM_CONFIG.put("BinaryCrossentropy", BinaryCrossentropy::fromConfig);
    FROM_CONFIG.put("CategoricalCrossentropy", CategoricalCrossentropy::fromConfig);
    FROM_CONFIG.put("Huber", Huber::fromConfig);
    FROM_CONFIG.put("KLDivergence", KLDivergence::fromConfig);
    FROM_CONFIG.put("LogCosh", LogCosh::fromConfig);
    FROM_CONFIG.put("MeanAbsoluteError", MeanAbsoluteError::fromConfig);
    FROM_CONFIG.put("MeanAbsolutePercentageError", MeanAbsolutePercentageError::fromConfig);
    FROM_CONFIG.put("MeanSquaredError", MeanSquaredError::fromConfig);
    FROM_CONFIG.put("MeanSquaredLogarithmicError", MeanSquaredLogarithmicError::fromConfig);
    FROM_CONFIG.put("SparseCategoricalCrossentropy", SparseCategoricalCrossentropy::fromConfig);
  }

  private Losses() {}

  /**
   * The {@code fromConfig} of tfkeras's loss of a Keras class name ({@code "Huber"}), or null;
   * {@link dev.tfkeras.saving.Serialization#deserialize} reads serialized losses through it.
   */
  public static Function<Config, Loss> factory(String className) {
    return className == null ? null : FROM_CONFIG.get(className);
  }

  /** The Keras class names of the losses tfkeras has, sorted. */
  public static Set<String> classNames() {
    return Collections.unmodifiableSet(FROM_CONFIG.keySet());
  }

  private static void register(Supplier<Loss> loss, String... identifiers) {
    for (String identifier : identifiers) {
      IDENTIFIERS.put(identifier, loss);
    }
  }

  /**
   * A new loss for a Keras identifier (case-sensitive, as in Keras).
   *
   * @throws IllegalArgumentException for an identifier Keras would not know, listing those known
   */
  public static Loss get(String identifier) {
    Objects.requireNonNull(identifier, "identifier");
    Supplier<Loss> loss = IDENTIFIERS.get(identifier);
    if (loss == null) {
      throw new IllegalArgumentException(
          "Unknown loss identifier '" + identifier + "'. Known identifiers: "
              + String.join(", ", IDENTIFIERS.keySet())
              + ". Or pass a Loss instance, e.g. new SparseCategoricalCrossentropy(true).");
    }
    return loss.get();
  }
}
