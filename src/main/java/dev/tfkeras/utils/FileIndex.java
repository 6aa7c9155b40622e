package dev.tfkeras.utils;

import dev.tfkeras.io.FileErrors;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The files of a directory with their labels, listed as Keras's {@code dataset_utils.index_directory}
 * lists them: one class per visible subfolder (or the explicit labels, or none), the files of each
 * class walked recursively in the order of Python's {@code sorted(os.walk(...))}, filtered by
 * extension, then shuffled by NumPy's generator with the seed; and Keras's validation split.
 *
 * @param files the files, in the dataset's order
 * @param labels one label per file, or null without labels
 * @param classNames the names of the labels' classes, or null without labels
 */
record FileIndex(List<Path> files, int[] labels, List<String> classNames) {

  /** Python's string order: by code points (Java's {@code compareTo} compares UTF-16 units). */
  static final Comparator<String> PYTHON_ORDER =
      (a, b) -> Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray());

  /**
   * Lists {@code directory} as Keras does; prints "Found N files belonging to M classes." when
   * {@code verbose}.
   *
   * @param formats the allowed extensions, lower case with their dot
   * @param seed the shuffle's seed (ignored without {@code shuffle})
   */
  static FileIndex list(
      Path directory, FilesDatasetOptions<?> options, List<String> formats, long seed)
      throws IOException {
    if (!Files.isDirectory(directory)) {
      throw FileErrors.explain(
          Files.exists(directory) ? new NotDirectoryException(directory.toString())
              : new java.nio.file.NoSuchFileException(directory.toString()),
          "list the files of", directory);
    }
    // Keras: labels=None or label_mode=None both mean no labels, listed from the directory down.
    boolean infer = options.labeled() && options.inferLabels;
    int[] explicit = options.labeled() ? options.labels : null;
    List<String> subdirs;
    if (infer) {
      List<String> found = new ArrayList<>();
      for (Path entry : sortedEntries(directory)) {
        String name = entry.getFileName().toString();
        if (Files.isDirectory(entry) && !name.startsWith(".")) {
          found.add(name);
        }
      }
      subdirs = found;
      if (options.classNames != null) {
        if (!new HashSet<>(found).containsAll(options.classNames)) {
          throw new IllegalArgumentException(
              "The `class_names` passed did not match the names of the subdirectories of the target"
                  + " directory. Expected: " + pythonList(found) + " (or a subset of it), but received:"
                  + " class_names=" + pythonList(options.classNames));
        }
        subdirs = options.classNames;
      }
    } else {
      if (options.classNames != null) {
        throw new IllegalArgumentException(
            explicit == null
                ? "When `labels=None` (no labels), argument `class_names` cannot be specified."
                : "When argument `labels` is specified, argument `class_names` cannot be specified"
                    + " (the `class_names` will be the sorted list of labels).");
      }
      subdirs = List.of("");
    }
    List<Path> files = new ArrayList<>();
    List<Integer> inferred = new ArrayList<>();
    for (int c = 0; c < subdirs.size(); c++) {
      Path root = subdirs.get(c).isEmpty() ? directory : directory.resolve(subdirs.get(c));
      for (Path file : walk(root, options.followLinks, formats)) {
        files.add(file);
        inferred.add(c);
      }
    }
    int[] labels;
    List<String> classNames;
    if (infer) {
      labels = inferred.stream().mapToInt(Integer::intValue).toArray();
      classNames = List.copyOf(subdirs);
    } else if (explicit == null) {
      labels = null;
      classNames = null;
    } else {
      if (explicit.length != files.size()) {
        throw new IllegalArgumentException(
            "Expected the lengths of `labels` to match the number of files in the target directory."
                + " len(labels) is " + explicit.length + " while we found " + files.size()
                + " files in directory " + directory + ".");
      }
      labels = explicit.clone();
      TreeSet<Integer> distinct = new TreeSet<>();
      Arrays.stream(labels).forEach(distinct::add);
      classNames = distinct.stream().map(String::valueOf).toList();
    }
    if (options.verbose) {
      System.out.println(found(files.size(), labels == null ? null : classNames));
    }
    if (options.shuffle) {
      new NumpyShuffle(seed).shuffle(files);
      if (labels != null) {
        new NumpyShuffle(seed).shuffle(labels);
      }
    }
    return new FileIndex(List.copyOf(files), labels, classNames);
  }

  /** Keras's line: "Found 10 files belonging to 2 classes." or "Found 10 files." without labels. */
  static String found(int files, List<String> classNames) {
    return classNames == null
        ? "Found " + files + " files."
        : "Found " + files + " files belonging to " + classNames.size() + " classes.";
  }

  /** A random seed as Keras draws one when none is given: an integer below one million. */
  static long randomSeed() {
    return ThreadLocalRandom.current().nextLong(1_000_000);
  }

  /**
   * Keras's {@code get_training_or_validation_split}: the first files for training, the last
   * {@code int(split * n)} for validation; everything when {@code split} is 0.
   */
  FileIndex subset(double split, String subset, boolean verbose) {
    if (split == 0) {
      return this;
    }
    int validation = (int) (split * files.size());
    int training = files.size() - validation;
    int from = subset.equals("training") ? 0 : training;
    int to = subset.equals("training") ? training : files.size();
    if (verbose) {
      System.out.println(
          subset.equals("training")
              ? "Using " + training + " files for training."
              : "Using " + validation + " files for validation.");
    }
    return new FileIndex(
        files.subList(from, to), labels == null ? null : Arrays.copyOfRange(labels, from, to), classNames);
  }

  /** The entries of {@code directory}, sorted as Python sorts their names. */
  private static List<Path> sortedEntries(Path directory) throws IOException {
    List<Path> entries = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
      stream.forEach(entries::add);
    } catch (IOException e) {
      throw FileErrors.explain(e, "list the files of", directory);
    }
    entries.sort(Comparator.comparing(p -> p.getFileName().toString(), PYTHON_ORDER));
    return entries;
  }

  /**
   * Keras's {@code iter_valid_files}: every folder under {@code root} (into linked ones only with
   * {@code followLinks}), the folders in the order of their path, each one's files by name, those
   * whose lower-cased name ends with an allowed extension.
   */
  private static List<Path> walk(Path root, boolean followLinks, List<String> formats)
      throws IOException {
    Map<String, List<Path>> folders = new LinkedHashMap<>();
    Set<Path> visited = new HashSet<>();
    List<Path> pending = new ArrayList<>(List.of(root));
    while (!pending.isEmpty()) {
      Path folder = pending.remove(pending.size() - 1);
      if (!visited.add(folder.toRealPath())) {
        continue; // a link back to a folder already walked: Python would loop forever
      }
      List<Path> files = new ArrayList<>();
      for (Path entry : sortedEntries(folder)) {
        if (Files.isDirectory(entry)) {
          if (followLinks || !Files.isSymbolicLink(entry)) {
            pending.add(entry);
          }
        } else if (allowed(entry.getFileName().toString(), formats)) {
          files.add(entry);
        }
      }
      folders.put(folder.toString(), files);
    }
    List<String> order = new ArrayList<>(folders.keySet());
    order.sort(PYTHON_ORDER);
    List<Path> out = new ArrayList<>();
    for (String folder : order) {
      out.addAll(folders.get(folder));
    }
    return out;
  }

  private static boolean allowed(String name, List<String> formats) {
    String lower = name.toLowerCase(Locale.ROOT);
    for (String format : formats) {
      if (lower.endsWith(format)) {
        return true;
      }
    }
    return false;
  }

  /** Python's repr of a list of strings: {@code ['a', 'b']}. */
  static String pythonList(List<String> items) {
    return "[" + String.join(", ", items.stream().map(s -> "'" + s + "'").toList()) + "]";
  }

  /** Python's repr of a tuple of strings: {@code ('a', 'b')}. */
  static String pythonTuple(List<String> items) {
    return "(" + String.join(", ", items.stream().map(s -> "'" + s + "'").toList()) + ")";
  }
}
