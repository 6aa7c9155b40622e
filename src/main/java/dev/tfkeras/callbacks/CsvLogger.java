package dev.tfkeras.callbacks;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Writes one CSV row per epoch ({@code epoch,loss,...,val_loss,...}), flushed as it goes so a crash
 * keeps every finished epoch. The file is replaced at the start of training, as in Keras.
 */
public final class CsvLogger extends Callback {

  private final Path file;
  private BufferedWriter writer;
  private List<String> keys;

  public CsvLogger(Path file) {
    this.file = Objects.requireNonNull(file, "file");
  }

  @Override
  public void onTrainBegin() {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
      keys = null;
    } catch (IOException e) {
      throw new UncheckedIOException("CsvLogger cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs) {
    try {
      if (keys == null) {
        keys = new ArrayList<>(logs.keySet());
        writer.write("epoch," + String.join(",", keys));
        writer.newLine();
      }
      StringBuilder row = new StringBuilder(Integer.toString(epoch));
      for (String key : keys) {
        Double value = logs.get(key);
        row.append(',').append(value == null ? "" : String.format(Locale.ROOT, "%s", value));
      }
      writer.write(row.toString());
      writer.newLine();
      writer.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("CsvLogger cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void onTrainEnd(Map<String, Double> logs) {
    try {
      if (writer != null) {
        writer.close();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("CsvLogger cannot close " + file + ": " + e.getMessage(), e);
    } finally {
      writer = null;
    }
  }
}
