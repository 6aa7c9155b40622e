package dev.tfkeras.datasets;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import org.tensorflow.ndarray.Shape;

/**
 * MNIST as read from disk (unsigned bytes), with the name of each array's file for error
 * messages; {@link #toData()} checks the shapes agree and keeps the image bytes as they are.
 */
record RawMnist(Map<MnistFile, UInt8Array> arrays, Map<MnistFile, String> names, String origin) {

  /** Reads the four IDX files (raw or gzip-compressed) at {@code files}. */
  static RawMnist readIdx(Map<MnistFile, Path> files, String origin) throws IOException {
    Map<MnistFile, UInt8Array> arrays = new EnumMap<>(MnistFile.class);
    Map<MnistFile, String> names = new EnumMap<>(MnistFile.class);
    for (MnistFile file : MnistFile.values()) {
      Path path = files.get(file);
      arrays.put(file, IdxReader.read(path, file.rank()));
      names.put(file, path.toString());
    }
    return new RawMnist(arrays, names, origin);
  }

  /** Reads Keras' {@code mnist.npz} (keys x_train, y_train, x_test, y_test). */
  static RawMnist readNpz(Path npz, String origin) throws IOException {
    String[] keys = {"x_train", "y_train", "x_test", "y_test"};
    Map<String, UInt8Array> read = NpzReader.read(npz, keys);
    Map<MnistFile, UInt8Array> arrays = new EnumMap<>(MnistFile.class);
    Map<MnistFile, String> names = new EnumMap<>(MnistFile.class);
    MnistFile[] files = MnistFile.values();
    for (int i = 0; i < files.length; i++) {
      arrays.put(files[i], read.get(keys[i]));
      names.put(files[i], keys[i] + " in " + npz);
    }
    return new RawMnist(arrays, names, origin);
  }

  /**
   * Checks that images are (N, rows, cols), labels (N), train and test images the same size, then
   * hands the image bytes, uncopied, to the data set (which reads them as float32 in [0, 1]).
   *
   * @throws InvalidDataFileException naming the file whose shape does not fit
   */
  Mnist.Data toData() throws InvalidDataFileException {
    for (MnistFile file : MnistFile.values()) {
      UInt8Array array = arrays.get(file);
      if (array.rank() != file.rank()) {
        throw new InvalidDataFileException(
            names.get(file)
                + " has shape "
                + Arrays.toString(array.shape())
                + ", expected "
                + (file.rank() == 3 ? "3 dimensions (images, rows, columns)" : "1 dimension (labels)"));
      }
    }
    checkSameCount(MnistFile.TRAIN_IMAGES, MnistFile.TRAIN_LABELS);
    checkSameCount(MnistFile.TEST_IMAGES, MnistFile.TEST_LABELS);
    checkNotEmpty(MnistFile.TRAIN_IMAGES, MnistFile.TRAIN_LABELS);
    checkNotEmpty(MnistFile.TEST_IMAGES, MnistFile.TEST_LABELS);
    UInt8Array train = arrays.get(MnistFile.TRAIN_IMAGES);
    UInt8Array test = arrays.get(MnistFile.TEST_IMAGES);
    if (train.dim(1) != test.dim(1) || train.dim(2) != test.dim(2)) {
      throw new InvalidDataFileException(
          names.get(MnistFile.TEST_IMAGES)
              + " has images of "
              + test.dim(1)
              + "x"
              + test.dim(2)
              + " pixels but "
              + names.get(MnistFile.TRAIN_IMAGES)
              + " has "
              + train.dim(1)
              + "x"
              + train.dim(2)
              + "; train and test images must have the same size");
    }
    checkLabels(MnistFile.TRAIN_LABELS);
    checkLabels(MnistFile.TEST_LABELS);
    return new Mnist.Data(
        split(train, arrays.get(MnistFile.TRAIN_LABELS)), split(test, arrays.get(MnistFile.TEST_LABELS)));
  }

  /** Labels are digits: a value outside 0..9 is refused here, naming the file and the index. */
  private void checkLabels(MnistFile file) throws InvalidDataFileException {
    UInt8Array labels = arrays.get(file);
    for (int i = 0; i < labels.data().length; i++) {
      if (labels.get(i) > 9) {
        throw new InvalidDataFileException(
            names.get(file) + " holds the label " + labels.get(i) + " at index " + i
                + ", expected a digit in 0..9; the file is corrupt or not MNIST labels");
      }
    }
  }

  private void checkSameCount(MnistFile images, MnistFile labels) throws InvalidDataFileException {
    long imageCount = arrays.get(images).dim(0);
    long labelCount = arrays.get(labels).dim(0);
    if (imageCount != labelCount) {
      throw new InvalidDataFileException(
          names.get(images)
              + " has "
              + imageCount
              + " images but "
              + names.get(labels)
              + " has "
              + labelCount
              + " labels; they must have one label per image");
    }
  }

  /**
   * Refuses a split of 0 examples here, in the user's terms (which file, what to do), rather than
   * later as an empty array of shape (0, 28, 28, 1) in the data pipeline.
   */
  private void checkNotEmpty(MnistFile images, MnistFile labels) throws InvalidDataFileException {
    if (arrays.get(images).dim(0) > 0) {
      return;
    }
    String name = names.get(images);
    int in = name.indexOf(" in "); // an array of mnist.npz: "x_train in <file>"
    throw new InvalidDataFileException(
        in >= 0
            ? "MNIST array " + name + " holds 0 examples; delete " + name.substring(in + 4)
                + " to download it again."
            : "MNIST file " + name + " holds 0 examples; delete it (and " + names.get(labels)
                + ") to download it again.");
  }

  private static ImageSplit split(UInt8Array images, UInt8Array labels) {
    int[] digits = new int[labels.data().length];
    for (int i = 0; i < digits.length; i++) {
      digits[i] = labels.get(i);
    }
    return new ImageSplit(images.data(), Shape.of(images.shape()), digits);
  }
}
