package dev.tfkeras.utils;

import static dev.tfkeras.utils.ImageFolders.allPixels;
import static dev.tfkeras.utils.ImageFolders.count;
import static dev.tfkeras.utils.ImageFolders.prepare;
import static dev.tfkeras.utils.ImageFolders.randomImage;
import static dev.tfkeras.utils.ImageFolders.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.data.Batch;
import dev.tfkeras.data.Dataset;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** Ports keras/src/utils/image_dataset_utils_test.py (the "tf" format, channels last). */
class ImageDatasetFromDirectoryTest {

  @TempDir Path dir;

  private static ImageDatasetOptions options() {
    return new ImageDatasetOptions().imageSize(18, 18).verbose(false);
  }

  private static Batch first(Dataset dataset) {
    try (var iterator = dataset.iterator()) {
      return iterator.next();
    }
  }

  @Test
  void noLabels() throws IOException {
    prepare(dir, 2, false, "rgb", 7);
    for (int i = 0; i < 3; i++) {
      write(randomImage(24, 24, "rgb"), "jpg", dir.resolve("image_" + i + ".jpg"));
    }
    Dataset dataset = Utils.imageDatasetFromDirectory(dir, options().batchSize(5).labels((String) null));
    assertNull(dataset.classNames());
    try (Batch batch = first(dataset)) {
      assertEquals(0, batch.labelCount());
      assertEquals(Shape.of(5, 18, 18, 3), batch.features().shape());
      assertTrue(batch.features() instanceof TFloat32);
    }
    int batches = 0;
    int samples = 0;
    for (Batch batch : dataset) {
      try (batch) {
        batches++;
        samples += batch.size();
      }
    }
    assertEquals(2, batches);
    assertEquals(10, samples);
  }

  @Test
  void binary() throws IOException {
    prepare(dir, 2, false, "rgb", 16);
    try (Batch batch = first(Utils.imageDatasetFromDirectory(dir, options().batchSize(8).labelMode("int")))) {
      assertEquals(Shape.of(8, 18, 18, 3), batch.features().shape());
      assertTrue(batch.features() instanceof TFloat32);
      assertEquals(Shape.of(8), batch.labels().shape());
      assertTrue(batch.labels() instanceof TInt32);
    }
    try (Batch batch = first(Utils.imageDatasetFromDirectory(dir, options().batchSize(8).labelMode("binary")))) {
      assertEquals(Shape.of(8, 18, 18, 3), batch.features().shape());
      assertEquals(Shape.of(8, 1), batch.labels().shape());
      assertTrue(batch.labels() instanceof TFloat32);
    }
    try (Batch batch = first(Utils.imageDatasetFromDirectory(dir, options().batchSize(8).labelMode("categorical")))) {
      assertEquals(Shape.of(8, 2), batch.labels().shape());
      assertTrue(batch.labels() instanceof TFloat32);
    }
  }

  @Test
  void staticShape() throws IOException {
    prepare(dir, 2, false, "rgb", 16);
    Dataset dataset = Utils.imageDatasetFromDirectory(dir, options().batchSize(8));
    assertArrayEquals(new long[] {-1, 18, 18, 3}, dataset.featureShape().asArray());
    assertArrayEquals(new long[] {-1}, dataset.labelShape().asArray());
  }

  @Test
  void sampleCount() throws IOException {
    prepare(dir, 4, false, "rgb", 15);
    assertEquals(15, count(Utils.imageDatasetFromDirectory(dir, options().batchSize(8).labelMode(null))));
  }

  @Test
  void multiclass() throws IOException {
    prepare(dir, 4, false, "rgb", 15);
    try (Batch batch = first(Utils.imageDatasetFromDirectory(dir, options().batchSize(8).labelMode(null)))) {
      assertEquals(Shape.of(8, 18, 18, 3), batch.features().shape());
    }
    try (Batch batch = first(Utils.imageDatasetFromDirectory(dir, options().batchSize(8).labelMode("int")))) {
      assertEquals(Shape.of(8), batch.labels().shape());
      assertTrue(batch.labels() instanceof TInt32);
    }
    Dataset categorical = Utils.imageDatasetFromDirectory(dir, options().batchSize(8).labelMode("categorical"));
    assertEquals(List.of("class_0", "class_1", "class_2", "class_3"), categorical.classNames());
    try (Batch batch = first(categorical)) {
      assertEquals(Shape.of(8, 4), batch.labels().shape());
      assertTrue(batch.labels() instanceof TFloat32);
    }
  }

  @Test
  void colorModes() throws IOException {
    prepare(dir.resolve("rgba"), 4, false, "rgba", 16);
    try (Batch batch = first(Utils.imageDatasetFromDirectory(dir.resolve("rgba"), options().batchSize(8).colorMode("rgba")))) {
      assertEquals(Shape.of(8, 18, 18, 4), batch.features().shape());
      assertTrue(batch.features() instanceof TFloat32);
    }
    prepare(dir.resolve("gray"), 4, false, "grayscale", 16);
    try (Batch batch = first(Utils.imageDatasetFromDirectory(dir.resolve("gray"), options().batchSize(8).colorMode("grayscale")))) {
      assertEquals(Shape.of(8, 18, 18, 1), batch.features().shape());
    }
  }

  @Test
  void validationSplit() throws IOException {
    prepare(dir, 2, false, "rgb", 10);
    ImageDatasetOptions split = options().batchSize(10).validationSplit(0.2).seed(1337);
    try (Batch batch = first(Utils.imageDatasetFromDirectory(dir, split.subset("training")))) {
      assertEquals(Shape.of(8, 18, 18, 3), batch.features().shape());
    }
    try (Batch batch = first(Utils.imageDatasetFromDirectory(dir, split.subset("validation")))) {
      assertEquals(Shape.of(2, 18, 18, 3), batch.features().shape());
    }
    DatasetSplit both = Utils.imageDatasetsFromDirectory(dir, split.subset("both"));
    try (Batch batch = first(both.left())) {
      assertEquals(Shape.of(8, 18, 18, 3), batch.features().shape());
    }
    try (Batch batch = first(both.right())) {
      assertEquals(Shape.of(2, 18, 18, 3), batch.features().shape());
    }
    assertEquals(List.of("class_0", "class_1"), both.left().classNames());
    assertEquals(List.of("class_0", "class_1"), both.right().classNames());
  }

  @Test
  void manualLabels() throws IOException {
    Path one = prepare(dir.resolve("one"), 1, false, "rgb", 4);
    IllegalArgumentException wrong =
        assertThrows(IllegalArgumentException.class,
            () -> Utils.imageDatasetFromDirectory(one, options().batchSize(8).labels(0, 1, 0).shuffle(false)));
    assertTrue(wrong.getMessage().contains("match the number of files"), wrong.getMessage());

    Dataset dataset = Utils.imageDatasetFromDirectory(one, options().batchSize(8).labels(0, 1, 0, 1).shuffle(false));
    assertEquals(List.of("0", "1"), dataset.classNames());
    try (Batch batch = first(dataset)) {
      assertEquals(Shape.of(4, 18, 18, 3), batch.features().shape());
      assertArrayEquals(new int[] {0, 1, 0, 1}, ints(batch.labels(TInt32.class)));
    }

    Path three = prepare(dir.resolve("three"), 3, false, "rgb", 6);
    dataset = Utils.imageDatasetFromDirectory(three, options().batchSize(8).labels(0, 1, 0, 1, 1, 1).shuffle(false));
    assertEquals(List.of("0", "1"), dataset.classNames());
    try (Batch batch = first(dataset)) {
      assertEquals(Shape.of(6, 18, 18, 3), batch.features().shape());
      assertArrayEquals(new int[] {0, 1, 0, 1, 1, 1}, ints(batch.labels(TInt32.class)));
    }
  }

  @Test
  void followLinks() throws IOException {
    prepare(dir, 2, true, "rgb", 25);
    assertEquals(25, count(Utils.imageDatasetFromDirectory(dir, options().batchSize(8).labelMode(null).followLinks(true))));
  }

  @Test
  void noImages() throws IOException {
    prepare(dir, 2, false, "rgb", 0);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Utils.imageDatasetFromDirectory(dir, options()));
    assertEquals(
        "Found 0 files belonging to 2 classes. No images found in directory " + dir
            + ". Allowed formats: ('.bmp', '.gif', '.jpeg', '.jpg', '.png')",
        e.getMessage());
  }

  @Test
  void emptyClassFolderIsAClassAsInKeras() throws IOException {
    prepare(dir, 2, false, "rgb", 4);
    java.nio.file.Files.createDirectories(dir.resolve("class_2"));
    java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
    java.io.PrintStream out = System.out;
    Dataset dataset;
    System.setOut(new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      dataset = Utils.imageDatasetFromDirectory(dir,
          new ImageDatasetOptions().imageSize(18, 18).validationSplit(0.5).subset("training").seed(3));
    } finally {
      System.setOut(out);
    }
    assertEquals(
        "Found 4 files belonging to 3 classes.\nUsing 2 files for training.\n",
        printed.toString(java.nio.charset.StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n"));
    assertEquals(List.of("class_0", "class_1", "class_2"), dataset.classNames());
    try (Batch batch = first(dataset.withClassNames(null))) {
      for (int label : ints(batch.labels(TInt32.class))) {
        assertTrue(label == 0 || label == 1, "label " + label);
      }
    }
  }

  @Test
  void cropToAspectRatio() throws IOException {
    prepare(dir, 2, false, "rgb", 5);
    try (Batch batch = first(Utils.imageDatasetFromDirectory(dir, options().batchSize(5).cropToAspectRatio(true)))) {
      assertEquals(Shape.of(5, 18, 18, 3), batch.features().shape());
    }
  }

  @Test
  void padToAspectRatio() throws IOException {
    prepare(dir, 2, false, "rgb", 5);
    try (Batch batch = first(Utils.imageDatasetFromDirectory(dir, options().batchSize(5).padToAspectRatio(true)))) {
      assertEquals(Shape.of(5, 18, 18, 3), batch.features().shape());
    }
  }

  @Test
  void errors() throws IOException {
    prepare(dir, 3, false, "rgb", 5);
    assertMessage("`labels` argument should be", () -> options().labels("other"));
    assertMessage("`label_mode` argument must be", () -> options().labelMode("other"));
    assertMessage("`color_mode` must be one of", () -> options().colorMode("other"));
    assertMessage("only pass `class_names` if `labels=\"inferred\"`",
        () -> Utils.imageDatasetFromDirectory(dir, options().labels(0, 0, 1, 1, 1).classNames("class_0", "class_1", "class_2")));
    assertMessage("Expected the lengths of `labels` to match the number of files",
        () -> Utils.imageDatasetFromDirectory(dir, options().labels(0, 0, 1, 1)));
    assertMessage("`class_names` passed did not match",
        () -> Utils.imageDatasetFromDirectory(dir, options().classNames("class_0", "wrong_class")));
    assertMessage("there must be exactly 2", () -> Utils.imageDatasetFromDirectory(dir, options().labelMode("binary")));
    assertMessage("`validation_split` must be between 0 and 1", () -> options().validationSplit(2));
    assertMessage("`subset` must be either \"training\", \"validation\" or \"both\"",
        () -> options().validationSplit(0.2).subset("other"));
    assertMessage("`validation_split` must be set",
        () -> Utils.imageDatasetFromDirectory(dir, options().validationSplit(0.0).subset("training")));
    assertMessage("must provide a `seed`",
        () -> Utils.imageDatasetFromDirectory(dir, options().validationSplit(0.2).subset("training")));
  }

  @Test
  void notBatched() throws IOException {
    prepare(dir, 2, false, "rgb", 2);
    try (Batch sample = first(Utils.imageDatasetFromDirectory(dir, options().batchSize(null).labelMode(null).shuffle(false)))) {
      assertEquals(3, sample.features().shape().numDimensions());
    }
  }

  @Test
  void shuffle() throws IOException {
    prepare(dir, 2, true, "rgb", 25);
    ImageDatasetOptions base = options().batchSize(8).labelMode(null).followLinks(true);
    float[] unshuffled = allPixels(Utils.imageDatasetFromDirectory(dir, base.shuffle(false)));
    Dataset shuffled = Utils.imageDatasetFromDirectory(dir, base.shuffle(true).seed(1337));
    float[] first = allPixels(shuffled);
    float[] second = allPixels(shuffled);
    assertFalse(Arrays.equals(unshuffled, first));
    assertFalse(Arrays.equals(first, second), "every pass reshuffles");
    float[] again = allPixels(Utils.imageDatasetFromDirectory(dir, base.shuffle(true).seed(1337)));
    assertArrayEquals(first, again, "the same seed gives the same order");
  }

  @Test
  void shuffleWithSplit() throws IOException {
    prepare(dir, 2, true, "rgb", 25);
    ImageDatasetOptions base =
        options().batchSize(8).labelMode(null).followLinks(true).validationSplit(0.2).seed(1337);
    float[] unshuffledTrain = allPixels(Utils.imageDatasetsFromDirectory(dir, base.shuffle(false)).left());
    DatasetSplit split = Utils.imageDatasetsFromDirectory(dir, base.shuffle(true));
    float[] train1 = allPixels(split.left());
    float[] val1 = allPixels(split.right());
    float[] train2 = allPixels(split.left());
    float[] val2 = allPixels(split.right());
    assertFalse(Arrays.equals(unshuffledTrain, train1));
    assertFalse(Arrays.equals(train1, train2));
    assertArrayEquals(val1, val2, "the validation dataset is never reshuffled");
    DatasetSplit again = Utils.imageDatasetsFromDirectory(dir, base.shuffle(true));
    assertArrayEquals(train1, allPixels(again.left()));
    assertArrayEquals(val1, allPixels(again.right()));
  }

  private static void assertMessage(String expected, Executable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  static int[] ints(TInt32 tensor) {
    int[] out = new int[(int) tensor.shape().size()];
    tensor.copyTo(DataBuffers.of(out, false, false));
    return out;
  }
}
