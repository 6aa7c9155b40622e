package dev.tfkeras.optimizers.schedules;

import dev.tfkeras.runtime.GraphRuntime;
import dev.tfkeras.saving.Config;
import dev.tfkeras.saving.Configurable;
import java.util.Objects;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * A learning rate that follows the optimizer's step, as Keras's {@code LearningRateSchedule}: pass
 * one to an optimizer ({@code new Adam(new ExponentialDecay(1e-3f, 1000, 0.9f))}) and the train
 * step computes the rate from the optimizer's iteration counter inside the traced graph, so it
 * changes on every step without retracing and without host work.
 *
 * <p>Subclasses implement {@link #call} with TensorFlow ops, as Keras's {@code __call__(step)}.
 */
public abstract class LearningRateSchedule implements Configurable {

  private String name;

  /** A schedule named after its class ({@code "ExponentialDecay"}), as Keras's defaults are. */
  protected LearningRateSchedule() {
    this.name = getClass().getSimpleName();
  }

  /** A schedule with Keras's default name for it (e.g. {@code "PiecewiseConstant"}). */
  protected LearningRateSchedule(String name) {
    this.name = Objects.requireNonNull(name, "name");
  }

  /** Keras's {@code name} of the schedule (its ops' scope in Keras; a label here). */
  public String name() {
    return name;
  }

  /**
   * Sets Keras's {@code name}; returns this. The built-in schedules return their own type.
   *
   * @throws IllegalArgumentException for a blank name
   */
  public LearningRateSchedule name(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("A schedule's name must not be blank, received: " + name + ".");
    }
    this.name = name;
    return this;
  }

  /**
   * Keras's config of this schedule.
   *
   * @throws UnsupportedOperationException for a schedule that does not define one
   */
  @Override
  public Config getConfig() {
    throw new UnsupportedOperationException(
        "Learning rate schedule '" + getClass().getName() + "' has no config, so an optimizer using it"
            + " cannot be saved. Override getConfig() with its arguments, add a static fromConfig(Config),"
            + " and register it with CustomObjects.register(\"" + getClass().getSimpleName() + "\", "
            + getClass().getSimpleName() + "::fromConfig).");
  }

  /**
   * The learning rate at {@code step} as graph ops.
   *
   * @param step the number of steps the optimizer has applied before this one (0 on the first)
   */
  public abstract Operand<TFloat32> call(Ops tf, Operand<TInt64> step);

  /**
   * The learning rate at {@code step}, computed by {@link #call}'s ops in a graph of their own: for
   * callbacks, logs and tests, outside any train step.
   *
   * @throws IllegalArgumentException if {@code step} is negative
   */
  public final float valueAt(long step) {
    if (step < 0) {
      throw new IllegalArgumentException(
          "A schedule's step counts the optimizer's applied steps and cannot be negative."
              + " Received: step="
              + step);
    }
    try (Graph graph = new Graph();
        Session session = GraphRuntime.openSession(graph)) {
      Ops tf = Ops.create(graph);
      Operand<TFloat32> rate = call(tf, tf.constant(step));
      try (Result result = session.runner().fetch(rate).run()) {
        return ((TFloat32) result.get(0)).getFloat();
      }
    }
  }

  /** Refuses a config without one of {@code keys}, the arguments Keras's constructor requires. */
  static void requireKeys(Config config, String... keys) {
    for (String key : keys) {
      if (!config.containsKey(key) || config.get(key) == null) {
        throw new IllegalArgumentException(
            config.owner() + " needs `" + key + "`, which its Keras constructor requires; received: " + config + ".");
      }
    }
  }

  static long checkDecaySteps(String what, long steps) {
    if (steps <= 0) {
      throw new IllegalArgumentException(
          "Argument `" + what + "` must be > 0. Received: " + what + "=" + steps);
    }
    return steps;
  }

  static float checkFinite(String what, double requested) {
    float value = (float) requested;
    if (!Float.isFinite(value)) {
      throw new IllegalArgumentException(
          "Argument `" + what + "` must be a finite number. Received: " + what + "=" + value);
    }
    return value;
  }
}
