package dev.tfkeras.callbacks;

import dev.tfkeras.models.Model;
import java.util.List;
import java.util.Map;
import org.tensorflow.types.TFloat32;

/**
 * Hooks that {@code Model.fit} calls around training, epochs and batches, and that {@code
 * evaluate} (also fit's validation) and {@code predict} call around their loops, like Keras
 * callbacks. Every hook does nothing by default; override the ones you need.
 *
 * <p>Logs are ordered maps: {@code loss}, then each metric's name, then the {@code val_} prefixed
 * validation values at epoch end. Batch logs are computed only if a callback reads them.
 */
public abstract class Callback {

  private Model model;

  /** Called by {@code fit}, {@code evaluate} and {@code predict} before they start. */
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

  /** Called when {@code evaluate} starts, and when {@code fit} starts validating. */
  public void onTestBegin() {}

  /** @param logs the evaluation's values, without the {@code val_} prefix fit adds to epoch logs */
  public void onTestEnd(Map<String, Double> logs) {}

  /** @param batch 0-based index within the evaluation */
  public void onTestBatchBegin(int batch) {}

  /** @param logs running values of the evaluation so far */
  public void onTestBatchEnd(int batch, Map<String, Double> logs) {}

  /** Called when {@code predict} starts. */
  public void onPredictBegin() {}

  /** Called when {@code predict} has run every batch. */
  public void onPredictEnd() {}

  /** @param batch 0-based index within the prediction */
  public void onPredictBatchBegin(int batch) {}

  /**
   * Keras's {@code on_predict_batch_end(batch, {"outputs": ...})}.
   *
   * @param outputs the batch's outputs, one per model output, valid only during this call (they are
   *     closed after it): copy what you keep
   */
  public void onPredictBatchEnd(int batch, List<TFloat32> outputs) {}
}
