package dev.tfkeras.callbacks;

import dev.tfkeras.variables.Variable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * Saves the model's weights (with its optimizer state) at the end of epochs: every epoch, or only
 * when the monitored value improves ({@code saveBestOnly}). Saves are atomic: a crash while saving
 * leaves the previous checkpoint intact.
 *
 * <p>An epoch whose loss is NaN or infinite, or whose weights hold such values (training diverged,
 * e.g. stopped by {@link TerminateOnNaN}), is not saved: the previous, good checkpoint is kept and
 * a warning says why.
 */
public final class ModelCheckpoint extends Callback {

  private static final Logger LOG = LogManager.getLogger(ModelCheckpoint.class);

  private final Path directory;
  private Monitor monitor;
  private String monitorKey;
  private String mode = "auto";
  private boolean saveBestOnly;
  private Double best;

  /** Saves into {@code directory} after every epoch. */
  public ModelCheckpoint(Path directory) {
    this(directory, "val_loss", false);
  }

  /**
   * @param directory where {@code Model.saveWeights} writes
   * @param monitor log key judged when {@code saveBestOnly}
   * @param saveBestOnly save only when {@code monitor} improves on the best so far
   */
  public ModelCheckpoint(Path directory, String monitor, boolean saveBestOnly) {
    this.directory = Objects.requireNonNull(directory, "directory");
    this.monitor = new Monitor(monitor, 0.0);
    this.monitorKey = monitor;
    this.saveBestOnly = saveBestOnly;
  }

  /**
   * Keras's {@code monitor}: the log key judged with {@link #saveBestOnly(boolean)} (default
   * {@code "val_loss"}); returns this.
   *
   * @throws IllegalArgumentException for a blank key
   */
  public ModelCheckpoint monitor(String monitor) {
    this.monitor = new Monitor(monitor, 0.0, mode);
    this.monitorKey = monitor;
    return this;
  }

  /**
   * Keras's {@code mode}: {@code "min"}, {@code "max"} or {@code "auto"} (default: from the
   * monitored key); returns this.
   *
   * @throws IllegalArgumentException for another mode
   */
  public ModelCheckpoint mode(String mode) {
    this.monitor = new Monitor(monitorKey, 0.0, mode);
    this.mode = mode;
    return this;
  }

  /**
   * Keras's {@code save_best_only}: save only when the monitored value improves on the best so far
   * (default false); returns this.
   */
  public ModelCheckpoint saveBestOnly(boolean saveBestOnly) {
    this.saveBestOnly = saveBestOnly;
    return this;
  }

  @Override
  public void onTrainBegin() {
    best = null;
  }

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs) {
    String nonFinite = nonFinite(logs);
    if (nonFinite != null) {
      LOG.warn("Epoch {}: not saving to {}: {}. The previous checkpoint is kept.", epoch + 1, directory, nonFinite);
      return;
    }
    if (saveBestOnly) {
      double current = monitor.read(logs, "ModelCheckpoint");
      if (!monitor.improves(current, best)) {
        return;
      }
      LOG.info(
          "Epoch {}: {} improved from {} to {}, saving to {}", epoch + 1, monitor.key(),
          keras(best == null ? monitor.initialBest() : best), current, directory);
      best = current;
    }
    try {
      model().saveWeights(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("ModelCheckpoint cannot save to " + directory + ": " + e.getMessage(), e);
    }
  }

  /** Why this epoch must not be saved (a non-finite loss or weight), or null. */
  private String nonFinite(Map<String, Double> logs) {
    Double loss = logs.get("loss");
    if (loss != null && !Double.isFinite(loss)) {
      return "the loss is " + loss;
    }
    for (Variable<TFloat32> weight : model().variables()) {
      try (TFloat32 value = weight.value()) {
        float[] values = new float[(int) value.shape().size()];
        value.copyTo(DataBuffers.of(values, false, false));
        for (float v : values) {
          if (!Float.isFinite(v)) {
            return "weight " + weight.path() + " holds " + v;
          }
        }
      }
    }
    return null;
  }

  /** The best monitored value saved so far, or null. */
  public Double best() {
    return best;
  }

  /** A value as Keras prints it: {@code inf} and {@code -inf} for the infinities. */
  private static String keras(double value) {
    return Double.isInfinite(value) ? (value > 0 ? "inf" : "-inf") : Double.toString(value);
  }
}
