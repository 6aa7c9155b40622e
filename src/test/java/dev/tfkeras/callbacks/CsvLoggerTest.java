package dev.tfkeras.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CsvLogger's Keras options {@code separator} and {@code append}, driven epoch by epoch. */
class CsvLoggerTest {

  @TempDir Path tmp;

  private static void run(CsvLogger logger, double... losses) {
    logger.onTrainBegin();
    for (int epoch = 0; epoch < losses.length; epoch++) {
      Map<String, Double> logs = new LinkedHashMap<>();
      logs.put("loss", losses[epoch]);
      logs.put("accuracy", 0.5);
      logger.onEpochEnd(epoch, logs);
    }
    logger.onTrainEnd(Map.of());
  }

  @Test
  void separatorAndAppendAsKeras() throws IOException {
    Path csv = tmp.resolve("log.csv");
    run(new CsvLogger(csv).separator(";"), 1.5);
    run(new CsvLogger(csv).separator(";").append(true), 0.25);
    assertEquals(
        List.of("epoch;loss;accuracy", "0;1.5;0.5", "0;0.25;0.5"),
        Files.readAllLines(csv, StandardCharsets.UTF_8));
    // without append the file is replaced
    run(new CsvLogger(csv), 2.0);
    assertEquals(
        List.of("epoch,loss,accuracy", "0,2.0,0.5"),
        Files.readAllLines(csv, StandardCharsets.UTF_8));
  }

  @Test
  void appendToANewFileWritesTheHeader() throws IOException {
    Path csv = tmp.resolve("new.csv");
    run(new CsvLogger(csv).append(true), 1.0);
    assertEquals(List.of("epoch,loss,accuracy", "0,1.0,0.5"), Files.readAllLines(csv));
    var e = assertThrows(IllegalArgumentException.class, () -> new CsvLogger(csv).separator(""));
    assertEquals(
        "Received an invalid value for `separator`, expected a non-empty string. Received:"
            + " separator=''",
        e.getMessage());
  }
}
