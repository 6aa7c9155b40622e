package dev.tfkeras.optimizers.schedules;

import dev.tfkeras.saving.Config;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The learning-rate schedules tfkeras has, by Keras's class names ({@code
 * keras.optimizers.schedules.deserialize}): an optimizer's {@code learning_rate} in a Keras file is
 * a number or one of these, serialized.
 */
public final class LearningRateSchedules {

  private static final Map<String, Function<Config, LearningRateSchedule>> FROM_CONFIG = new TreeMap<>();

  static {
    FROM_CONFIG.put("CosineDecay", CosineDecay::fromConfig);
    FROM_CONFIG.put("ExponentialDecay", ExponentialDecay::fromConfig);
    FROM_CONFIG.put("PiecewiseConstantDecay", PiecewiseConstantDecay::fromConfig);
    FROM_CONFIG.put("PolynomialDecay", PolynomialDecay::fromConfig);
  }

  private LearningRateSchedules() {}

  /**
   * The {@code fromConfig} of tfkeras's schedule of a Keras class name ({@code "ExponentialDecay"}),
   * or null; {@link dev.tfkeras.saving.Serialization#deserialize} reads serialized schedules through it.
   */
  public static Function<Config, LearningRateSchedule> factory(String className) {
    return className == null ? null : FROM_CONFIG.get(className);
  }

  /** The Keras class names of the schedules tfkeras has, sorted. */
  public static Set<String> classNames() {
    return Collections.unmodifiableSet(FROM_CONFIG.keySet());
  }
}
