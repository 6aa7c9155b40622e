package dev.tfkeras.utils;

import dev.tfkeras.data.Dataset;
import dev.tfkeras.data.Example;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.tensorflow.ndarray.NdArray;

/**
 * What Keras's {@code image_dataset_from_directory} and {@code text_dataset_from_directory} share:
 * checking the options, listing the files ({@link FileIndex}), the validation split, and the
 * pipeline of paths and labels, shuffled, mapped to file contents on several threads as the
 * dataset is read, batched and prefetched. Only the list of paths and the labels stay in memory.
 */
final class FileDatasets {

  /**
   * What differs between images and texts.
   *
   * @param formats the allowed extensions, lower case, with their dot
   * @param what how Keras's "No ... found" messages name the files: "images", "text files"
   * @param allowed how they end: "Allowed formats: (...)" or "Allowed format: .txt"
   */
  record Kind(List<String> formats, String what, String allowed) {}

  private FileDatasets() {}

  /** The dataset of one subset ("training", "validation") or of every file. */
  static Dataset one(
      Path directory, FilesDatasetOptions<?> options, Kind kind, Function<Path, NdArray<?>> load)
      throws IOException {
    options.checkCombinations(options.subset);
    if ("both".equals(options.subset)) {
      throw new IllegalArgumentException(
          "subset=\"both\" makes two datasets, training and validation: call Utils."
              + (kind.what().equals("images") ? "imageDatasetsFromDirectory" : "textDatasetsFromDirectory")
              + " for them, or pass subset \"training\" or \"validation\".");
    }
    long seed = options.seed != null ? options.seed : FileIndex.randomSeed();
    FileIndex all = index(directory, options, kind, seed);
    FileIndex part = all.subset(options.validationSplit, options.subset, options.verbose);
    requireFiles(part, all, "", directory, kind);
    return dataset(part, options, options.shuffle, seed, load);
  }

  /** The training and validation datasets of {@code subset="both"}. */
  static DatasetSplit both(
      Path directory, FilesDatasetOptions<?> options, Kind kind, Function<Path, NdArray<?>> load)
      throws IOException {
    if (options.validationSplit == 0) {
      throw new IllegalArgumentException(
          "Training and validation datasets need a `validation_split` in (0, 1), received none;"
              + " set validationSplit(0.2) for instance.");
    }
    if (options.subset != null && !options.subset.equals("both")) {
      throw new IllegalArgumentException(
          "This call returns both the training and validation datasets, but subset=\""
              + options.subset + "\"; leave subset unset (or \"both\"), or call Utils."
              + (kind.what().equals("images") ? "imageDatasetFromDirectory" : "textDatasetFromDirectory")
              + " for one subset.");
    }
    options.checkCombinations("both");
    long seed = options.seed != null ? options.seed : FileIndex.randomSeed();
    FileIndex all = index(directory, options, kind, seed);
    FileIndex training = all.subset(options.validationSplit, "training", options.verbose);
    FileIndex validation = all.subset(options.validationSplit, "validation", options.verbose);
    requireFiles(training, all, "training ", directory, kind);
    requireFiles(validation, all, "validation ", directory, kind);
    return new DatasetSplit(
        dataset(training, options, options.shuffle, seed, load),
        dataset(validation, options, false, seed, load));
  }

  private static FileIndex index(
      Path directory, FilesDatasetOptions<?> options, Kind kind, long seed) throws IOException {
    FileIndex index = FileIndex.list(directory, options, kind.formats(), seed);
    if ("binary".equals(options.labelMode) && index.classNames() != null
        && index.classNames().size() != 2) {
      throw new IllegalArgumentException(
          "When passing `label_mode=\"binary\"`, there must be exactly 2 class_names. Received:"
              + " class_names=" + FileIndex.pythonList(index.classNames()));
    }
    return index;
  }

  private static void requireFiles(
      FileIndex part, FileIndex all, String subset, Path directory, Kind kind) {
    if (part.files().isEmpty()) {
      throw new IllegalArgumentException(
          FileIndex.found(all.files().size(), all.labels() == null ? null : all.classNames())
              + " No " + subset + kind.what() + " found in directory " + directory + ". "
              + kind.allowed());
    }
  }

  /** Paths and encoded labels, shuffled, loaded in parallel, batched and prefetched. */
  private static Dataset dataset(
      FileIndex index,
      FilesDatasetOptions<?> options,
      boolean shuffle,
      long seed,
      Function<Path, NdArray<?>> load) {
    String[] paths = index.files().stream().map(Path::toString).toArray(String[]::new);
    boolean labeled = index.labels() != null;
    Dataset dataset =
        labeled
            ? Dataset.fromTensorSlices(paths, labels(index, options.labelMode))
            : Dataset.fromTensorSlices(paths);
    if (shuffle) {
      int buffer = options.batchSize != null ? options.batchSize * 8 : 1024;
      dataset = dataset.shuffle(buffer, seed);
    }
    dataset =
        dataset.map(
            e -> {
              @SuppressWarnings("unchecked")
              String path = ((NdArray<String>) e.features()).getObject();
              NdArray<?> content = load.apply(Path.of(path));
              return labeled
                  ? Example.of(content, e.labels())
                  : Example.of(List.of(content), List.of(), null);
            },
            options.numParallelCalls);
    if (options.batchSize != null) {
      dataset = dataset.batch(options.batchSize);
    }
    return dataset.prefetch(Dataset.AUTOTUNE).withClassNames(labeled ? index.classNames() : null);
  }

  /**
   * Keras's {@code labels_to_dataset}: int32 indices, one-hot float32 rows of the class count
   * ({@code tf.one_hot}: all zeros for a label outside it), or float32 (N, 1) for binary.
   */
  private static Object labels(FileIndex index, String labelMode) {
    int[] labels = index.labels();
    return switch (labelMode) {
      case "categorical" -> {
        int classes = index.classNames().size();
        float[][] oneHot = new float[labels.length][classes];
        for (int i = 0; i < labels.length; i++) {
          if (labels[i] >= 0 && labels[i] < classes) {
            oneHot[i][labels[i]] = 1f;
          }
        }
        yield oneHot;
      }
      case "binary" -> {
        float[][] binary = new float[labels.length][1];
        for (int i = 0; i < labels.length; i++) {
          binary[i][0] = labels[i];
        }
        yield binary;
      }
      default -> labels.clone();
    };
  }
}
