package dev.tfkeras.utils;

import dev.tfkeras.data.Batch;
import dev.tfkeras.data.Dataset;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TType;

/**
 * Folders of generated images for the directory-dataset tests, laid out as Keras's
 * image_dataset_utils_test.py lays them out: class_0, class_1... (optionally with nested
 * subfolders), image_i written round-robin into them, RGB as JPEG and other modes as PNG.
 */
final class ImageFolders {

  private static final Random RANDOM = new Random(7);

  private ImageFolders() {}

  /** Keras's {@code _prepare_directory(num_classes, nested_dirs, color_mode, count)} in {@code root}. */
  static Path prepare(Path root, int numClasses, boolean nestedDirs, String colorMode, int count)
      throws IOException {
    List<Path> paths = new ArrayList<>();
    for (int c = 0; c < numClasses; c++) {
      Path classDirectory = root.resolve("class_" + c);
      List<Path> classPaths =
          nestedDirs
              ? List.of(classDirectory, classDirectory.resolve("subfolder_1"),
                  classDirectory.resolve("subfolder_2"), classDirectory.resolve("subfolder_1/sub-subfolder"))
              : List.of(classDirectory);
      for (Path p : classPaths) {
        Files.createDirectories(p);
      }
      paths.addAll(classPaths);
    }
    for (int i = 0; i < count; i++) {
      String ext = colorMode.equals("rgb") ? "jpg" : "png";
      write(randomImage(24, 24, colorMode), ext, paths.get(i % paths.size()).resolve("image_" + i + "." + ext));
    }
    return root;
  }

  static BufferedImage randomImage(int width, int height, String colorMode) {
    int type =
        switch (colorMode) {
          case "grayscale" -> BufferedImage.TYPE_BYTE_GRAY;
          case "rgba" -> BufferedImage.TYPE_INT_ARGB;
          default -> BufferedImage.TYPE_INT_RGB;
        };
    BufferedImage image = new BufferedImage(width, height, type);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, RANDOM.nextInt());
      }
    }
    return image;
  }

  static void write(BufferedImage image, String format, Path file) {
    try {
      if (!ImageIO.write(image, format, file.toFile())) {
        throw new IllegalStateException("no ImageIO writer for " + format);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every feature value of every batch, concatenated (float32 images). */
  static float[] allPixels(Dataset dataset) {
    List<float[]> parts = new ArrayList<>();
    int total = 0;
    for (Batch batch : dataset) {
      try (batch) {
        float[] values = floats(batch.features(0));
        parts.add(values);
        total += values.length;
      }
    }
    float[] out = new float[total];
    int at = 0;
    for (float[] part : parts) {
      System.arraycopy(part, 0, out, at, part.length);
      at += part.length;
    }
    return out;
  }

  static float[] floats(TType tensor) {
    TFloat32 t = (TFloat32) tensor;
    float[] out = new float[(int) t.shape().size()];
    t.copyTo(DataBuffers.of(out, false, false));
    return out;
  }

  /** Number of examples in one pass. */
  static int count(Dataset dataset) {
    int n = 0;
    for (Batch batch : dataset) {
      try (batch) {
        n += dataset.isBatched() ? (int) batch.features(0).shape().get(0) : 1;
      }
    }
    return n;
  }
}
