package dev.tfkeras.utils;

import dev.tfkeras.data.Dataset;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The keyword arguments that Keras's {@code image_dataset_from_directory} and {@code
 * text_dataset_from_directory} share, with Keras's names and defaults, as fluent setters; {@link
 * ImageDatasetOptions} and {@link TextDatasetOptions} add their own. Each setter checks its value
 * and returns this; options that only make sense together (a split and its subset and seed,
 * explicit labels and class names) are checked when the dataset is made.
 *
 * @param <O> the options class itself, so that setters chain
 */
public abstract class FilesDatasetOptions<O extends FilesDatasetOptions<O>> {

  private static final Set<String> LABEL_MODES = Set.of("int", "categorical", "binary");

  private final String files;
  boolean inferLabels = true;
  int[] labels;
  String labelMode = "int";
  List<String> classNames;
  Integer batchSize = 32;
  boolean shuffle = true;
  Long seed;
  double validationSplit;
  String subset;
  boolean followLinks;
  boolean verbose = true;
  int numParallelCalls = Dataset.AUTOTUNE;

  /** @param files how messages name the files, e.g. {@code "image files"} */
  FilesDatasetOptions(String files) {
    this.files = files;
  }

  @SuppressWarnings("unchecked")
  private O self() {
    return (O) this;
  }

  /**
   * {@code "inferred"} (the default: one class per subfolder, labels from the folder names) or
   * null (no labels: the dataset yields inputs only, and every file under the directory counts).
   *
   * @throws IllegalArgumentException for any other text, with Keras's message
   */
  public O labels(String labels) {
    if (labels != null && !labels.equals("inferred")) {
      throw new IllegalArgumentException(
          "`labels` argument should be a list/tuple of integer labels, of the same size as the number"
              + " of " + files + " in the target directory. If you wish to infer the labels from the"
              + " subdirectory names in the target directory, pass `labels=\"inferred\"`. If you wish"
              + " to get a dataset that only contains " + (files.startsWith("image") ? "images" : "text samples")
              + " (no labels), pass `labels=null`. Received: labels=" + labels);
    }
    this.inferLabels = labels != null;
    this.labels = null;
    return self();
  }

  /**
   * Explicit integer labels, one per file in the alphanumeric order of the file paths (as Python's
   * {@code os.walk} lists them); the directory structure is then ignored and the class names are
   * the sorted distinct labels as text.
   */
  public O labels(int... labels) {
    this.labels = labels.clone();
    this.inferLabels = false;
    return self();
  }

  /**
   * How labels are encoded: {@code "int"} (default: int32 class indices, shape (batch)), {@code
   * "categorical"} (float32 one-hot, (batch, classes)), {@code "binary"} (float32 0 or 1, (batch,
   * 1); exactly 2 classes) or null (no labels).
   *
   * @throws IllegalArgumentException for any other value, with Keras's message
   */
  public O labelMode(String labelMode) {
    if (labelMode != null && !LABEL_MODES.contains(labelMode)) {
      throw new IllegalArgumentException(
          "`label_mode` argument must be one of \"int\", \"categorical\", \"binary\", or None."
              + " Received: label_mode=" + labelMode);
    }
    this.labelMode = labelMode;
    return self();
  }

  /**
   * The class folders to use, in the order of their labels (only with inferred labels); by default
   * every subfolder, in alphanumeric order. Each must be the name of a subfolder.
   */
  public O classNames(String... classNames) {
    return classNames(Arrays.asList(classNames));
  }

  /** {@link #classNames(String...)} from a list; null for every subfolder. */
  public O classNames(List<String> classNames) {
    this.classNames = classNames == null ? null : List.copyOf(classNames);
    return self();
  }

  /**
   * Examples per batch (default 32), or null for a dataset of single examples (no batch axis).
   *
   * @throws IllegalArgumentException if not positive
   */
  public O batchSize(Integer batchSize) {
    if (batchSize != null && batchSize <= 0) {
      throw new IllegalArgumentException(
          "`batch_size` must be a positive integer, or null for a dataset of single examples."
              + " Received: batch_size=" + batchSize);
    }
    this.batchSize = batchSize;
    return self();
  }

  /**
   * Whether to shuffle (default true): the file list once, with {@code seed}, and then every pass
   * through a buffer of 8 batches; false keeps the alphanumeric order of the files.
   */
  public O shuffle(boolean shuffle) {
    this.shuffle = shuffle;
    return self();
  }

  /**
   * The seed of the shuffle (default: a random one); required with a {@link #validationSplit} and
   * shuffling, so that the training and validation files do not overlap.
   *
   * @throws IllegalArgumentException outside [0, 2^32 - 1], the seeds NumPy accepts
   */
  public O seed(long seed) {
    this.seed = NumpyShuffle.checkSeed(seed);
    return self();
  }

  /**
   * Fraction of the files, in (0, 1), held out for validation: the last ones of the (shuffled)
   * list; 0, the default, holds out none. Set {@link #subset} with it.
   *
   * @throws IllegalArgumentException outside [0, 1), with Keras's message
   */
  public O validationSplit(double validationSplit) {
    if (validationSplit != 0 && !(validationSplit > 0 && validationSplit < 1)) {
      throw new IllegalArgumentException(
          "`validation_split` must be between 0 and 1, received: " + validationSplit);
    }
    this.validationSplit = validationSplit;
    return self();
  }

  /**
   * Which part of a {@link #validationSplit} to return: {@code "training"} or {@code
   * "validation"}, or {@code "both"} for {@code Utils.imageDatasetsFromDirectory} and {@code
   * textDatasetsFromDirectory}, which return the two.
   *
   * @throws IllegalArgumentException for any other value, with Keras's message
   */
  public O subset(String subset) {
    if (subset != null && !Set.of("training", "validation", "both").contains(subset)) {
      throw new IllegalArgumentException(
          "`subset` must be either \"training\", \"validation\" or \"both\", received: " + subset);
    }
    this.subset = subset;
    return self();
  }

  /** Whether to walk into subfolders that are symbolic links (default false). */
  public O followLinks(boolean followLinks) {
    this.followLinks = followLinks;
    return self();
  }

  /** Whether to print the number of files and classes found, and of files used (default true). */
  public O verbose(boolean verbose) {
    this.verbose = verbose;
    return self();
  }

  /**
   * Files read and decoded at once (tfkeras's; Keras lets tf.data choose): {@link
   * Dataset#AUTOTUNE}, the default, uses one thread per available processor.
   *
   * @throws IllegalArgumentException if neither positive nor AUTOTUNE
   */
  public O numParallelCalls(int numParallelCalls) {
    if (numParallelCalls <= 0 && numParallelCalls != Dataset.AUTOTUNE) {
      throw new IllegalArgumentException(
          "numParallelCalls must be a positive integer or Dataset.AUTOTUNE, received: numParallelCalls="
              + numParallelCalls);
    }
    this.numParallelCalls = numParallelCalls;
    return self();
  }

  /**
   * Keras's checks of the options that go together, with its messages.
   *
   * @param subset the subset asked for: the option, or "both" for the methods returning both
   */
  void checkCombinations(String subset) {
    if (labels != null && classNames != null && !classNames.isEmpty()) {
      throw new IllegalArgumentException(
          "You can only pass `class_names` if `labels=\"inferred\"`. Received: labels="
              + Arrays.toString(labels) + ", and class_names=" + FileIndex.pythonList(classNames));
    }
    if ((validationSplit != 0 || subset != null) && !(validationSplit != 0 && subset != null)) {
      throw new IllegalArgumentException(
          "If `subset` is set, `validation_split` must be set, and inversely.");
    }
    if (validationSplit != 0 && shuffle && seed == null) {
      throw new IllegalArgumentException(
          "If using `validation_split` and shuffling the data, you must provide a `seed` argument,"
              + " to make sure that there is no overlap between the training and validation subset.");
    }
  }

  /** Whether the dataset has labels: inferred or explicit labels, and a label mode. */
  boolean labeled() {
    return (inferLabels || labels != null) && labelMode != null;
  }
}
