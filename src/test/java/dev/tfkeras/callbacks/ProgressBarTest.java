package dev.tfkeras.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tfkeras.SyntheticData;
import dev.tfkeras.models.TestModels;
import dev.tfkeras.testing.FreshRuntime;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The text fit prints: Keras's progress bar at verbosity 1 and its one-line epochs at 2. */
@ExtendWith(FreshRuntime.class)
class ProgressBarTest {

  static final SyntheticData TRAIN = new SyntheticData(512, 7); // 16 batches of 32
  static final SyntheticData VALIDATION = new SyntheticData(64, 8);
  static final String NUMBER = "\\d+\\.\\d{4}";

  /** What {@code action} prints on standard output (where fit prints). */
  static String stdout(Supplier<?> action) {
    PrintStream original = System.out;
    var buffer = new ByteArrayOutputStream();
    try (var capture = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
      System.setOut(capture);
      action.get();
    } finally {
      System.setOut(original);
    }
    return buffer.toString(StandardCharsets.UTF_8);
  }

  private static String fmt(double value) {
    return String.format(Locale.ROOT, "%.4f", value);
  }

  @Test
  void verbose2PrintsOneLinePerEpochWithCountTimeAndLogs() {
    try (var model = new TestModels.SmallCnn()) {
      TestModels.compile(model);
      History[] history = new History[1];
      String text = stdout(() -> history[0] = model.fit(TRAIN.dataset().batch(32), 2, null, 2));
      String[] lines = text.split("\n", -1);
      assertEquals(5, lines.length, text);
      assertEquals("Epoch 1/2", lines[0]);
      assertEquals("Epoch 2/2", lines[2]);
      assertEquals("", lines[4], "ends with a newline");
      for (int epoch = 0; epoch < 2; epoch++) {
        String line = lines[2 * epoch + 1];
        assertTrue(line.matches("16/16 - \\d+s - \\d+ms/step - loss: " + NUMBER + " - accuracy: " + NUMBER), line);
        assertTrue(line.endsWith(" - loss: " + fmt(history[0].get("loss").get(epoch))
            + " - accuracy: " + fmt(history[0].get("accuracy").get(epoch))), line);
      }
      assertFalse(text.contains("\r"));
    }
  }

  @Test
  void verbose2AppendsValidationValues() {
    try (var model = new TestModels.SmallCnn()) {
      TestModels.compile(model);
      String text = stdout(() -> model.fit(TRAIN.dataset().batch(64), 2, VALIDATION.dataset().batch(32), 2));
      String[] lines = text.split("\n");
      assertEquals(4, lines.length, text);
      assertTrue(lines[3].matches(" ?8/8 - \\d+s - \\d+ms/step - loss: " + NUMBER + " - accuracy: " + NUMBER
          + " - val_loss: " + NUMBER + " - val_accuracy: " + NUMBER), lines[3]);
    }
  }

  @Test
  void verbose1WithoutATerminalPrintsOneFullBarPerEpoch() {
    assumeTrue(System.console() == null, "fit draws in place when attached to a terminal");
    try (var model = new TestModels.SmallCnn()) {
      TestModels.compile(model);
      History[] history = new History[1];
      String text = stdout(() -> history[0] = model.fit(TRAIN.dataset().batch(32), 2, null, 1));
      assertFalse(text.contains("\r"), "no redraws in a log");
      String[] lines = text.split("\n", -1);
      assertEquals(5, lines.length, text);
      assertEquals("Epoch 1/2", lines[0]);
      assertEquals("Epoch 2/2", lines[2]);
      for (int epoch = 0; epoch < 2; epoch++) {
        String line = lines[2 * epoch + 1];
        assertTrue(line.matches("16/16 \\[={30}\\] - \\d+s \\d+ms/step - loss: " + NUMBER + " - accuracy: " + NUMBER), line);
        assertTrue(line.endsWith(" - loss: " + fmt(history[0].get("loss").get(epoch))
            + " - accuracy: " + fmt(history[0].get("accuracy").get(epoch))), line);
      }
    }
  }

  @Test
  void oneEpochHasNoEpochHeaderAsInKeras() {
    try (var model = new TestModels.SmallCnn()) {
      TestModels.compile(model);
      String text = stdout(() -> model.fit(TRAIN.dataset().batch(128), 1, null, 2));
      assertTrue(text.matches("4/4 - \\d+s - \\d+ms/step - loss: " + NUMBER + " - accuracy: " + NUMBER + "\n"), text);
    }
  }

  @Test
  void verbose0PrintsNothing() {
    try (var model = new TestModels.SmallCnn()) {
      TestModels.compile(model);
      String text = stdout(() -> model.fit(TRAIN.dataset().batch(64), 2, VALIDATION.dataset().batch(32), 0));
      assertEquals("", text);
    }
  }

  @Test
  void badVerbosityIsRejectedBeforeTraining() {
    try (var model = new TestModels.SmallCnn()) {
      TestModels.compile(model);
      var e = assertThrows(IllegalArgumentException.class, () -> model.fit(TRAIN.dataset().batch(64), 1, null, 3));
      assertEquals("verbose must be 0, 1 or 2, received: verbose=3", e.getMessage());
      assertFalse(model.isBuilt(), "nothing ran");
    }
    var e = assertThrows(IllegalArgumentException.class,
        () -> new ProgressBar(System.out, -1, 1, 1, false));
    assertEquals("verbose must be 0, 1 or 2, received: -1", e.getMessage());
  }

  /** What a terminal shows for {@code text}: a carriage return moves to column 0 and overwrites. */
  static List<String> render(String text) {
    List<String> screen = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    int column = 0;
    for (char c : text.toCharArray()) {
      if (c == '\n') {
        screen.add(line.toString());
        line.setLength(0);
        column = 0;
      } else if (c == '\r') {
        column = 0;
      } else {
        if (column < line.length()) {
          line.setCharAt(column, c);
        } else {
          line.append(c);
        }
        column++;
      }
    }
    if (line.length() > 0) {
      screen.add(line.toString());
    }
    return screen;
  }

  private static Map<String, Double> logs(double loss, double accuracy) {
    Map<String, Double> logs = new LinkedHashMap<>();
    logs.put("loss", loss);
    logs.put("accuracy", accuracy);
    return logs;
  }

  @Test
  void verbose1OnATerminalRedrawsInPlaceAndLeavesNoStaleCharacters() {
    var buffer = new ByteArrayOutputStream();
    var out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
    var bar = new ProgressBar(out, 1, 2, 4, true);
    bar.onEpochBegin(0);
    bar.onTrainBatchEnd(0, logs(123.456789, 0.25)); // the first batch is always drawn
    bar.onTrainBatchEnd(1, logs(50.0, 0.5));
    bar.onTrainBatchEnd(2, logs(20.0, 0.5));
    bar.onTrainBatchEnd(3, logs(9.5, 0.75)); // the last batch is always drawn
    bar.onEpochEnd(0, logs(0.5, 0.75));
    String text = buffer.toString(StandardCharsets.UTF_8);

    assertTrue(text.startsWith("Epoch 1/2\n\r1/4 [======>.......................] - "), text);
    assertTrue(text.contains(" - loss: 123.4568 - accuracy: 0.2500"), text);
    assertTrue(text.contains("\r4/4 [==============================] - "), text);
    assertTrue(text.endsWith(" - loss: 0.5000 - accuracy: 0.7500\n"), text);
    long redraws = text.chars().filter(c -> c == '\r').count();
    assertTrue(redraws >= 3, "first batch, last batch and epoch end: " + redraws);

    List<String> screen = render(text);
    assertEquals(2, screen.size(), screen.toString());
    assertEquals("Epoch 1/2", screen.get(0));
    assertTrue(screen.get(1).matches("4/4 \\[={30}\\] - \\d+s \\d+ms/step - loss: 0\\.5000 - accuracy: 0\\.7500 *"),
        "the finished line, without the tail of the longer line before it: '" + screen.get(1) + "'");
  }

  @Test
  void verbose1OnATerminalStartsEachEpochOnItsOwnLine() {
    var buffer = new ByteArrayOutputStream();
    var out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
    var bar = new ProgressBar(out, 1, 2, 2, true);
    for (int epoch = 0; epoch < 2; epoch++) {
      bar.onEpochBegin(epoch);
      bar.onTrainBatchEnd(0, logs(1.0, 0.5));
      bar.onTrainBatchEnd(1, logs(1.0, 0.5));
      bar.onEpochEnd(epoch, logs(1.0, 0.5));
    }
    List<String> screen = render(buffer.toString(StandardCharsets.UTF_8));
    assertEquals(4, screen.size(), screen.toString());
    assertEquals("Epoch 1/2", screen.get(0));
    assertEquals("Epoch 2/2", screen.get(2));
    assertTrue(screen.get(3).startsWith("2/2 [==============================] - "), screen.get(3));
  }
}
