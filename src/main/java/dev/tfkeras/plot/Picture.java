package dev.tfkeras.plot;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Something drawn as one picture: the notebook kernel shows it as {@code image/png}, and {@link
 * #savePng} writes it to a file outside notebooks. Drawing needs no display ({@code
 * java.awt.headless=true} is enough).
 */
public interface Picture {

  /** Draws the picture, afresh on each call. */
  BufferedImage toImage();

  /**
   * Writes the picture as a PNG file, atomically (a half-written file never has the target's name),
   * creating missing parent directories.
   *
   * @return {@code file}
   * @throws IOException naming the file, the cause and what to do
   */
  default Path savePng(Path file) throws IOException {
    return Png.write(toImage(), file);
  }
}
