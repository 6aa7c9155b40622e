package dev.tfkeras.datasets;

/** A MNIST source cannot provide the data; the message says why, and the next source is tried. */
final class SourceUnavailableException extends Exception {

  SourceUnavailableException(String reason) {
    super(reason);
  }
}
