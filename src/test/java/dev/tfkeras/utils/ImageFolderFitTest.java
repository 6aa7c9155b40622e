package dev.tfkeras.utils;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.data.Dataset;
import dev.tfkeras.layers.Dense;
import dev.tfkeras.layers.Flatten;
import dev.tfkeras.layers.Input;
import dev.tfkeras.layers.Rescaling;
import dev.tfkeras.models.FitOptions;
import dev.tfkeras.models.Sequential;
import dev.tfkeras.testing.FreshRuntime;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The README's "Images in folders" example: a folder per class, split with a seed, fit and evaluate. */
@ExtendWith(FreshRuntime.class)
class ImageFolderFitTest {

  @TempDir Path dir;

  @Test
  void trainsOnClassFolders() throws IOException {
    Random random = new Random(5);
    for (String name : List.of("dark", "light")) {
      Files.createDirectories(dir.resolve(name));
      for (int i = 0; i < 40; i++) {
        BufferedImage image = new BufferedImage(20, 16, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        int level = name.equals("dark") ? 20 + random.nextInt(60) : 170 + random.nextInt(60);
        g.setColor(new Color(level, level, level));
        g.fillRect(0, 0, 20, 16);
        g.dispose();
        ImageFolders.write(image, i % 2 == 0 ? "png" : "jpg", dir.resolve(name).resolve(i + (i % 2 == 0 ? ".png" : ".jpg")));
      }
    }
    ImageDatasetOptions options =
        new ImageDatasetOptions().imageSize(16, 16).batchSize(8).validationSplit(0.25).seed(1337).verbose(false);
    DatasetSplit split = Utils.imageDatasetsFromDirectory(dir, options);
    Dataset train = split.left();
    Dataset validation = split.right();
    assertEquals(List.of("dark", "light"), train.classNames());
    assertEquals(8, train.cardinality()); // 60 images in batches of 8
    assertEquals(3, validation.cardinality()); // 20 images
    try (Sequential model =
        new Sequential(Input.of(16, 16, 3), new Rescaling(1.0 / 127.5, -1), new Flatten(), new Dense(2, "softmax"))) {
      model.compile("adam", "sparse_categorical_crossentropy", "accuracy");
      model.fit(train, new FitOptions().epochs(15).validationData(validation).verbose(0));
      Map<String, Double> scores = model.evaluate(validation);
      assertTrue(scores.get("accuracy") >= 0.95, scores.toString());
    }
  }
}
