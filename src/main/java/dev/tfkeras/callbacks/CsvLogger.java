package dev.tfkeras.callbacks;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
  private String separator = ",";
  private boolean append;
  private boolean writeHeader;
  private BufferedWriter writer;
  private List<String> keys;

  /** Writes {@code file}, replacing it at the start of training (Keras's defaults). */
  public CsvLogger(Path file) {
    this.file = Objects.requireNonNull(file, "file");
  }

  /**
   * Keras's {@code separator} between the values of a row (default {@code ","}); returns this.
   *
   * @throws IllegalArgumentException for an empty separator
   */
  public CsvLogger separator(String separator) {
    Objects.requireNonNull(separator, "separator");
    if (separator.isEmpty()) {
      throw new IllegalArgumentException(
          "Received an invalid value for `separator`, expected a non-empty string. Received:"
              + " separator=''");
    }
    this.separator = separator;
    return this;
  }

  /**
   * Keras's {@code append}: add rows to an existing file instead of replacing it (default false);
   * the header is written only if the file is empty or new. Returns this.
   */
  public CsvLogger append(boolean append) {
    this.append = append;
    return this;
  }

  @Override
  public void onTrainBegin() {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      writeHeader = !append || !Files.exists(file) || Files.size(file) == 0;
      writer =
          append
              ? Files.newBufferedWriter(
                  file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)
              : Files.newBufferedWriter(file, StandardCharsets.UTF_8);
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
        if (writeHeader) {
          writer.write("epoch" + separator + String.join(separator, keys));
          writer.newLine();
        }
      }
      StringBuilder row = new StringBuilder(Integer.toString(epoch));
      for (String key : keys) {
        Double value = logs.get(key);
        row.append(separator).append(value == null ? "" : String.format(Locale.ROOT, "%s", value));
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
