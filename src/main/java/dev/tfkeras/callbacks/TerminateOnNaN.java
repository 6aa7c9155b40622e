package dev.tfkeras.callbacks;

import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Stops training as soon as the running loss becomes NaN or infinite, at the end of that batch,
 * logging Keras's {@code Batch N: Invalid loss, terminating training} (N counted from 0 in the
 * epoch). It reads the loss after every batch, one extra fetch per step.
 */
public final class TerminateOnNaN extends Callback {

  private static final Logger LOG = LogManager.getLogger(TerminateOnNaN.class);
  private boolean terminated;

  @Override
  public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
    Double loss = logs.get("loss");
    if (loss != null && (loss.isNaN() || loss.isInfinite())) {
      LOG.warn("Batch {}: Invalid loss, terminating training", batch);
      terminated = true;
      model().stopTraining();
    }
  }

  /** Whether this callback stopped the training. */
  public boolean terminated() {
    return terminated;
  }
}
