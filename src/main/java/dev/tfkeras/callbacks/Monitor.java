package dev.tfkeras.callbacks;

import java.util.Map;

/**
 * A monitored log value and whether lower or higher is better: {@code min} for losses and errors,
 * {@code max} for accuracies, as Keras's {@code mode='auto'} decides from the name.
 */
final class Monitor {

  private final String key;
  private final boolean lowerIsBetter;
  private final double minDelta;

  Monitor(String key, double minDelta) {
    this(key, minDelta, "auto");
  }

  /**
   * @param mode {@code "min"} (lower is better), {@code "max"}, or {@code "auto"} to decide from
   *     the key as described above, as Keras's {@code mode}
   */
  Monitor(String key, double minDelta, String mode) {
    if (key == null || key.isBlank()) {
      throw new IllegalArgumentException("monitor must name a log value such as \"val_loss\", received: " + key);
    }
    if (!(minDelta >= 0)) {
      throw new IllegalArgumentException("minDelta must be >= 0, received: " + minDelta);
    }
    this.key = key;
    this.minDelta = minDelta;
    String name = key.startsWith("val_") ? key.substring(4) : key;
    this.lowerIsBetter =
        switch (mode == null ? "" : mode) {
          case "min" -> true;
          case "max" -> false;
          case "auto" ->
              !(name.contains("acc") || name.startsWith("fmeasure") || name.contains("auc"));
          default -> throw new IllegalArgumentException(
              "mode must be one of \"auto\", \"min\" or \"max\", received: " + mode
                  + ". Use \"max\" for values that should grow, \"min\" for those that should"
                  + " shrink.");
        };
  }

  String key() {
    return key;
  }

  /** The monitored value, or an exception naming the keys that exist. */
  /** The best value before any epoch, as Keras starts it: {@code inf} when lower is better, else {@code -inf}. */
  double initialBest() {
    return lowerIsBetter ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
  }

  double read(Map<String, Double> logs, String who) {
    Double value = logs.get(key);
    if (value == null) {
      throw new IllegalStateException(
          who + " monitors '" + key + "', which is not in the logs. Available: " + logs.keySet()
              + ". Pass validation data to fit for val_ values.");
    }
    return value;
  }

  /** Whether {@code current} improves on {@code best} by more than minDelta. */
  boolean improves(double current, Double best) {
    if (best == null) {
      return !Double.isNaN(current);
    }
    return lowerIsBetter ? current < best - minDelta : current > best + minDelta;
  }
}
