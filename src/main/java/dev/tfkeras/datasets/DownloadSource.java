package dev.tfkeras.datasets;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Downloads Keras' {@code mnist.npz} into the data directory, verified by SHA-256 and saved
 * atomically, so that later runs find it there. A download that receives nothing for the stall
 * timeout (response headers included) is cut off with a message.
 */
final class DownloadSource implements MnistSource {

  private static final Logger LOGGER = LogManager.getLogger(DownloadSource.class);

  private final URI url;
  private final Path target;
  private final String expectedSha256;
  private final long expectedSize;
  private final Duration connectTimeout;
  private final Duration stallTimeout;

  DownloadSource(
      URI url,
      Path target,
      String expectedSha256,
      long expectedSize,
      Duration connectTimeout,
      Duration stallTimeout) {
    this.url = url;
    this.target = target;
    this.expectedSha256 = expectedSha256;
    this.expectedSize = expectedSize;
    this.connectTimeout = connectTimeout;
    this.stallTimeout = stallTimeout;
  }

  @Override
  public String description() {
    return "download " + url;
  }

  @Override
  public RawMnist load() throws SourceUnavailableException, IOException {
    LOGGER.info("Downloading {} to {}", url, target);
    try {
      HttpClient client =
          HttpClient.newBuilder()
              .connectTimeout(connectTimeout)
              .followRedirects(HttpClient.Redirect.NORMAL)
              .build();
      HttpRequest request = HttpRequest.newBuilder(url).timeout(stallTimeout).GET().build();
      HttpResponse<InputStream> response =
          client.send(request, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream body = new StallGuard(response.body(), stallTimeout)) {
        if (response.statusCode() != 200) {
          throw new SourceUnavailableException("the server answered HTTP " + response.statusCode());
        }
        long size = response.headers().firstValueAsLong("Content-Length").orElse(expectedSize);
        VerifiedFiles.save(
            body,
            target,
            expectedSha256,
            url.toString(),
            new DownloadProgress(LOGGER, target.getFileName().toString(), size));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while downloading " + url);
    } catch (HttpConnectTimeoutException e) {
      throw new SourceUnavailableException(
          "could not connect within " + connectTimeout.toSeconds() + " s (is the network or a proxy blocking it?)");
    } catch (HttpTimeoutException e) {
      throw new SourceUnavailableException(
          "the server sent no response within " + stallTimeout.toSeconds() + " s; the download was cut off");
    } catch (IOException | IllegalArgumentException e) {
      throw new SourceUnavailableException(describe(e));
    }
    return RawMnist.readNpz(target, target.toString());
  }

  /**
   * The first message along the exception's causes (HttpClient often gives none), after the
   * exception's class unless it is a plain IOException carrying our own message.
   */
  static String describe(Exception e) {
    String prefix = e.getClass() == IOException.class ? "" : e.getClass().getSimpleName() + ": ";
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      String message = cause.getMessage();
      if (message != null && !message.isBlank()) {
        return prefix + message;
      }
    }
    return e.getClass().getSimpleName() + " (no further detail; is the network or a proxy blocking it?)";
  }
}
