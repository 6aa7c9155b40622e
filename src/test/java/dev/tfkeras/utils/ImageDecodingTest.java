package dev.tfkeras.utils;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.data.Batch;
import dev.tfkeras.data.Dataset;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TUint8;

/**
 * Pixel values of {@code imageDatasetFromDirectory}: TensorFlow's resize checked against hand
 * computations, Keras's crop, and the files {@code javax.imageio} or TensorFlow alone gets wrong
 * (CMYK JPEG, palette BMP, grayscale of a GIF, rgba of a JPEG, animated GIF).
 */
class ImageDecodingTest {

  @TempDir Path dir;

  private ImageDatasetOptions options(int height, int width) {
    return new ImageDatasetOptions().imageSize(height, width).labelMode(null).batchSize(null)
        .shuffle(false).verbose(false);
  }

  /** The only image of {@code dir}, through the dataset. */
  private float[] only(ImageDatasetOptions options) throws IOException {
    Dataset dataset = Utils.imageDatasetFromDirectory(dir, options);
    try (var iterator = dataset.iterator(); Batch batch = iterator.next()) {
      return ImageFolders.floats(batch.features());
    }
  }

  /** A one-channel PNG holding {@code rows} exactly (samples written to the raster, no color conversion). */
  private void grayPng(int[][] rows, String name) throws IOException {
    BufferedImage image = new BufferedImage(rows[0].length, rows.length, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < rows.length; y++) {
      for (int x = 0; x < rows[0].length; x++) {
        image.getRaster().setSample(x, y, 0, rows[y][x]);
      }
    }
    ImageIO.write(image, "png", dir.resolve(name).toFile());
  }

  @Test
  void bilinearAsComputedByHand() throws IOException {
    // half-pixel centres: output x samples input (x + 0.5) * 2 / 4 - 0.5 = -0.25, 0.25, 0.75, 1.25
    grayPng(new int[][] {{0, 100}}, "row.png");
    assertArrayEquals(new float[] {0, 25, 75, 100}, only(options(1, 4).colorMode("grayscale")));
    Files.delete(dir.resolve("row.png"));

    grayPng(new int[][] {{0, 100}, {200, 40}}, "square.png");
    float[] expected = {
      0, 25, 75, 100,
      50, 58.75f, 76.25f, 85,
      150, 126.25f, 78.75f, 55,
      200, 160, 80, 40
    };
    assertArrayEquals(expected, only(options(4, 4).colorMode("grayscale")));
  }

  @Test
  void nearestKeepsUint8AsTensorFlowDoes() throws IOException {
    grayPng(new int[][] {{0, 100}, {200, 40}}, "square.png");
    Dataset dataset =
        Utils.imageDatasetFromDirectory(dir, options(4, 4).colorMode("grayscale").interpolation("nearest"));
    try (var iterator = dataset.iterator(); Batch batch = iterator.next()) {
      TUint8 image = batch.features(TUint8.class);
      byte[] values = new byte[16];
      image.copyTo(DataBuffers.of(values, false, false));
      int[] unsigned = new int[16];
      for (int i = 0; i < 16; i++) {
        unsigned[i] = values[i] & 0xFF;
      }
      assertArrayEquals(
          new int[] {0, 0, 100, 100, 0, 0, 100, 100, 200, 200, 40, 40, 200, 200, 40, 40}, unsigned);
    }
  }

  @Test
  void areaUpsamplingRepeatsPixelsAsComputedByHand() throws IOException {
    // each output pixel covers half an input pixel in each direction, inside one input pixel
    grayPng(new int[][] {{0, 100}, {200, 40}}, "square.png");
    assertArrayEquals(
        new float[] {0, 0, 100, 100, 0, 0, 100, 100, 200, 200, 40, 40, 200, 200, 40, 40},
        only(options(4, 4).colorMode("grayscale").interpolation("area")));
  }

  @Test
  void everyInterpolationKeepsAConstantImage() throws IOException {
    int[][] rows = new int[5][7];
    for (int[] row : rows) {
      Arrays.fill(row, 77);
    }
    grayPng(rows, "flat.png");
    for (String interpolation : ImageDatasetOptions.INTERPOLATIONS) {
      Dataset dataset =
          Utils.imageDatasetFromDirectory(dir, options(3, 9).colorMode("grayscale").interpolation(interpolation));
      try (var iterator = dataset.iterator(); Batch batch = iterator.next()) {
        assertEquals(Shape.of(3, 9, 1), batch.features().shape(), interpolation);
        if (interpolation.equals("nearest")) {
          assertTrue(batch.features() instanceof TUint8, interpolation);
          continue;
        }
        for (float v : ImageFolders.floats(batch.features())) {
          assertEquals(77f, v, 1e-3f, interpolation);
        }
      }
    }
  }

  @Test
  void cropToAspectRatioTakesKerasCentredWindow() throws IOException {
    int[][] rows = new int[4][8];
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 8; x++) {
        rows[y][x] = 10 * x + y;
      }
    }
    grayPng(rows, "wide.png");
    // crop: height min(4, int(8*4/4)) = 4, width min(8, int(4*4/4)) = 4, left int((8-4)/2) = 2;
    // a 4x4 window resized to 4x4 is itself.
    float[] expected = new float[16];
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 4; x++) {
        expected[4 * y + x] = rows[y][x + 2];
      }
    }
    assertArrayEquals(expected, only(options(4, 4).colorMode("grayscale").cropToAspectRatio(true)));
  }

  @Test
  void padToAspectRatioAsResizeWithPadByHand() throws IOException {
    grayPng(new int[][] {{10, 20, 30, 40}, {50, 60, 70, 80}}, "wide.png");
    // ratio max(4/4, 2/4) = 1: the 2x4 image as it is, floor((4 - 2) / 2) = 1 zero row above and below
    assertArrayEquals(
        new float[] {0, 0, 0, 0, 10, 20, 30, 40, 50, 60, 70, 80, 0, 0, 0, 0},
        only(options(4, 4).colorMode("grayscale").padToAspectRatio(true)));
    // ratio max(4/2, 2/2) = 2: resized to 1x2, samples at rows 0.5 and columns 0.5, 2.5, i.e. the means
    // (10+20+50+60)/4 = 35 and (30+40+70+80)/4 = 55; floor((2 - 1) / 2) = 0 rows above, 1 below
    assertArrayEquals(
        new float[] {35, 55, 0, 0},
        only(options(2, 2).colorMode("grayscale").padToAspectRatio(true)));
    IllegalArgumentException both =
        assertThrows(IllegalArgumentException.class,
            () -> Utils.imageDatasetFromDirectory(dir, options(2, 2).padToAspectRatio(true).cropToAspectRatio(true)));
    assertEquals("Only one of `pad_to_aspect_ratio`, `crop_to_aspect_ratio` can be set to `True`.", both.getMessage());
  }

  @Test
  void grayscaleOfGifAsRgbToGrayscale() throws IOException {
    // TensorFlow decodes GIFs to 3 channels only; Keras's grayscale then fails, here it converts.
    IndexColorModel palette =
        new IndexColorModel(1, 2, new byte[] {(byte) 200, 0}, new byte[] {100, 0}, new byte[] {50, 0});
    BufferedImage image = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_BINARY, palette);
    ImageIO.write(image, "gif", dir.resolve("solid.gif").toFile());
    float gray = 200 * (1f / 255f) * 0.2989f + 100 * (1f / 255f) * 0.5870f + 50 * (1f / 255f) * 0.1140f;
    float expected = (int) (gray * 255.5f); // 124
    float[] pixels = only(options(2, 3).colorMode("grayscale"));
    float[] all = new float[6];
    Arrays.fill(all, expected);
    assertArrayEquals(all, pixels);
    assertEquals(124f, expected);
  }

  @Test
  void animatedGifGivesItsFirstFrame() throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(dir.resolve("anim.gif").toFile())) {
      writer.setOutput(out);
      writer.prepareWriteSequence(null);
      for (int rgb : new int[] {0xFF0000, 0x00FF00, 0x0000FF}) {
        IndexColorModel palette =
            new IndexColorModel(1, 2, new byte[] {(byte) (rgb >> 16), 0}, new byte[] {(byte) (rgb >> 8), 0},
                new byte[] {(byte) rgb, 0});
        writer.writeToSequence(new IIOImage(new BufferedImage(2, 2, BufferedImage.TYPE_BYTE_BINARY, palette), null, null), null);
      }
      writer.endWriteSequence();
    }
    float[] pixels = only(options(2, 2));
    assertArrayEquals(new float[] {255, 0, 0, 255, 0, 0, 255, 0, 0, 255, 0, 0}, pixels);
  }

  @Test
  void paletteBmpColoursThroughImageIo() throws IOException {
    // TensorFlow's BMP decoder reads a palette BMP's indices as grey levels; the palette applies here.
    // 256 entries: ImageIO writes an 8-bit BMP (its 1-bit BMPs of a 2-colour palette lose pixels)
    byte[] r = new byte[256];
    byte[] g = new byte[256];
    byte[] b = new byte[256];
    r[0] = 10;
    g[0] = 20;
    b[0] = 30;
    r[1] = (byte) 200;
    g[1] = (byte) 150;
    b[1] = 100;
    IndexColorModel palette = new IndexColorModel(8, 256, r, g, b);
    BufferedImage image = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_INDEXED, palette);
    image.getRaster().setSample(1, 0, 0, 1);
    ImageIO.write(image, "bmp", dir.resolve("palette.bmp").toFile());
    byte[] bytes = Files.readAllBytes(dir.resolve("palette.bmp"));
    assertTrue(((bytes[28] & 0xFF) | (bytes[29] & 0xFF) << 8) <= 8, "an 8-bit (or less) BMP");
    assertArrayEquals(new float[] {10, 20, 30, 200, 150, 100}, only(options(1, 2)));
  }

  @Test
  void rgbaOfJpegIsOpaque() throws IOException {
    BufferedImage image = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 4; x++) {
        image.setRGB(x, y, 0x808080);
      }
    }
    ImageIO.write(image, "jpg", dir.resolve("grey.jpg").toFile());
    float[] pixels = only(options(4, 4).colorMode("rgba"));
    assertEquals(64, pixels.length);
    for (int i = 0; i < 16; i++) {
      assertEquals(255f, pixels[4 * i + 3], "alpha of pixel " + i);
      assertEquals(128f, pixels[4 * i], 2f, "red of pixel " + i);
    }
  }

  @Test
  void adobeCmykJpegDecodes() throws IOException {
    // A 4-component JPEG with Adobe's APP14 marker (transform 0: CMYK, stored inverted as
    // Photoshop does): 255 everywhere is no ink, white.
    WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 8, 8, 4, null);
    for (int y = 0; y < 8; y++) {
      for (int x = 0; x < 8; x++) {
        raster.setPixel(x, y, new int[] {255, 255, 255, 255});
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
      writer.setOutput(stream);
      writer.write(null, new IIOImage(raster, null, null), null);
    }
    byte[] raw = out.toByteArray();
    byte[] adobe = {(byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0};
    byte[] cmyk = new byte[raw.length + adobe.length];
    System.arraycopy(raw, 0, cmyk, 0, 2);
    System.arraycopy(adobe, 0, cmyk, 2, adobe.length);
    System.arraycopy(raw, 2, cmyk, 2 + adobe.length, raw.length - 2);
    Files.write(dir.resolve("cmyk.jpg"), cmyk);
    float[] pixels = only(options(8, 8));
    assertEquals(8 * 8 * 3, pixels.length);
    for (float p : pixels) {
      assertTrue(p >= 250f, "white, received " + p);
    }
  }

  @Test
  void corruptImageIsNamedWithTheDecodersReason() throws IOException {
    Files.createDirectories(dir.resolve("cats"));
    ImageFolders.write(ImageFolders.randomImage(24, 24, "rgb"), "jpg", dir.resolve("cats/good.jpg"));
    byte[] good = Files.readAllBytes(dir.resolve("cats/good.jpg"));
    Files.write(dir.resolve("cats/broken.jpg"), Arrays.copyOf(good, 200));
    Dataset dataset = Utils.imageDatasetFromDirectory(dir, new ImageDatasetOptions().imageSize(8, 8).shuffle(false).verbose(false));
    RuntimeException e =
        assertThrows(RuntimeException.class, () -> {
          for (Batch batch : dataset) {
            batch.close();
          }
        });
    String message = String.valueOf(e.getMessage());
    assertTrue(message.contains("Cannot decode the image file " + dir.resolve("cats/broken.jpg")), message);
    assertTrue(message.contains(": jpeg::Uncompress failed. Invalid JPEG data or crop window. Allowed formats are JPEG,"
        + " PNG, GIF and BMP; remove or replace the file."), message);
    assertTrue(e.getCause() instanceof java.io.UncheckedIOException, String.valueOf(e.getCause()));
  }

  @Test
  void notAnImageIsNamed() throws IOException {
    Files.writeString(dir.resolve("notes.png"), "not a picture");
    Dataset dataset = Utils.imageDatasetFromDirectory(dir, options(8, 8));
    RuntimeException e =
        assertThrows(RuntimeException.class, () -> {
          for (Batch batch : dataset) {
            batch.close();
          }
        });
    String message = String.valueOf(e.getMessage());
    assertTrue(message.contains(dir.resolve("notes.png").toString()), message);
    assertTrue(message.contains("Unknown image file format"), message);
  }

  @Test
  void floatImagesHoldPixelValues() throws IOException {
    grayPng(new int[][] {{7, 255}}, "two.png");
    Dataset dataset = Utils.imageDatasetFromDirectory(dir, options(1, 2));
    try (var iterator = dataset.iterator(); Batch batch = iterator.next()) {
      assertEquals(Shape.of(1, 2, 3), batch.features().shape());
      assertTrue(batch.features() instanceof TFloat32);
      assertArrayEquals(new float[] {7, 7, 7, 255, 255, 255}, ImageFolders.floats(batch.features()));
    }
  }
}
