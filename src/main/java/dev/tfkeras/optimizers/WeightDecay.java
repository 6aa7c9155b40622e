package dev.tfkeras.optimizers;

import dev.tfkeras.variables.Variable;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras's decoupled weight decay, off until a rate is set: before its update, each variable not
 * excluded loses {@code variable · weightDecay · learningRate}. Exclusions name variables, or
 * patterns searched in a variable's name (the last part of its path, {@code kernel} in {@code
 * dense/kernel}), as Keras's {@code exclude_from_weight_decay(var_list, var_names)}.
 */
final class WeightDecay {

  private Float rate;
  private Set<Variable<?>> excludedVariables = Collections.emptySet();
  private Pattern excludedNames;

  /** Turns weight decay on at {@code rate}. */
  void rate(float rate) {
    if (!(rate >= 0f) || Float.isInfinite(rate)) {
      throw new IllegalArgumentException(
          "Received an invalid value for `weight_decay`, expected a finite number >= 0."
              + " Received: weight_decay="
              + rate);
    }
    this.rate = rate;
  }

  /** The rate, or null when weight decay is off (Keras's {@code weight_decay=None}). */
  Float rate() {
    return rate;
  }

  /** Replaces the exclusions, as each call of Keras's {@code exclude_from_weight_decay} does. */
  void exclude(Collection<? extends Variable<?>> variables, Collection<String> names) {
    Set<Variable<?>> byIdentity = Collections.newSetFromMap(new IdentityHashMap<>());
    byIdentity.addAll(variables);
    Pattern pattern = null;
    if (!names.isEmpty()) {
      try {
        pattern = Pattern.compile(String.join("|", names));
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException(
            "excludeFromWeightDecay names are regular expressions searched in variable names, as"
                + " Keras's var_names; received an invalid one in "
                + names
                + ": "
                + e.getDescription()
                + ". Quote special characters, e.g. with Pattern.quote.",
            e);
      }
    }
    excludedVariables = byIdentity;
    excludedNames = pattern;
  }

  /** Whether weight decay is on and {@code variable} is not excluded. */
  boolean appliesTo(Variable<?> variable) {
    if (rate == null || excludedVariables.contains(variable)) {
      return false;
    }
    String path = variable.path();
    String name = path.substring(path.lastIndexOf('/') + 1);
    return excludedNames == null || !excludedNames.matcher(name).find();
  }

  /** The op that decays {@code variable} in place: {@code variable -= variable · rate · lr}. */
  Op apply(Ops tf, Variable<TFloat32> variable, Operand<TFloat32> lr) {
    Operand<TFloat32> decay = tf.math.mul(tf.math.mul(variable.read(tf), tf.constant(rate)), lr);
    return tf.assignSub(variable.handle(), decay);
  }
}
