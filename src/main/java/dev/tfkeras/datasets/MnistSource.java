package dev.tfkeras.datasets;

import java.io.IOException;

/** One place MNIST may come from; {@link MnistLoader} tries them in order. */
interface MnistSource {

  /** What this source is, e.g. "download https://...", for logs and error messages. */
  String description();

  /**
   * Reads the data from this source.
   *
   * @throws SourceUnavailableException if this source does not have the data (try the next one)
   * @throws IOException if the data is there but unusable, which the user must fix
   */
  RawMnist load() throws SourceUnavailableException, IOException;
}
