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

  private final Monitor monitor;
  private final int patience;
  private final boolean restoreBestWeights;
  private Double best;
  private int wait;
  private int bestEpoch = -1;
  private int stoppedEpoch = -1;
  private final List<TFloat32> bestWeights = new ArrayList<>();

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
    if (patience < 0) {
      throw new IllegalArgumentException("patience must be >= 0, received: " + patience);
    }
    this.monitor = new Monitor(monitor, minDelta);
    this.patience = patience;
    this.restoreBestWeights = restoreBestWeights;
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
