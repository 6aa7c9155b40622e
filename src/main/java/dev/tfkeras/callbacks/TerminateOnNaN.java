package dev.tfkeras.callbacks;

import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/** Stops training as soon as the running loss becomes NaN or infinite. */
public final class TerminateOnNaN extends Callback {

  private static final Logger LOG = LogManager.getLogger(TerminateOnNaN.class);
  private boolean terminated;

  @Override
  public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
    Double loss = logs.get("loss");
    if (loss != null && (loss.isNaN() || loss.isInfinite())) {
      LOG.warn("Batch {}: invalid loss {}, terminating training", batch, loss);
      terminated = true;
      model().stopTraining();
    }
  }

  /** Whether this callback stopped the training. */
  public boolean terminated() {
    return terminated;
  }
}
