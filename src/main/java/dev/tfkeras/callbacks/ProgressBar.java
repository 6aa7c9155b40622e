package dev.tfkeras.callbacks;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * Keras's progress display: {@code Epoch 1/5} then {@code 1875/1875 [==============================]
 * - 31s 16ms/step - loss: 0.1371 - accuracy: 0.9588 - val_loss: ...}.
 *
 * <p>Verbosity 1 redraws the bar in place on a terminal and prints one plain line per epoch
 * elsewhere (logs, CI, notebooks); verbosity 2 prints one line per epoch without a bar; 0 prints
 * nothing. {@code fit} adds one by default.
 */
public final class ProgressBar extends Callback {

  private static final int WIDTH = 30;
  private static final long REDRAW_NANOS = 100_000_000L;

  private final PrintStream out;
  private final int verbose;
  private final boolean interactive;
  private final int epochs;
  private final long stepsPerEpoch;
  private long epochStart;
  private long lastDraw;
  private boolean drawn;
  private int drawnWidth;
  private long steps;

  /**
   * @param verbose 0, 1 or 2
   * @param epochs total epochs, for the {@code Epoch i/n} header
   * @param stepsPerEpoch batches per epoch, or -1 if unknown
   * @param interactive whether {@code out} is a terminal that understands carriage returns
   */
  public ProgressBar(PrintStream out, int verbose, int epochs, long stepsPerEpoch, boolean interactive) {
    if (verbose < 0 || verbose > 2) {
      throw new IllegalArgumentException("verbose must be 0, 1 or 2, received: " + verbose);
    }
    this.out = out;
    this.verbose = verbose;
    this.epochs = epochs;
    this.stepsPerEpoch = stepsPerEpoch;
    this.interactive = interactive;
  }

  @Override
  public void onEpochBegin(int epoch) {
    epochStart = System.nanoTime();
    drawn = false;
    drawnWidth = 0;
    steps = 0;
    if (verbose > 0 && epochs > 1) { // Keras prints no header for a single epoch
      out.printf(Locale.ROOT, "Epoch %d/%d\n", epoch + 1, epochs);
    }
  }

  @Override
  public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
    steps = batch + 1L;
    if (verbose == 1 && interactive) {
      long now = System.nanoTime();
      // nanoTime has an arbitrary origin: the first draw of an epoch must not depend on it
      if (!drawn || now - lastDraw >= REDRAW_NANOS || steps == stepsPerEpoch) {
        drawn = true;
        lastDraw = now;
        redraw(line(logs, now, true), false);
      }
    }
  }

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs) {
    if (verbose == 0) {
      return;
    }
    String text = line(logs, System.nanoTime(), verbose == 1);
    if (verbose == 1 && interactive) {
      redraw(text, true);
    } else {
      out.print(text + "\n");
      out.flush();
    }
  }

  /**
   * Draws {@code text} over the current line, padded with spaces where the line drawn before was
   * longer (as Keras does), so no tail of it stays on screen.
   */
  private void redraw(String text, boolean finish) {
    String padding = " ".repeat(Math.max(0, drawnWidth - text.length()));
    out.print("\r" + text + padding + (finish ? "\n" : ""));
    out.flush();
    drawnWidth = finish ? 0 : text.length();
  }

  String line(Map<String, Double> logs, long now, boolean bar) {
    double seconds = (now - epochStart) / 1e9;
    long total = stepsPerEpoch > 0 ? stepsPerEpoch : steps;
    StringBuilder text = new StringBuilder();
    String count = Long.toString(total);
    text.append(String.format(Locale.ROOT, "%" + count.length() + "d/%s", steps, count));
    if (bar) {
      text.append(" [").append(bar(steps, total)).append(']');
    }
    text.append(String.format(Locale.ROOT, " - %.0fs", seconds));
    if (steps > 0) {
      text.append(bar ? " " : " - ").append(String.format(Locale.ROOT, "%.0fms/step", 1000 * seconds / steps));
    }
    logs.forEach((key, v) -> text.append(" - ").append(key).append(": ").append(value(v)));
    return text.toString();
  }

  /** Keras's number format: 4 decimals, or scientific notation for magnitudes up to 1e-3. */
  static String value(double v) {
    return Math.abs(v) > 1e-3 ? String.format(Locale.ROOT, "%.4f", v) : String.format(Locale.ROOT, "%.4e", v);
  }

  private static String bar(long done, long total) {
    if (total <= 0) {
      return "=".repeat(WIDTH);
    }
    int width = (int) Math.min(WIDTH, done * WIDTH / total);
    StringBuilder bar = new StringBuilder();
    if (width > 0) {
      bar.append("=".repeat(width - 1)).append(done < total ? '>' : '=');
    }
    return bar.append(".".repeat(WIDTH - width)).toString();
  }
}
