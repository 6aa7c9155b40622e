package dev.tfkeras.demo;

import dev.tfkeras.callbacks.Callback;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * The notebook's per-epoch line, {@code Epoch 1, Loss: 0.14, Accuracy: 95.87, Test loss: 0.07,
 * Test Accuracy: 97.67}; as a callback it prints it from {@code fit}'s logs.
 */
final class EpochLine extends Callback {

  private final PrintStream out;

  EpochLine(PrintStream out) {
    this.out = out;
  }

  static String format(int epoch, double loss, double accuracy, double testLoss, double testAccuracy) {
    return String.format(
        Locale.ROOT,
        "Epoch %d, Loss: %.2f, Accuracy: %.2f, Test loss: %.2f, Test Accuracy: %.2f",
        epoch + 1,
        loss,
        accuracy * 100,
        testLoss,
        testAccuracy * 100);
  }

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs) {
    out.println(
        format(epoch, logs.get("loss"), logs.get("accuracy"), logs.get("val_loss"), logs.get("val_accuracy")));
  }
}
