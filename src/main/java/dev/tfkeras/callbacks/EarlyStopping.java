package dev.tfkeras.callbacks;

import dev.tfkeras.variables.Variable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tensorflow.types.TFloat32;

/**
 * Stops training when a monitored value has not improved for {@code patience} epochs, optionally
 * restoring the weights of the best epoch, like Keras's {@code EarlyStopping}.
 */
public final class EarlyStopping extends Callback {

  private static final Logger LOG = LogManager.getLogger(EarlyStopping.class);

  private Monitor monitor;
  private String monitorKey;
  private double minDelta;
  private String mode = "auto";
  private int patience;
  private boolean restoreBestWeights;
  private Double best;
  private int wait;
  private int bestEpoch = -1;
  private int stoppedEpoch = -1;
  private final List<TFloat32> bestWeights = new ArrayList<>();

  /**
   * Keras's defaults: monitors {@code val_loss}, patience 0, min delta 0, mode {@code auto}, no
   * weight restoring; set them with the setters: {@code new
   * EarlyStopping().monitor("val_loss").patience(3)}.
   */
  public EarlyStopping() {
    this("val_loss", 0);
  }

  /** Stops after {@code patience} epochs without improvement of {@code monitor} (min delta 0). */
  public EarlyStopping(String monitor, int patience) {
    this(monitor, patience, 0.0, false);
  }

  /**
   * @param monitor log key, e.g. {@code val_loss}; lower is better unless it names an accuracy
   * @param patience epochs without improvement before stopping, >= 0
   * @param minDelta the smallest change that counts as an improvement
   * @param restoreBestWeights whether to put back the best epoch's weights when stopping
   */
  public EarlyStopping(String monitor, int patience, double minDelta, boolean restoreBestWeights) {
    this.monitor = new Monitor(monitor, minDelta);
    this.monitorKey = monitor;
    this.minDelta = minDelta;
    this.patience = checkPatience(patience);
    this.restoreBestWeights = restoreBestWeights;
  }

  static int checkPatience(int patience) {
    if (patience < 0) {
      throw new IllegalArgumentException("patience must be >= 0, received: " + patience);
    }
    return patience;
  }

  /**
   * Keras's {@code monitor}: the log key watched, e.g. {@code "val_loss"} (default) or {@code
   * "val_accuracy"}; returns this.
   *
   * @throws IllegalArgumentException for a blank key
   */
  public EarlyStopping monitor(String monitor) {
    this.monitor = new Monitor(monitor, minDelta, mode);
    this.monitorKey = monitor;
    return this;
  }

  /**
   * Keras's {@code patience}: epochs without improvement before stopping (default 0); returns
   * this.
   *
   * @throws IllegalArgumentException if negative
   */
  public EarlyStopping patience(int patience) {
    this.patience = checkPatience(patience);
    return this;
  }

  /**
   * Keras's {@code min_delta}: the smallest change that counts as an improvement (default 0);
   * returns this.
   *
   * @throws IllegalArgumentException if negative
   */
  public EarlyStopping minDelta(double minDelta) {
    this.monitor = new Monitor(monitorKey, minDelta, mode);
    this.minDelta = minDelta;
    return this;
  }

  /**
   * Keras's {@code mode}: {@code "min"}, {@code "max"} or {@code "auto"} (default: from the
   * monitored key, higher is better for accuracies); returns this.
   *
   * @throws IllegalArgumentException for another mode
   */
  public EarlyStopping mode(String mode) {
    this.monitor = new Monitor(monitorKey, minDelta, mode);
    this.mode = mode;
    return this;
  }

  /**
   * Keras's {@code restore_best_weights}: whether to put back the best epoch's weights when
   * stopping (default false); returns this.
   */
  public EarlyStopping restoreBestWeights(boolean restoreBestWeights) {
    this.restoreBestWeights = restoreBestWeights;
    return this;
  }

  /** The monitored log key. */
  public String monitor() {
    return monitorKey;
  }

  /** Epochs without improvement before stopping. */
  public int patience() {
    return patience;
  }

  @Override
  public void onTrainBegin() {
    best = null;
    wait = 0;
    bestEpoch = -1;
    stoppedEpoch = -1;
    releaseSnapshot();
  }

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs) {
    double current = monitor.read(logs, "EarlyStopping");
    if (monitor.improves(current, best)) {
      best = current;
      bestEpoch = epoch;
      wait = 0;
      if (restoreBestWeights) {
        snapshot();
      }
      return;
    }
    wait++;
    if (wait >= patience && epoch > 0) {
      stoppedEpoch = epoch;
      model().stopTraining();
      if (restoreBestWeights && !bestWeights.isEmpty()) {
        restore();
        LOG.info("Restoring model weights from the end of the best epoch: {}.", bestEpoch + 1);
      }
    }
  }

  @Override
  public void onTrainEnd(Map<String, Double> logs) {
    if (stoppedEpoch >= 0) {
      LOG.info("Epoch {}: early stopping", stoppedEpoch + 1);
    }
    releaseSnapshot();
  }

  /** The 0-based epoch at which training was stopped, or -1 if it ran to the end. */
  public int stoppedEpoch() {
    return stoppedEpoch;
  }

  /** The 0-based epoch with the best monitored value, or -1 before any. */
  public int bestEpoch() {
    return bestEpoch;
  }

  private void snapshot() {
    releaseSnapshot();
    for (Variable<TFloat32> weight : model().variables()) {
      bestWeights.add(weight.value());
    }
  }

  private void restore() {
    List<Variable<TFloat32>> weights = model().variables();
    for (int i = 0; i < weights.size(); i++) {
      weights.get(i).assign(bestWeights.get(i));
    }
  }

  private void releaseSnapshot() {
    bestWeights.forEach(TFloat32::close);
    bestWeights.clear();
  }
}
