package dev.tfkeras.callbacks;

import dev.tfkeras.optimizers.Optimizer;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Lowers the learning rate when a monitored value stops improving, like Keras's {@code
 * ReduceLROnPlateau}: after {@code patience} epochs without an improvement larger than {@code
 * minDelta}, the rate is multiplied by {@code factor} (but not below {@code minLr}), then {@code
 * cooldown} epochs pass before epochs without improvement count again. The new rate applies from
 * the next step, without retracing. Each epoch's logs gain {@code learning_rate} (the rate the
 * epoch trained with), as in Keras.
 *
 * <pre>{@code
 * model.fit(train, new FitOptions().epochs(50).validationData(val)
 *     .callbacks(new ReduceLROnPlateau("val_loss", 0.2, 5).minLr(1e-4)));
 * }</pre>
 */
public final class ReduceLROnPlateau extends Callback {

  private static final Logger LOG = LogManager.getLogger(ReduceLROnPlateau.class);

  private String key;
  private double factor;
  private int patience;
  private String mode = "auto";
  private double minDelta = 1e-4;
  private int cooldown;
  private double minLr;
  private Monitor monitor;
  private Double best;
  private int wait;
  private int cooldownCounter;

  /** Keras's defaults: monitor {@code val_loss}, factor 0.1, patience 10. */
  public ReduceLROnPlateau() {
    this("val_loss", 0.1, 10);
  }

  /**
   * @param monitor log key, e.g. {@code val_loss}
   * @param factor what the rate is multiplied by, in (0, 1)
   * @param patience epochs without improvement before the rate is reduced, >= 0
   */
  public ReduceLROnPlateau(String monitor, double factor, int patience) {
    this.factor = checkFactor(factor);
    this.patience = EarlyStopping.checkPatience(patience);
    this.key = monitor;
    this.monitor = new Monitor(monitor, minDelta, mode);
  }

  private static double checkFactor(double factor) {
    if (factor >= 1.0) {
      throw new IllegalArgumentException(
          "ReduceLROnPlateau does not support a factor >= 1.0. Received factor=" + factor);
    }
    if (!(factor > 0)) {
      throw new IllegalArgumentException(
          "ReduceLROnPlateau needs a factor in (0, 1), the multiplier of the learning rate."
              + " Received factor="
              + factor);
    }
    return factor;
  }

  /**
   * Keras's {@code monitor}: the log key watched (default {@code "val_loss"}); returns this.
   *
   * @throws IllegalArgumentException for a blank key
   */
  public ReduceLROnPlateau monitor(String monitor) {
    this.monitor = new Monitor(monitor, minDelta, mode);
    this.key = monitor;
    return this;
  }

  /**
   * Keras's {@code factor}: what the rate is multiplied by, in (0, 1) (default 0.1); returns this.
   *
   * @throws IllegalArgumentException outside (0, 1)
   */
  public ReduceLROnPlateau factor(double factor) {
    this.factor = checkFactor(factor);
    return this;
  }

  /**
   * Keras's {@code patience}: epochs without improvement before the rate is reduced (default 10);
   * returns this.
   *
   * @throws IllegalArgumentException if negative
   */
  public ReduceLROnPlateau patience(int patience) {
    this.patience = EarlyStopping.checkPatience(patience);
    return this;
  }

  /** {@code "auto"} (default: lower is better unless the key names an accuracy), "min" or "max". */
  public ReduceLROnPlateau mode(String mode) {
    this.monitor = new Monitor(key, minDelta, mode);
    this.mode = mode;
    return this;
  }

  /** The smallest change that counts as an improvement (default 1e-4). */
  public ReduceLROnPlateau minDelta(double minDelta) {
    this.monitor = new Monitor(key, minDelta, mode);
    this.minDelta = minDelta;
    return this;
  }

  /** Epochs to wait after a reduction before counting epochs without improvement (default 0). */
  public ReduceLROnPlateau cooldown(int cooldown) {
    if (cooldown < 0) {
      throw new IllegalArgumentException("cooldown must be >= 0, received: " + cooldown);
    }
    this.cooldown = cooldown;
    return this;
  }

  /** The lowest learning rate a reduction sets (default 0). */
  public ReduceLROnPlateau minLr(double minLr) {
    if (!(minLr >= 0) || Double.isInfinite(minLr)) {
      throw new IllegalArgumentException("minLr must be a finite number >= 0, received: " + minLr);
    }
    this.minLr = minLr;
    return this;
  }

  @Override
  public void onTrainBegin() {
    best = null;
    wait = 0;
    cooldownCounter = 0;
  }

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs) {
    Optimizer optimizer = model().optimizer();
    logs.put("learning_rate", (double) optimizer.learningRate());
    Double current = logs.get(key);
    if (current == null) {
      LOG.warn(
          "Learning rate reduction is conditioned on metric `{}` which is not available. Available"
              + " metrics are: {}.",
          key,
          String.join(",", logs.keySet()));
      return;
    }
    if (cooldownCounter > 0) {
      cooldownCounter--;
      wait = 0;
    }
    if (monitor.improves(current, best)) {
      best = current;
      wait = 0;
    } else if (cooldownCounter == 0) {
      wait++;
      if (wait >= patience && reduce(optimizer, epoch)) {
        cooldownCounter = cooldown;
        wait = 0;
      }
    }
  }

  /** Keras's {@code _reduce_optimizer_lr}: only while the rate is above {@code minLr}. */
  private boolean reduce(Optimizer optimizer, int epoch) {
    float old = optimizer.learningRate();
    if (!(old > (float) minLr)) {
      return false;
    }
    double reduced = Math.max(old * factor, minLr);
    optimizer.setLearningRate((float) reduced);
    LOG.info("Epoch {}: ReduceLROnPlateau reducing learning rate to {}.", epoch + 1, reduced);
    return true;
  }
}
