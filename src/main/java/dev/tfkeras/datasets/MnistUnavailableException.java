package dev.tfkeras.datasets;

import java.io.IOException;

/**
 * No source could provide MNIST; the message lists every source tried with its reason and says
 * where to put the files by hand.
 */
public class MnistUnavailableException extends IOException {

  public MnistUnavailableException(String message) {
    super(message);
  }
}
