package dev.tfkeras.utils;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.data.Batch;
import dev.tfkeras.data.Dataset;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TString;

/** Ports keras/src/utils/text_dataset_utils_test.py (the "tf" format), plus UTF-8 errors. */
class TextDatasetFromDirectoryTest {

  private static final String PRINTABLE =
      "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~ ";
  private static final Random RANDOM = new Random(3);

  @TempDir Path dir;

  /** Keras's {@code _prepare_directory(num_classes, nested_dirs, count, length)}. */
  private Path prepare(int numClasses, boolean nestedDirs, int count, int length) throws IOException {
    List<Path> paths = new ArrayList<>();
    for (int c = 0; c < numClasses; c++) {
      Path classDirectory = dir.resolve("class_" + c);
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
      Files.writeString(paths.get(i % paths.size()).resolve("text_" + i + ".txt"), randomText(length));
    }
    return dir;
  }

  private static String randomText(int length) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < length; i++) {
      text.append(PRINTABLE.charAt(RANDOM.nextInt(PRINTABLE.length())));
    }
    return text.toString();
  }

  private static TextDatasetOptions options() {
    return new TextDatasetOptions().verbose(false);
  }

  private static Batch first(Dataset dataset) {
    try (var iterator = dataset.iterator()) {
      return iterator.next();
    }
  }

  private static List<String> texts(TString tensor) {
    List<String> out = new ArrayList<>();
    tensor.scalars().forEach(s -> out.add(s.getObject()));
    return out;
  }

  private static int count(Dataset dataset) {
    int n = 0;
    for (Batch batch : dataset) {
      try (batch) {
        n += batch.size();
      }
    }
    return n;
  }

  @Test
  void standalone() throws IOException {
    prepare(2, false, 7, 20);
    for (int i = 0; i < 3; i++) {
      Files.writeString(dir.resolve("text_" + i + ".txt"), randomText(20));
    }
    Dataset dataset = Utils.textDatasetFromDirectory(dir, options().batchSize(5).labelMode(null).maxLength(10));
    try (Batch batch = first(dataset)) {
      assertEquals(0, batch.labelCount());
      assertEquals(Shape.of(5), batch.features().shape());
      assertTrue(batch.features() instanceof TString);
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
    prepare(2, false, 16, 20);
    try (Batch batch = first(Utils.textDatasetFromDirectory(dir, options().batchSize(8).labelMode("int").maxLength(10)))) {
      assertEquals(Shape.of(8), batch.features().shape());
      assertEquals(10, texts(batch.features(TString.class)).get(0).getBytes(StandardCharsets.UTF_8).length);
      assertEquals(Shape.of(8), batch.labels().shape());
      assertTrue(batch.labels() instanceof TInt32);
    }
    try (Batch batch = first(Utils.textDatasetFromDirectory(dir, options().batchSize(8).labelMode("binary")))) {
      assertEquals(Shape.of(8, 1), batch.labels().shape());
      assertTrue(batch.labels() instanceof TFloat32);
    }
    try (Batch batch = first(Utils.textDatasetFromDirectory(dir, options().batchSize(8).labelMode("categorical")))) {
      assertEquals(Shape.of(8, 2), batch.labels().shape());
      assertTrue(batch.labels() instanceof TFloat32);
    }
  }

  @Test
  void sampleCountAndMulticlass() throws IOException {
    prepare(4, false, 15, 20);
    assertEquals(15, count(Utils.textDatasetFromDirectory(dir, options().batchSize(8).labelMode(null))));
    try (Batch batch = first(Utils.textDatasetFromDirectory(dir, options().batchSize(8).labelMode(null)))) {
      assertEquals(8, batch.size());
    }
    Dataset categorical = Utils.textDatasetFromDirectory(dir, options().batchSize(8).labelMode("categorical"));
    try (Batch batch = first(categorical)) {
      assertEquals(Shape.of(8, 4), batch.labels().shape());
    }
    assertEquals(List.of("class_0", "class_1", "class_2", "class_3"), categorical.classNames());
  }

  @Test
  void validationSplit() throws IOException {
    prepare(2, false, 10, 20);
    TextDatasetOptions split = options().batchSize(10).validationSplit(0.2).seed(1337);
    try (Batch batch = first(Utils.textDatasetFromDirectory(dir, split.subset("training")))) {
      assertEquals(8, batch.size());
    }
    try (Batch batch = first(Utils.textDatasetFromDirectory(dir, split.subset("validation")))) {
      assertEquals(2, batch.size());
    }
    DatasetSplit both = Utils.textDatasetsFromDirectory(dir, split.subset("both"));
    try (Batch batch = first(both.left())) {
      assertEquals(8, batch.size());
    }
    try (Batch batch = first(both.right())) {
      assertEquals(2, batch.size());
    }
  }

  @Test
  void manualLabels() throws IOException {
    prepare(2, false, 2, 20);
    Dataset dataset = Utils.textDatasetFromDirectory(dir, options().batchSize(8).labels(0, 1).shuffle(false));
    try (Batch batch = first(dataset)) {
      assertArrayEquals(new int[] {0, 1}, ImageDatasetFromDirectoryTest.ints(batch.labels(TInt32.class)));
    }
  }

  @Test
  void followLinks() throws IOException {
    prepare(2, true, 25, 20);
    assertEquals(25, count(Utils.textDatasetFromDirectory(dir, options().batchSize(8).labelMode(null).followLinks(true))));
  }

  @Test
  void noFiles() throws IOException {
    prepare(2, false, 0, 20);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Utils.textDatasetFromDirectory(dir, options()));
    assertEquals(
        "Found 0 files belonging to 2 classes. No text files found in directory " + dir
            + ". Allowed format: .txt",
        e.getMessage());
  }

  @Test
  void errors() throws IOException {
    prepare(3, false, 5, 20);
    assertMessage("`labels` argument should be", () -> options().labels("other"));
    assertMessage("`label_mode` argument must be", () -> options().labelMode("other"));
    assertMessage("only pass `class_names` if `labels=\"inferred\"`",
        () -> Utils.textDatasetFromDirectory(dir, options().labels(0, 0, 1, 1, 1).classNames("class_0", "class_1", "class_2")));
    assertMessage("Expected the lengths of `labels` to match the number of files",
        () -> Utils.textDatasetFromDirectory(dir, options().labels(0, 0, 1, 1)));
    assertMessage("`class_names` passed did not match",
        () -> Utils.textDatasetFromDirectory(dir, options().classNames("class_0", "wrong_class")));
    assertMessage("there must be exactly 2", () -> Utils.textDatasetFromDirectory(dir, options().labelMode("binary")));
    assertMessage("`validation_split` must be between 0 and 1", () -> options().validationSplit(2));
    assertMessage("`subset` must be either \"training\", \"validation\" or \"both\"",
        () -> options().validationSplit(0.2).subset("other"));
    assertMessage("`validation_split` must be set",
        () -> Utils.textDatasetFromDirectory(dir, options().validationSplit(0.0).subset("training")));
    assertMessage("must provide a `seed`",
        () -> Utils.textDatasetFromDirectory(dir, options().validationSplit(0.2).subset("training")));
  }

  @Test
  void contentsAreTheFilesTextInFileOrder() throws IOException {
    Files.createDirectories(dir.resolve("neg"));
    Files.createDirectories(dir.resolve("pos"));
    Files.writeString(dir.resolve("neg/b.txt"), "bad, très");
    Files.writeString(dir.resolve("neg/a.txt"), "awful");
    Files.writeString(dir.resolve("pos/c.txt"), "great 🎉");
    Files.writeString(dir.resolve("pos/ignored.md"), "not a .txt file");
    Dataset dataset = Utils.textDatasetFromDirectory(dir, options().shuffle(false));
    try (Batch batch = first(dataset)) {
      assertEquals(List.of("awful", "bad, très", "great 🎉"), texts(batch.features(TString.class)));
      assertArrayEquals(new int[] {0, 0, 1}, ImageDatasetFromDirectoryTest.ints(batch.labels(TInt32.class)));
    }
    // max_length counts UTF-8 bytes (tf.strings.substr); "très" is t r è(2 bytes) s
    try (Batch batch = first(Utils.textDatasetFromDirectory(dir, options().shuffle(false).maxLength(8)))) {
      assertEquals(List.of("awful", "bad, tr", "great "), texts(batch.features(TString.class)));
    }
  }

  @Test
  void classNamesChooseAndOrderTheClasses() throws IOException {
    for (String name : List.of("class_0", "class_1", "class_2")) {
      Files.createDirectories(dir.resolve(name));
      Files.writeString(dir.resolve(name).resolve("t.txt"), name);
    }
    Dataset dataset = Utils.textDatasetFromDirectory(dir, options().shuffle(false).classNames("class_2", "class_0"));
    assertEquals(List.of("class_2", "class_0"), dataset.classNames());
    try (Batch batch = first(dataset)) {
      assertEquals(List.of("class_2", "class_0"), texts(batch.features(TString.class)));
      assertArrayEquals(new int[] {0, 1}, ImageDatasetFromDirectoryTest.ints(batch.labels(TInt32.class)));
    }
  }

  @Test
  void nonUtf8FileIsNamedWithItsByteOffset() throws IOException {
    Files.createDirectories(dir.resolve("a"));
    byte[] latin1 = "caf\u00e9 ok".getBytes(StandardCharsets.ISO_8859_1);
    Path file = dir.resolve("a/latin1.txt");
    Files.write(file, latin1);
    Dataset dataset = Utils.textDatasetFromDirectory(dir, options());
    RuntimeException e =
        assertThrows(RuntimeException.class, () -> {
          for (Batch batch : dataset) {
            batch.close();
          }
        });
    assertTrue(
        e.getMessage().contains("The text file " + file + " is not valid UTF-8: byte offset 3 holds 0xe9"),
        e.getMessage());
  }

  private static void assertMessage(String expected, Executable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
