package dev.tfkeras.callbacks;

import java.util.Objects;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Sets the optimizer's learning rate at the start of each epoch from {@code schedule(epoch,
 * currentRate)}; takes effect without retracing the train step.
 */
public final class LearningRateScheduler extends Callback {

  /** A learning-rate schedule. */
  @FunctionalInterface
  public interface Schedule {
    /** @param epoch 0-based */
    float rate(int epoch, float currentRate);
  }

  private static final Logger LOG = LogManager.getLogger(LearningRateScheduler.class);
  private final Schedule schedule;

  public LearningRateScheduler(Schedule schedule) {
    this.schedule = Objects.requireNonNull(schedule, "schedule");
  }

  @Override
  public void onEpochBegin(int epoch) {
    var optimizer = model().optimizer();
    float rate = schedule.rate(epoch, optimizer.learningRate());
    optimizer.setLearningRate(rate);
    LOG.debug("Epoch {}: learning rate {}", epoch + 1, rate);
  }
}
