package dev.tfkeras.callbacks;

import dev.tfkeras.models.Model;
import java.util.Map;

/**
 * Hooks that {@code Model.fit} calls around training, epochs and batches, like Keras callbacks.
 * Every hook does nothing by default; override the ones you need.
 *
 * <p>Logs are ordered maps: {@code loss}, then each metric's name, then the {@code val_} prefixed
 * validation values at epoch end. Batch logs are computed only if a callback reads them.
 */
public abstract class Callback {

  private Model model;

  /** Called by {@code fit} before training starts. */
  public void setModel(Model model) {
    this.model = model;
  }

  /** The model being trained; null outside {@code fit}. */
  protected Model model() {
    return model;
  }

  public void onTrainBegin() {}

  /**
   * Called when training ends, with the last epoch's logs; also when training fails, with empty
   * logs, so that callbacks can release what they hold (the failure then propagates).
   */
  public void onTrainEnd(Map<String, Double> logs) {}

  /** @param epoch 0-based */
  public void onEpochBegin(int epoch) {}

  /** @param epoch 0-based; logs hold the epoch's training and validation values */
  public void onEpochEnd(int epoch, Map<String, Double> logs) {}

  /** @param batch 0-based index within the epoch */
  public void onTrainBatchBegin(int batch) {}

  /** @param logs running values of the epoch so far, fetched lazily on first read */
  public void onTrainBatchEnd(int batch, Map<String, Double> logs) {}
}
