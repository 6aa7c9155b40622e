package dev.tfkeras.optimizers;

import dev.tfkeras.optimizers.schedules.LearningRateSchedule;

/**
 * Keras's {@code AdamW}: {@link Adam} with decoupled weight decay, on by default at 0.004
 * (Loshchilov and Hutter, 2019): before each Adam update, {@code w -= w · weightDecay · lr}.
 * Exclude variables such as biases with {@link #excludeFromWeightDecay}.
 */
public class AdamW extends Adam {

  /** Keras defaults: learning rate 1e-3, weight decay 0.004. */
  public AdamW() {
    this(1e-3f);
  }

  public AdamW(float learningRate) {
    this(learningRate, 0.004f);
  }

  /** Keras defaults, with the learning rate set by {@code schedule}. */
  public AdamW(LearningRateSchedule schedule) {
    this();
    setLearningRate(schedule);
  }

  public AdamW(float learningRate, float weightDecay) {
    this(learningRate, weightDecay, 0.9f, 0.999f, 1e-7f, false);
  }

  public AdamW(
      float learningRate,
      float weightDecay,
      float beta1,
      float beta2,
      float epsilon,
      boolean amsgrad) {
    super("adamw", learningRate, beta1, beta2, epsilon, amsgrad);
    weightDecay(weightDecay);
  }
}
