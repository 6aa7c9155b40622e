package dev.tfkeras.optimizers;

import dev.tfkeras.optimizers.schedules.LearningRateSchedule;
import dev.tfkeras.saving.Config;

/**
 * Keras's {@code AdamW}: {@link Adam} with decoupled weight decay, on by default at 0.004
 * (Loshchilov and Hutter, 2019): before each Adam update, {@code w -= w · weightDecay · lr}.
 * Exclude variables such as biases with {@link #excludeFromWeightDecay}.
 */
public class AdamW extends Adam {

  /** Keras defaults: learning rate 1e-3, weight decay 0.004. */
  public AdamW() {
    this(1e-3);
  }

  public AdamW(double learningRate) {
    this(learningRate, 0.004);
  }

  /** Keras defaults, with the learning rate set by {@code schedule}. */
  public AdamW(LearningRateSchedule schedule) {
    this();
    setLearningRate(schedule);
  }

  public AdamW(double learningRate, double weightDecay) {
    this(learningRate, weightDecay, 0.9, 0.999, 1e-7, false);
  }

  public AdamW(
      double learningRate,
      double weightDecay,
      double beta1,
      double beta2,
      double epsilon,
      boolean amsgrad) {
    super("adamw", learningRate, beta1, beta2, epsilon, amsgrad);
    weightDecay(weightDecay);
  }

  /** Sets Keras's {@code name}, the first part of the optimizer's variable paths; returns this. */
  @Override
  public AdamW name(String name) {
    super.name(name);
    return this;
  }

  /** Sets the learning rate (Keras's {@code learning_rate}); returns this. */
  @Override
  public AdamW learningRate(double value) {
    super.learningRate(value);
    return this;
  }

  /** As {@link Adam#beta1(double)}; returns this. */
  @Override
  public AdamW beta1(double beta1) {
    super.beta1(beta1);
    return this;
  }

  /** As {@link Adam#beta2(double)}; returns this. */
  @Override
  public AdamW beta2(double beta2) {
    super.beta2(beta2);
    return this;
  }

  /** As {@link Adam#epsilon(double)}; returns this. */
  @Override
  public AdamW epsilon(double epsilon) {
    super.epsilon(epsilon);
    return this;
  }

  /** As {@link Adam#amsgrad(boolean)}; returns this. */
  @Override
  public AdamW amsgrad(boolean amsgrad) {
    super.amsgrad(amsgrad);
    return this;
  }

  /**
   * Keras's {@code AdamW.from_config}: Adam's keys, with {@code weight_decay} 0.004 when left out.
   *
   * @throws IllegalArgumentException for {@code weight_decay} null, as Keras refuses it
   */
  public static AdamW fromConfig(Config config) {
    if (config.containsKey("weight_decay") && !config.has("weight_decay")) {
      throw new IllegalArgumentException(
          "Argument `weight_decay` must be a float. Received: weight_decay=None (" + config.owner()
              + "). AdamW is Adam with weight decay: use Adam for none.");
    }
    AdamW adamW = new AdamW(1e-3, config.getDouble("weight_decay", 0.004), config.getDouble("beta_1", 0.9),
        config.getDouble("beta_2", 0.999), config.getDouble("epsilon", 1e-7), config.getBoolean("amsgrad", false));
    return configure(adamW, config);
  }
}
