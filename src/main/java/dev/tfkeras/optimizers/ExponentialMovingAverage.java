package dev.tfkeras.optimizers;

import dev.tfkeras.variables.Variable;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Keras's {@code use_ema}: after each step, {@code average = m · average + (1 - m) · variable} with
 * {@code m = ema_momentum} ({@code 0} on the very first step, so the average starts at the
 * variable); every {@code ema_overwrite_frequency} steps the variables take their averages.
 */
final class ExponentialMovingAverage {

  private float momentum = 0.99f;
  private Integer overwriteFrequency;

  void momentum(float value) {
    if (!(value >= 0f && value <= 1f)) {
      throw new IllegalArgumentException(
          "`ema_momentum` must be in the range [0, 1]. Received: ema_momentum=" + value);
    }
    momentum = value;
  }

  float momentum() {
    return momentum;
  }

  /** The overwrite frequency, or null for never (Keras's None). */
  Integer overwriteFrequency() {
    return overwriteFrequency;
  }

  void overwriteFrequency(int value) {
    if (value < 1) {
      throw new IllegalArgumentException(
          "`ema_overwrite_frequency` must be an integer >= 1. Received: ema_overwrite_frequency="
              + value);
    }
    overwriteFrequency = value;
  }

  /**
   * Ops that update each average from its variable (read after the step's updates, which {@code tf}
   * must wait for) and, on overwrite steps, the variables from their averages.
   *
   * @param iterations the optimizer's step count before this step
   */
  List<Op> update(
      Ops tf,
      List<Variable<TFloat32>> variables,
      List<Variable<TFloat32>> averages,
      Operand<TInt64> iterations) {
    Operand<TFloat32> notFirstStep =
        tf.dtypes.cast(tf.math.notEqual(iterations, tf.constant(0L)), TFloat32.class);
    Operand<TFloat32> m = tf.math.mul(notFirstStep, tf.constant(momentum));
    Operand<TFloat32> oneMinusM = tf.math.sub(tf.constant(1f), m);
    Operand<TBool> overwrite =
        overwriteFrequency == null
            ? null
            : tf.math.equal(
                tf.math.floorMod(
                    tf.math.add(iterations, tf.constant(1L)),
                    tf.constant((long) overwriteFrequency)),
                tf.constant(0L));
    List<Op> ops = new ArrayList<>();
    for (int i = 0; i < variables.size(); i++) {
      Variable<TFloat32> variable = variables.get(i);
      Variable<TFloat32> average = averages.get(i);
      Operand<TFloat32> value = variable.read(tf);
      Operand<TFloat32> next =
          tf.math.add(tf.math.mul(m, average.read(tf)), tf.math.mul(oneMinusM, value));
      Op assignAverage = tf.assign(average.handle(), next);
      if (overwrite == null) {
        ops.add(assignAverage);
      } else {
        // Both assignments read `value` first (data dependencies); the variable changes only on
        // overwrite steps, to the new average.
        ops.add(
            tf.withControlDependencies(List.of(assignAverage))
                .assign(variable.handle(), tf.select(overwrite, next, value)));
      }
    }
    return ops;
  }
}
