package dev.tfkeras.plot;

import dev.tfkeras.io.FileErrors;
import dev.tfkeras.io.PartFile;
import java.awt.image.RenderedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** PNG encoding of images, in memory (for notebooks) or to files (written atomically). */
public final class Png {

  private Png() {}

  /** The image as PNG bytes. */
  public static byte[] encode(RenderedImage image) {
    var bytes = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(image, "png", bytes)) {
        throw new IllegalArgumentException(
            "Cannot encode a " + image.getClass().getName() + " as PNG: no PNG writer takes its color model.");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
    return bytes.toByteArray();
  }

  /**
   * Writes the image to {@code file} as PNG; the file appears whole or not at all, and missing
   * parent directories are created.
   *
   * @return {@code file}
   * @throws IOException naming the file, the cause and what to do
   */
  public static Path write(RenderedImage image, Path file) throws IOException {
    byte[] bytes = encode(image);
    try (PartFile part = PartFile.create(file)) {
      try {
        part.output().write(bytes);
      } catch (IOException e) {
        throw FileErrors.explain(e, "write", file);
      }
      part.commit();
    }
    return file;
  }
}
