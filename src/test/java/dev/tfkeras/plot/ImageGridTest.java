package dev.tfkeras.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;

class ImageGridTest {

  private static final int GAP = 6; // the grid's margin and spacing

  private static FloatNdArray image(long... shape) {
    return NdArrays.ofFloats(Shape.of(shape));
  }

  @Test
  void grayscaleIsInkOnPaperScaledUp() {
    FloatNdArray digit = image(4, 5, 1);
    digit.setFloat(1f, 1, 2, 0); // black
    digit.setFloat(0.5f, 0, 1, 0); // mid gray
    digit.setFloat(7f, 3, 4, 0); // clipped to 1
    digit.setFloat(Float.NaN, 3, 3, 0); // drawn as 0
    BufferedImage picture = new ImageGrid(1).scale(2).add(digit, "").toImage();

    // Without a caption wider than the image, the image starts at the margin.
    assertEquals(Color.WHITE.getRGB(), picture.getRGB(GAP, GAP));
    for (int dy = 0; dy < 2; dy++) {
      for (int dx = 0; dx < 2; dx++) {
        assertEquals(Color.BLACK.getRGB(), picture.getRGB(GAP + 2 * 2 + dx, GAP + 1 * 2 + dy));
        assertEquals(Color.BLACK.getRGB(), picture.getRGB(GAP + 4 * 2 + dx, GAP + 3 * 2 + dy));
        assertEquals(Color.WHITE.getRGB(), picture.getRGB(GAP + 3 * 2 + dx, GAP + 3 * 2 + dy));
      }
    }
    int gray = picture.getRGB(GAP + 1 * 2, GAP) & 0xFF;
    assertEquals(255 - Math.round(0.5f * 255), gray);
    assertTrue(picture.getWidth() >= 2 * GAP + 10, "width " + picture.getWidth());
  }

  @Test
  void rgbImagesKeepTheirColors() {
    FloatNdArray rgb = image(2, 2, 3);
    rgb.setFloat(1f, 0, 0, 0); // red at (0, 0)
    rgb.setFloat(1f, 1, 1, 2); // blue at (1, 1)
    BufferedImage picture = new ImageGrid(1).scale(1).add(rgb, "").toImage();
    assertEquals(Color.RED.getRGB(), picture.getRGB(GAP, GAP));
    assertEquals(Color.BLUE.getRGB(), picture.getRGB(GAP + 1, GAP + 1));
    assertEquals(Color.BLACK.getRGB(), picture.getRGB(GAP + 1, GAP));
  }

  @Test
  void imagesFillRowsOfColumnsAndMarkedOnesAreFramedInRed() {
    var grid = new ImageGrid(3).scale(4);
    for (int i = 0; i < 5; i++) {
      if (i == 4) {
        grid.addMarked(image(28, 28), "");
      } else {
        grid.add(image(28, 28), "");
      }
    }
    assertEquals(5, grid.size());
    BufferedImage picture = grid.toImage();
    int cell = 28 * 4;
    assertEquals(GAP + 3 * (cell + GAP), picture.getWidth());
    assertTrue(picture.getHeight() > GAP + 2 * (cell + GAP), "two rows with captions: " + picture.getHeight());
    int captionRow = (picture.getHeight() - GAP) / 2 - cell - GAP; // caption height of a row
    int secondRowTop = GAP + cell + captionRow + GAP;
    // The fifth image (second row, second column) has a red frame just outside it; the fourth none.
    int fifthLeft = GAP + (cell + GAP);
    Color frame = new Color(picture.getRGB(fifthLeft - 1, secondRowTop + cell / 2));
    assertTrue(frame.getRed() > 150 && frame.getGreen() < 100 && frame.getBlue() < 100, "frame " + frame);
    assertEquals(Color.WHITE.getRGB(), picture.getRGB(GAP - 1, secondRowTop + cell / 2));
  }

  @Test
  void captionsWiderThanImagesWidenTheCells() {
    BufferedImage bare = new ImageGrid(2).scale(1).add(image(8, 8), "").add(image(8, 8), "").toImage();
    BufferedImage captioned =
        new ImageGrid(2).scale(1).add(image(8, 8), "a long caption").add(image(8, 8), "").toImage();
    assertTrue(captioned.getWidth() > bare.getWidth() + 40, bare.getWidth() + " vs " + captioned.getWidth());
  }

  @Test
  void badArgumentsAreNamed() {
    var shape = assertThrows(IllegalArgumentException.class, () -> new ImageGrid(2).add(image(2, 28, 28, 1), "x"));
    assertEquals(
        "Expected an image of shape (height, width), (height, width, 1) or (height, width, 3), received"
            + " shape [2, 28, 28, 1]. For a batch, add its images one by one: images.get(i).",
        shape.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new ImageGrid(2).add(image(28, 28, 2), "x"));
    assertEquals(
        "An image grid needs a positive number of columns, received: 0.",
        assertThrows(IllegalArgumentException.class, () -> new ImageGrid(0)).getMessage());
    assertThrows(IllegalArgumentException.class, () -> new ImageGrid(1).scale(0));
    assertEquals(
        "The image grid is empty: add images before drawing it.",
        assertThrows(IllegalStateException.class, () -> new ImageGrid(1).toImage()).getMessage());
  }
}
