package dev.tfkeras.datasets;

import java.util.function.LongConsumer;
import org.apache.logging.log4j.Logger;

/** Logs a download's progress at INFO every 10% of the expected size. */
final class DownloadProgress implements LongConsumer {

  private final Logger logger;
  private final String name;
  private final long expectedBytes;
  private int lastDecile;

  DownloadProgress(Logger logger, String name, long expectedBytes) {
    this.logger = logger;
    this.name = name;
    this.expectedBytes = expectedBytes;
  }

  @Override
  public void accept(long bytes) {
    int decile = expectedBytes > 0 ? (int) Math.min(10, bytes * 10 / expectedBytes) : 0;
    if (decile > lastDecile) {
      lastDecile = decile;
      logger.info(
          "Downloading {}: {}% ({} of {} bytes)", name, decile * 10, bytes, expectedBytes);
    }
  }
}
