package dev.tfkeras.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PngTest {

  private static Picture square() {
    return () -> {
      var image = new BufferedImage(7, 5, BufferedImage.TYPE_INT_RGB);
      image.setRGB(3, 2, 0x123456);
      return image;
    };
  }

  @Test
  void encodesImagesThatDecodeToTheSamePixels() throws IOException {
    byte[] png = Png.encode(square().toImage());
    BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(png));
    assertEquals(7, decoded.getWidth());
    assertEquals(5, decoded.getHeight());
    assertEquals(0x123456, decoded.getRGB(3, 2) & 0xFFFFFF);
  }

  @Test
  void savePngCreatesParentsAndLeavesNoPartFiles(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("plots/a/curves.png");
    assertEquals(file, square().savePng(file));
    assertEquals(7, ImageIO.read(file.toFile()).getWidth());
    try (var files = Files.list(file.getParent())) {
      assertEquals(1, files.count());
    }
  }

  @Test
  void aFileInThePathIsNamed(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("notes.txt"), "x");
    var error = assertThrows(IOException.class, () -> square().savePng(file.resolve("curves.png")));
    assertTrue(error.getMessage().contains(file + " is a regular file, not a directory"), error.getMessage());
  }
}
