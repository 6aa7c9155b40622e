package dev.tfkeras.callbacks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Records every epoch's logs; {@code fit} adds one and returns it, like Keras's {@code History}. */
public final class History extends Callback {

  private final Map<String, List<Double>> history = new LinkedHashMap<>();
  private final List<Integer> epochs = new ArrayList<>();

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs) {
    epochs.add(epoch);
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
