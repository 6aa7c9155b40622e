package dev.tfkeras.callbacks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Records every epoch's logs; {@code fit} adds one and returns it, like Keras's {@code History}.
 * The first epoch whose loss is NaN or infinite is flagged with a warning (once per fit) saying
 * where and what to look at, as training on from there only leaves non-finite weights.
 */
public final class History extends Callback {

  private static final Logger LOG = LogManager.getLogger(History.class);

  private final Map<String, List<Double>> history = new LinkedHashMap<>();
  private final List<Integer> epochs = new ArrayList<>();
  private long batches;
  private boolean warned;

  @Override
  public void onEpochBegin(int epoch) {
    batches = 0;
  }

  @Override
  public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
    batches = batch + 1L; // counts only: reading logs would fetch them every step
  }

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs) {
    epochs.add(epoch);
    Double loss = logs.get("loss");
    if (!warned && loss != null && !Double.isFinite(loss)) {
      warned = true;
      LOG.warn(
          "Epoch {}: the loss is {} (it became non-finite in one of the epoch's {} batches), so the"
              + " weights are likely non-finite too. Look at the learning rate (too high diverges),"
              + " the data (NaN or infinity in inputs or targets) and the loss (compute it from"
              + " logits, e.g. new SparseCategoricalCrossentropy(true), rather than from a softmax"
              + " output); add TerminateOnNaN to stop at the first such batch.",
          epoch + 1, loss, batches);
    }
    logs.forEach((key, value) -> history.computeIfAbsent(key, k -> new ArrayList<>()).add(value));
  }

  /** Per-key lists of epoch values, e.g. {@code history().get("val_loss")}. */
  public Map<String, List<Double>> history() {
    Map<String, List<Double>> copy = new LinkedHashMap<>();
    history.forEach((key, values) -> copy.put(key, List.copyOf(values)));
    return Collections.unmodifiableMap(copy);
  }

  /** The values of one key, one per epoch run. */
  public List<Double> get(String key) {
    List<Double> values = history.get(key);
    if (values == null) {
      throw new IllegalArgumentException(
          "No history for '" + key + "'. Recorded keys: " + history.keySet() + ".");
    }
    return List.copyOf(values);
  }

  /** The 0-based epochs that ran. */
  public List<Integer> epochs() {
    return List.copyOf(epochs);
  }

  @Override
  public String toString() {
    return "History" + history;
  }
}
