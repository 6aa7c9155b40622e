package dev.tfkeras.datasets;

import java.io.IOException;

/**
 * A data file exists but its content is not what it must be (bad magic number, truncated data,
 * wrong shape, unsupported type); the message names the file, the expectation and what was found.
 */
public class InvalidDataFileException extends IOException {

  public InvalidDataFileException(String message) {
    super(message);
  }

  public InvalidDataFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
