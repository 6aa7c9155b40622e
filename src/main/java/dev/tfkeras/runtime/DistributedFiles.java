package dev.tfkeras.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Where a task of distributed training writes a file it saves, Keras's {@code
 * distributed_file_utils}: the chief (or a process that trains alone) writes to the path given;
 * every other task writes to {@code workertemp_<task index>} beside it, a directory deleted right
 * after the write, so that only the chief's checkpoints and saved models remain while every task
 * runs the same saving code.
 *
 * <pre>{@code
 * Path target = DistributedFiles.writeFilePath(runtime, path);
 * try {
 *   write(target);
 * } finally {
 *   DistributedFiles.removeTempFilePath(runtime, path);
 * }
 * }</pre>
 */
public final class DistributedFiles {

  private DistributedFiles() {}

  /**
   * Whether {@code runtime}'s task writes checkpoints: true unless it is a task of distributed
   * training other than the chief (a null runtime, one not yet bound, trains alone).
   */
  public static boolean shouldCheckpoint(GraphRuntime runtime) {
    return runtime == null || runtime.distribution() == null || runtime.distribution().shouldCheckpoint();
  }

  /**
   * Keras's {@code write_dirpath}: {@code dir} itself where {@link #shouldCheckpoint}, else {@code
   * dir/workertemp_<task index>}, created.
   *
   * @throws UncheckedIOException naming the directory if it cannot be created
   */
  public static Path writeDirPath(GraphRuntime runtime, Path dir) {
    if (shouldCheckpoint(runtime)) {
      return dir;
    }
    Path temp = tempDir(runtime, dir);
    try {
      Files.createDirectories(temp);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create the temporary directory " + temp + ": " + e, e);
    }
    return temp;
  }

  /**
   * Keras's {@code write_filepath}: {@code path} itself where {@link #shouldCheckpoint}, else
   * {@code path}'s name inside {@link #writeDirPath} of its parent directory.
   */
  public static Path writeFilePath(GraphRuntime runtime, Path path) {
    if (shouldCheckpoint(runtime)) {
      return path;
    }
    Path absolute = path.toAbsolutePath();
    return writeDirPath(runtime, absolute.getParent()).resolve(absolute.getFileName());
  }

  /**
   * Keras's {@code remove_temp_dirpath}: deletes the temporary directory {@link #writeDirPath} gave
   * a task that does not checkpoint; does nothing on the chief.
   *
   * @throws UncheckedIOException naming the file that cannot be deleted
   */
  public static void removeTempDirPath(GraphRuntime runtime, Path dir) {
    if (shouldCheckpoint(runtime)) {
      return;
    }
    Path temp = tempDir(runtime, dir);
    if (!Files.exists(temp)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(temp)) {
      for (Path file : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot delete the temporary directory " + temp + ": " + e, e);
    }
  }

  /** Keras's {@code remove_temp_dir_with_filepath}: {@link #removeTempDirPath} of the parent. */
  public static void removeTempFilePath(GraphRuntime runtime, Path path) {
    if (!shouldCheckpoint(runtime)) {
      removeTempDirPath(runtime, path.toAbsolutePath().getParent());
    }
  }

  private static Path tempDir(GraphRuntime runtime, Path dir) {
    return dir.resolve("workertemp_" + runtime.distribution().taskDevice().task());
  }
}
