package dev.tfkeras.datasets;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A stream that is cut off when no byte arrives for {@code timeout}: a watchdog closes the
 * underlying stream, which unblocks the waiting read, and the read then fails with a message
 * saying so. HttpClient's timeouts end at the response headers; this bounds the body.
 */
final class StallGuard extends FilterInputStream {

  private final Duration timeout;
  private final ScheduledExecutorService watchdog;
  private volatile long lastProgress = System.nanoTime();
  private volatile boolean stalled;
  private long bytes;

  StallGuard(InputStream in, Duration timeout) {
    super(in);
    this.timeout = timeout;
    this.watchdog =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "tfkeras-download-watchdog");
              thread.setDaemon(true);
              return thread;
            });
    long period = Math.max(10, timeout.toMillis() / 10);
    watchdog.scheduleAtFixedRate(this::check, period, period, TimeUnit.MILLISECONDS);
  }

  private void check() {
    if (System.nanoTime() - lastProgress > timeout.toNanos()) {
      stalled = true;
      try {
        in.close();
      } catch (IOException e) {
        // the read that waits fails or ends either way; the flag says why
      }
      watchdog.shutdown();
    }
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    int count;
    try {
      count = stalled ? -1 : in.read(buffer, offset, length);
    } catch (IOException e) {
      if (stalled) {
        throw stalledException();
      }
      throw e;
    }
    if (stalled) {
      throw stalledException();
    }
    if (count > 0) {
      bytes += count;
      lastProgress = System.nanoTime();
    }
    return count;
  }

  private IOException stalledException() {
    return new IOException(
        "no data received for " + timeout.toSeconds() + " s after " + bytes + " bytes; the download was"
            + " cut off (a stalled connection or proxy)");
  }

  @Override
  public void close() throws IOException {
    watchdog.shutdownNow();
    super.close();
  }
}
