package dev.tfkeras.constraints;

import dev.tfkeras.variables.Variable;
import dev.tfkeras.saving.Config;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Constraints by Keras identifier ({@code "max_norm"}, {@code "non_neg"}, {@code "unit_norm"},
 * {@code "min_max_norm"} or the class names, with Keras's defaults), and the step optimizers run
 * after updating a constrained variable.
 */
public final class Constraints {

  private static final Map<String, Supplier<Constraint>> KNOWN = new LinkedHashMap<>();

  static {
    KNOWN.put("MaxNorm", MaxNorm::new);
    KNOWN.put("max_norm", MaxNorm::new);
    KNOWN.put("NonNeg", NonNeg::new);
    KNOWN.put("non_neg", NonNeg::new);
    KNOWN.put("UnitNorm", UnitNorm::new);
    KNOWN.put("unit_norm", UnitNorm::new);
    KNOWN.put("MinMaxNorm", MinMaxNorm::new);
    KNOWN.put("min_max_norm", MinMaxNorm::new);
  }

  private static final Map<String, Function<Config, Constraint>> FROM_CONFIG = new TreeMap<>();

  static {
    FROM_CONFIG.put("MaxNorm", MaxNorm::fromConfig);
    FROM_CONFIG.put("NonNeg", NonNeg::fromConfig);
    FROM_CONFIG.put("UnitNorm", UnitNorm::fromConfig);
    FROM_CONFIG.put("MinMaxNorm", MinMaxNorm::fromConfig);
  }

  private Constraints() {}

  /**
   * The {@code fromConfig} of tfkeras's constraint of a Keras class name, or null; {@link
   * dev.tfkeras.saving.Serialization#deserialize} reads serialized constraints through it.
   */
  public static Function<Config, Constraint> factory(String className) {
    return className == null ? null : FROM_CONFIG.get(className);
  }

  /** The Keras class names of the constraints tfkeras has, sorted. */
  public static Set<String> classNames() {
    return Collections.unmodifiableSet(FROM_CONFIG.keySet());
  }

  /**
   * A new constraint for a Keras identifier (case-sensitive, as Keras).
   *
   * @throws IllegalArgumentException for an unknown identifier, listing the known ones
   */
  public static Constraint get(String identifier) {
    Supplier<Constraint> make = identifier == null ? null : KNOWN.get(identifier);
    if (make == null) {
      throw new IllegalArgumentException(
          "Could not interpret constraint identifier: " + identifier + ". Known: "
              + String.join(", ", KNOWN.keySet()) + ".");
    }
    return make.get();
  }

  /**
   * The op to wait for after {@code update} changed {@code variable}: {@code update} itself, or,
   * if the variable has a constraint, an assignment of the constrained value read after {@code
   * update} ran (Keras's {@code variable.assign(variable.constraint(variable))} after each step).
   */
  public static Op afterUpdate(Ops tf, Variable<TFloat32> variable, Op update) {
    Constraint constraint = variable.constraint();
    if (constraint == null) {
      return update;
    }
    Ops after = tf.withControlDependencies(List.of(update));
    return after.assign(variable.handle(), constraint.apply(after, variable.read(after)));
  }
}
