package dev.tfkeras.utils;

import dev.tfkeras.data.Dataset;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.tensorflow.ndarray.ByteNdArray;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.IntNdArray;
import org.tensorflow.ndarray.LongNdArray;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

/** Keras's {@code keras.utils} helpers for preparing data. */
public final class Utils {

  private Utils() {}

  /**
   * One-hot rows for class indices, as {@code keras.utils.to_categorical(labels, num_classes)}: row
   * i is all zeros but a 1 at column {@code labels[i]}.
   *
   * @throws IllegalArgumentException if a label is outside [0, numClasses) or {@code numClasses < 1}
   */
  public static float[][] toCategorical(int[] labels, int numClasses) {
    Objects.requireNonNull(labels, "labels");
    requireClasses(numClasses);
    float[][] out = new float[labels.length][numClasses];
    for (int i = 0; i < labels.length; i++) {
      out[i][checkLabel(labels[i], numClasses, "labels[" + i + "]")] = 1f;
    }
    return out;
  }

  /** {@link #toCategorical(int[], int)} with the number of classes taken as the largest label + 1. */
  public static float[][] toCategorical(int[] labels) {
    int max = -1;
    for (int label : labels) {
      max = Math.max(max, label);
    }
    return toCategorical(labels, Math.max(1, max + 1));
  }

  /**
   * One-hot encoding of integer class indices of any shape (int32, int64 or uint8 arrays): the
   * result has the labels' shape plus a last axis of {@code numClasses}; a trailing axis of size 1
   * is replaced, as Keras does, so (N, 1) labels give (N, numClasses).
   */
  public static FloatNdArray toCategorical(NdArray<?> labels, int numClasses) {
    Objects.requireNonNull(labels, "labels");
    requireClasses(numClasses);
    Shape shape = labels.shape();
    if (shape.numDimensions() > 1 && shape.get(shape.numDimensions() - 1) == 1) {
      shape = shape.take(shape.numDimensions() - 1);
    }
    long[] values = longValues(labels);
    float[] out = new float[Math.multiplyExact(values.length, numClasses)];
    for (int i = 0; i < values.length; i++) {
      int label = checkLabel(values[i], numClasses, "label " + i + " (row-major)");
      out[i * numClasses + label] = 1f;
    }
    return NdArrays.wrap(shape.append(numClasses), DataBuffers.of(out, false, false));
  }

  /**
   * Splits an unbatched dataset into its first {@code leftSize} fraction of examples and the rest,
   * as {@code keras.utils.split_dataset(dataset, left_size)} without shuffling.
   */
  public static DatasetSplit splitDataset(Dataset dataset, double leftSize) {
    long left = leftCount(dataset, leftSize);
    return new DatasetSplit(dataset.take(left), dataset.skip(left));
  }

  /**
   * Like {@link #splitDataset(Dataset, double)} after a shuffle of all examples by {@code seed}, the
   * same for both parts and every pass, so the parts never overlap.
   */
  public static DatasetSplit splitDataset(Dataset dataset, double leftSize, long seed) {
    long left = leftCount(dataset, leftSize);
    Dataset shuffled = dataset.shuffle((int) dataset.cardinality(), seed, false);
    return new DatasetSplit(shuffled.take(left), shuffled.skip(left));
  }

  /**
   * Sliding windows over a time series with their targets, as {@code
   * keras.utils.timeseries_dataset_from_array(data, targets, sequence_length)}: batches of 128
   * windows of {@code sequenceLength} consecutive steps (axis 0 of {@code data} is time), window i
   * starting at step i with target {@code targets[i]}, in order.
   */
  public static Dataset timeseriesDatasetFromArray(Object data, Object targets, int sequenceLength) {
    return timeseriesDatasetFromArray(data, targets, sequenceLength, 1, 1, 128, false, null, null, null);
  }

  /**
   * Keras's {@code timeseries_dataset_from_array} with every argument: windows of {@code
   * sequenceLength} steps {@code data[s], data[s + samplingRate], ...}, starting every {@code
   * sequenceStride} steps from {@code startIndex}, none reaching {@code endIndex}; the window
   * starting at {@code startIndex + p} has target {@code targets[startIndex + p]}.
   *
   * <p>Windows are cut from {@code data} as each batch is gathered (index arithmetic over the one
   * host copy), never all at once. With {@code shuffle} the window order is drawn once from {@code
   * seed} and then shuffled locally on every pass (a buffer of 8 batches), as Keras does; Java's
   * generator, not NumPy's, so the orders differ from Keras's for the same seed.
   *
   * @param data the series, an {@code NdArray} or a Java array ({@code float[]}, {@code
   *     float[][]} of (steps, features)...)
   * @param targets one target per step (same forms), or null for a dataset of windows alone
   * @param batchSize windows per batch (Keras's default 128), or null for single windows
   * @param seed the shuffle's seed, or null for a random one
   * @param startIndex first step used (null: 0)
   * @param endIndex end of the steps used, exclusive (null: the length of {@code data})
   * @throws IllegalArgumentException with Keras's messages for out-of-range indices, rates and
   *     strides, or if no window fits (where Keras returns an empty dataset)
   */
  public static Dataset timeseriesDatasetFromArray(
      Object data,
      Object targets,
      int sequenceLength,
      int sequenceStride,
      int samplingRate,
      Integer batchSize,
      boolean shuffle,
      Long seed,
      Integer startIndex,
      Integer endIndex) {
    return TimeseriesDatasets.fromArray(
        data, targets, sequenceLength, sequenceStride, samplingRate, batchSize, shuffle, seed,
        startIndex, endIndex);
  }

  /** The image formats Keras's {@code image_dataset_from_directory} reads. */
  private static final FileDatasets.Kind IMAGES =
      new FileDatasets.Kind(
          List.of(".bmp", ".gif", ".jpeg", ".jpg", ".png"),
          "images",
          "Allowed formats: ('.bmp', '.gif', '.jpeg', '.jpg', '.png')");

  private static final FileDatasets.Kind TEXTS =
      new FileDatasets.Kind(List.of(".txt"), "text files", "Allowed format: .txt");

  /**
   * {@link #imageDatasetFromDirectory(Path, ImageDatasetOptions)} with Keras's defaults: one class
   * per subfolder, int labels, RGB images resized to 256 × 256, batches of 32, shuffled.
   */
  public static Dataset imageDatasetFromDirectory(Path directory) throws IOException {
    return imageDatasetFromDirectory(directory, new ImageDatasetOptions());
  }

  /**
   * A dataset of the images in {@code directory}, as Keras's {@code
   * keras.utils.image_dataset_from_directory(directory, ...)}: with inferred labels, each subfolder
   * is a class ({@code main/cat/1.jpg}, {@code main/dog/2.png} give labels 0 and 1 and {@link
   * Dataset#classNames()} {@code [cat, dog]}); files ending in .bmp, .gif, .jpeg, .jpg or .png are
   * read, in subfolders at any depth.
   *
   * <pre>{@code
   * Dataset train = Utils.imageDatasetFromDirectory(Path.of("flowers"),
   *     new ImageDatasetOptions().imageSize(180, 180).validationSplit(0.2).subset("training").seed(1337));
   * List<String> classes = train.classNames();
   * }</pre>
   *
   * <p>Elements are (images, labels): images float32 (batch, height, width, channels) with values
   * in [0, 255] (uint8 for {@code "nearest"} interpolation); labels int32 (batch), float32 one-hot
   * (batch, classes) for {@code "categorical"}, float32 (batch, 1) for {@code "binary"}; images alone
   * without labels. The files are listed once, here; images are read, decoded and resized as the
   * dataset is iterated, on {@code numParallelCalls} threads behind the prefetch buffer, so memory
   * holds a few batches whatever the number of files. Decoding uses TensorFlow's own decoders and
   * resize kernels, so the pixels are those Keras computes.
   *
   * <p>With the same seed the files are shuffled, and split into training and validation, exactly
   * as Keras does (NumPy's generator); the per-epoch reshuffle through a buffer of 8 batches uses
   * tfkeras's generator, so later orders differ from tf.data's.
   *
   * @throws IOException if the directory cannot be listed
   * @throws IllegalArgumentException with Keras's messages: no images found (after "Found 0 files
   *     belonging to N classes."), labels whose count differs from the files', class names that
   *     are not subfolders, a binary label mode without exactly 2 classes, a split without subset or
   *     seed, subset "both" (use {@link #imageDatasetsFromDirectory})
   * @throws IllegalStateException while iterating, from the prefetch thread, caused by an {@link
   *     java.io.UncheckedIOException} whose message names the file that cannot be read or decoded
   *     and gives the decoder's reason (the pass ends there)
   */
  public static Dataset imageDatasetFromDirectory(Path directory, ImageDatasetOptions options)
      throws IOException {
    ImageDecoder decoder = new ImageDecoder(options);
    return FileDatasets.one(directory, options, IMAGES, decoder::decode);
  }

  /**
   * The training and validation datasets of Keras's {@code image_dataset_from_directory(...,
   * validation_split=v, subset="both", seed=s)}: {@link DatasetSplit#left()} the first files of the
   * shuffled list (shuffled again every pass), {@link DatasetSplit#right()} the last {@code int(v ×
   * files)} (not shuffled). Options as {@link #imageDatasetFromDirectory(Path, ImageDatasetOptions)};
   * {@code subset} may be left unset.
   */
  public static DatasetSplit imageDatasetsFromDirectory(Path directory, ImageDatasetOptions options)
      throws IOException {
    ImageDecoder decoder = new ImageDecoder(options);
    return FileDatasets.both(directory, options, IMAGES, decoder::decode);
  }

  /** {@link #textDatasetFromDirectory(Path, TextDatasetOptions)} with Keras's defaults. */
  public static Dataset textDatasetFromDirectory(Path directory) throws IOException {
    return textDatasetFromDirectory(directory, new TextDatasetOptions());
  }

  /**
   * A dataset of the {@code .txt} files in {@code directory}, as Keras's {@code
   * keras.utils.text_dataset_from_directory}: labels as {@link #imageDatasetFromDirectory(Path,
   * ImageDatasetOptions)}, elements (texts, labels) with texts a string tensor ({@code TString},
   * shape (batch)) of each file's whole content, or its first {@code maxLength} bytes. Files are
   * read as the dataset is iterated, on several threads.
   *
   * @throws IOException if the directory cannot be listed
   * @throws IllegalArgumentException with Keras's messages, as for images ("No text files found in
   *     directory ...")
   * @throws IllegalStateException while iterating, from the prefetch thread, caused by an {@link
   *     java.io.UncheckedIOException} whose message names a file that cannot be read or is not
   *     UTF-8 (with the offset of its first invalid byte)
   */
  public static Dataset textDatasetFromDirectory(Path directory, TextDatasetOptions options)
      throws IOException {
    Integer maxLength = options.maxLength;
    return FileDatasets.one(directory, options, TEXTS, file -> TextFiles.read(file, maxLength));
  }

  /** The training and validation datasets of {@code text_dataset_from_directory(subset="both")}. */
  public static DatasetSplit textDatasetsFromDirectory(Path directory, TextDatasetOptions options)
      throws IOException {
    Integer maxLength = options.maxLength;
    return FileDatasets.both(directory, options, TEXTS, file -> TextFiles.read(file, maxLength));
  }

  /**
   * A CSV table as a dataset with Keras's structured-data defaults ({@link CsvOptions}: a header,
   * inferred types, batches of 32, shuffled, repeated forever as {@code make_csv_dataset}).
   *
   * @throws IOException naming the file if it cannot be read
   */
  public static Dataset csvDataset(Path path) throws IOException {
    return csvDataset(path, new CsvOptions());
  }

  /**
   * A CSV table as a dataset, Keras's {@code tf.data.experimental.make_csv_dataset(path, ...)}: one
   * named input per column ({@link Dataset#featureNames}, in file order), each of shape (1,) per
   * row so that a batch is (batch, 1), as {@code keras.Input(shape=(1,), name=column)} takes it;
   * int32, int64, float32, float64 or string, as given or inferred from the first rows; the label
   * columns as targets, shape (1,) each. A model with inputs named as the columns is fed by name,
   * whatever their order: {@code model.fit(Utils.csvDataset(path, options), epochs)}.
   *
   * <p>The file is parsed with Apache Commons CSV (RFC 4180 quoting: quoted delimiters, doubled
   * quotes, line breaks inside quotes) and read as UTF-8. It is read through once here, so that a
   * bad row fails now rather than during training; then every pass streams it again on the prefetch
   * thread, 64 records at a time parsed into typed column arrays: memory is the shuffle buffer, not
   * the file.
   *
   * @throws IOException naming the file if it does not exist or cannot be read
   * @throws IllegalArgumentException naming the file and line: a row with too many or too few
   *     fields, a value that does not parse as its column's type, a missing value without a
   *     default; naming the file: an empty file, an unknown label or selected column
   * @throws java.io.UncheckedIOException naming the file and line for text that is not UTF-8
   */
  public static Dataset csvDataset(Path path, CsvOptions options) throws IOException {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(options, "options");
    return CsvDatasets.read(path, options);
  }

  private static long leftCount(Dataset dataset, double leftSize) {
    Objects.requireNonNull(dataset, "dataset");
    if (dataset.isBatched()) {
      throw new IllegalArgumentException(
          "splitDataset splits examples: split the dataset before batch(), received " + dataset + ".");
    }
    long count = dataset.cardinality();
    if (count == Dataset.INFINITE_CARDINALITY) {
      throw new IllegalArgumentException("splitDataset needs a finite dataset, received one that repeats forever.");
    }
    if (!(leftSize > 0 && leftSize < 1)) {
      throw new IllegalArgumentException(
          "leftSize must be a fraction in (0, 1), received: leftSize=" + leftSize);
    }
    long left = Math.round(count * leftSize);
    if (left == 0 || left == count) {
      throw new IllegalArgumentException(
          "leftSize=" + leftSize + " of " + count + " examples leaves one side empty; use a larger"
              + " dataset or another fraction.");
    }
    return left;
  }

  private static void requireClasses(int numClasses) {
    if (numClasses < 1) {
      throw new IllegalArgumentException(
          "numClasses must be a positive integer, received: numClasses=" + numClasses);
    }
  }

  private static int checkLabel(long label, int numClasses, String where) {
    if (label < 0 || label >= numClasses) {
      throw new IllegalArgumentException(
          where + " is " + label + ", outside the valid range [0, " + numClasses + ") of class"
              + " indices; pass the right numClasses or fix the label.");
    }
    return (int) label;
  }

  private static long[] longValues(NdArray<?> labels) {
    if (labels.shape().size() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("labels are too large for a host array: " + labels.shape());
    }
    int n = (int) labels.shape().size();
    long[] out = new long[n];
    if (labels instanceof IntNdArray ints) {
      int[] v = new int[n];
      ints.copyTo(DataBuffers.of(v, false, false));
      for (int i = 0; i < n; i++) {
        out[i] = v[i];
      }
    } else if (labels instanceof LongNdArray longs) {
      longs.copyTo(DataBuffers.of(out, false, false));
    } else if (labels instanceof ByteNdArray bytes) {
      byte[] v = new byte[n];
      bytes.copyTo(DataBuffers.of(v, false, false));
      for (int i = 0; i < n; i++) {
        out[i] = Byte.toUnsignedInt(v[i]);
      }
    } else {
      throw new IllegalArgumentException(
          "labels must be integer class indices (int32, int64 or uint8), received "
              + labels.getClass().getSimpleName() + ".");
    }
    return out;
  }
}
