package dev.tfkeras.saving.keras;

import java.io.IOException;

/**
 * A Keras file that cannot be read: damaged, truncated, of a format not read yet, or describing a
 * model tfkeras cannot build. The message names the file and the part concerned.
 */
public class KerasFormatException extends IOException {

  public KerasFormatException(String message) {
    super(message);
  }

  public KerasFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
