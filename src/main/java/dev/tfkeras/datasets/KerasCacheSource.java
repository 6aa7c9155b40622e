package dev.tfkeras.datasets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code mnist.npz} a Python Keras installation downloaded ({@code ~/.keras/datasets}), read
 * in place when its SHA-256 is the official one.
 */
final class KerasCacheSource implements MnistSource {

  private final Path npz;
  private final String expectedSha256;

  KerasCacheSource(Path npz, String expectedSha256) {
    this.npz = npz;
    this.expectedSha256 = expectedSha256;
  }

  @Override
  public String description() {
    return "Keras cache " + npz;
  }

  @Override
  public RawMnist load() throws SourceUnavailableException {
    if (!Files.isRegularFile(npz)) {
      throw new SourceUnavailableException("no such file");
    }
    try {
      String actual = VerifiedFiles.sha256(npz);
      if (!actual.equalsIgnoreCase(expectedSha256)) {
        throw new SourceUnavailableException(
            "its SHA-256 is " + actual + ", expected " + expectedSha256 + " (not the official file)");
      }
      return RawMnist.readNpz(npz, npz.toString());
    } catch (IOException e) {
      throw new SourceUnavailableException(e.getMessage());
    }
  }
}
