package dev.tfkeras.saving;

import dev.tfkeras.io.FileErrors;
import dev.tfkeras.io.PartFile;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * A directory that {@code Model.save} owns, replaced as a whole and never anything else.
 *
 * <p>Each export holds a marker file, {@value #MARKER}; a save replaces only a directory that is
 * missing, empty, or an earlier export holding nothing but what an export holds. Anything else (a
 * regular file, a directory of other files) is refused with a message.
 *
 * <p>The replace is crash-safe: the new export is written to {@code .<name>.tfkeras-staging}
 * beside the target and synced, its marker written last; then the old export is renamed to {@code
 * .<name>.tfkeras-old}, the new one renamed into place, and the old one deleted (its marker last).
 * A kill between any two steps leaves the old or the new export at the target, or leaves both
 * beside it, from which {@link #recover} (run by the next save or load) restores the newest
 * complete one. Those two names are reused, so leftovers never pile up. Saves within one JVM are
 * serialized; two processes must not save to the same directory at the same time.
 */
public final class ExportDirectory {

  /** The file that marks a directory as an export written by tfkeras. */
  public static final String MARKER = ".tfkeras-export";

  private static final Logger LOG = LogManager.getLogger(ExportDirectory.class);
  private static final String MARKER_TEXT =
      "This directory is a model export written by tfkeras (Model.save): a TensorFlow SavedModel plus"
          + " weights.npz.\nSaving again to it replaces it as a whole.\nformat=1\n";
  private static final String SAVED_MODEL = "saved_model.pb";
  private static final String VARIABLES = "variables";
  private static final String WEIGHTS = "weights.npz";
  private static final Set<String> EXPORT_ENTRIES = Set.of(SAVED_MODEL, VARIABLES, WEIGHTS, MARKER);
  private static final Object LOCK = new Object();

  /** Writes an export's content (the SavedModel and weights.npz) into a directory. */
  @FunctionalInterface
  public interface Writer {
    void write(Path directory) throws IOException;
  }

  private ExportDirectory() {}

  /**
   * Checks that {@code target} can receive an export, without writing it: it is missing, empty or
   * an earlier export, and the directory it goes in can be written.
   *
   * @throws IOException saying what was expected, what was found and what to do
   */
  public static void checkTarget(Path target) throws IOException {
    Path resolved = resolve(target);
    checkReplaceable(resolved);
    checkWritable(resolved);
  }

  /**
   * Writes a new export with {@code writer} and puts it at {@code target} in place of the previous
   * export, crash-safely (see the class comment).
   *
   * @throws IOException if {@code target} is not an export, or writing fails (naming the path); the
   *     previous export is then intact
   */
  public static void write(Path target, Writer writer) throws IOException {
    synchronized (LOCK) {
      Path resolved = resolve(target);
      recover(resolved);
      checkReplaceable(resolved);
      Path parent = resolved.getParent();
      try {
        Files.createDirectories(parent);
      } catch (IOException e) {
        throw FileErrors.explain(e, "save the model to", resolved);
      }
      Path staging = staging(resolved);
      Path old = old(resolved);
      for (Path leftover : List.of(staging, old)) {
        if (Files.exists(leftover, LinkOption.NOFOLLOW_LINKS)) {
          throw new IOException(
              "Cannot save the model to " + resolved + ": " + leftover + " is in the way; it holds"
                  + " files that a save does not write, so it is not removed automatically. Move or"
                  + " remove it.");
        }
      }
      try {
        Files.createDirectory(staging);
      } catch (IOException e) {
        throw FileErrors.explain(e, "save the model to", resolved);
      }
      try {
        SavePoints.reach(SavePoints.EXPORT_STAGING_CREATED, staging);
        writer.write(staging);
        syncTree(staging);
        writeMarker(staging);
        SavePoints.reach(SavePoints.EXPORT_STAGING_COMPLETE, staging);
      } catch (IOException e) {
        deleteQuietly(staging);
        String reason = e.getMessage() == null ? e.toString() : e.getMessage();
        throw new IOException(
            "Cannot save the model to " + resolved + ": "
                + Character.toLowerCase(reason.charAt(0)) + reason.substring(1)
                + (reason.endsWith(".") ? "" : ".")
                + (Files.exists(resolved) ? " The previous export at " + resolved + " is intact." : ""),
            e);
      } catch (RuntimeException | Error e) {
        deleteQuietly(staging);
        throw e;
      }
      boolean replacing = Files.exists(resolved, LinkOption.NOFOLLOW_LINKS);
      try {
        if (replacing) {
          Files.move(resolved, old, StandardCopyOption.ATOMIC_MOVE);
          PartFile.syncDirectory(parent);
          SavePoints.reach(SavePoints.EXPORT_OLD_ASIDE, old);
        }
        try {
          Files.move(staging, resolved, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
          if (replacing) {
            Files.move(old, resolved, StandardCopyOption.ATOMIC_MOVE);
          }
          throw e;
        }
        PartFile.syncDirectory(parent);
      } catch (IOException e) {
        deleteQuietly(staging);
        throw FileErrors.explain(e, "save the model to", resolved);
      }
      SavePoints.reach(SavePoints.EXPORT_NEW_IN_PLACE, resolved);
      if (replacing) {
        try {
          deleteExport(old, SavePoints.EXPORT_OLD_PARTLY_DELETED);
        } catch (IOException e) {
          LOG.warn("Saved to {}, but cannot delete the previous export moved aside to {}: {}. The next"
              + " save removes it.", resolved, old, FileErrors.reason(e, old));
        }
      }
    }
  }

  /**
   * Finishes or rolls back a save to {@code target} that a crash interrupted: puts the newest
   * complete export at {@code target} if it is missing, and deletes the staging and aside
   * directories. Does nothing if there are none.
   *
   * @throws IOException if a leftover cannot be moved or deleted
   */
  public static void recover(Path target) throws IOException {
    synchronized (LOCK) {
      Path resolved = resolve(target);
      Path parent = resolved.getParent();
      if (parent == null) {
        return;
      }
      Path staging = staging(resolved);
      Path old = old(resolved);
      boolean hasStaging = Files.isDirectory(staging, LinkOption.NOFOLLOW_LINKS) && isOurs(staging);
      boolean hasOld = Files.isDirectory(old, LinkOption.NOFOLLOW_LINKS) && isOurs(old);
      if (!hasStaging && !hasOld) {
        return;
      }
      try {
        if (!Files.exists(resolved, LinkOption.NOFOLLOW_LINKS)) {
          if (hasStaging && Files.isRegularFile(staging.resolve(MARKER))) {
            Files.move(staging, resolved, StandardCopyOption.ATOMIC_MOVE);
            hasStaging = false;
            LOG.warn("Completed the save to {} that was interrupted: the new export is now in place.", resolved);
          } else if (hasOld && Files.isRegularFile(old.resolve(MARKER))) {
            Files.move(old, resolved, StandardCopyOption.ATOMIC_MOVE);
            hasOld = false;
            LOG.warn("Restored the previous export at {}: the save that replaced it was interrupted.", resolved);
          }
          PartFile.syncDirectory(parent);
        }
        if (hasStaging) {
          deleteExport(staging, null);
          LOG.info("Removed {}, left by an interrupted save", staging);
        }
        if (hasOld) {
          deleteExport(old, null);
          LOG.info("Removed {}, left by an interrupted save", old);
        }
      } catch (IOException e) {
        throw FileErrors.explain(e, "recover the interrupted save to", resolved);
      }
    }
  }

  /** The staging directory of a save to {@code target}. */
  static Path staging(Path target) {
    return target.resolveSibling("." + target.getFileName() + ".tfkeras-staging");
  }

  /** Where a save to {@code target} moves the previous export aside. */
  static Path old(Path target) {
    return target.resolveSibling("." + target.getFileName() + ".tfkeras-old");
  }

  /** The absolute target, through a symbolic link to a directory (the link is kept). */
  private static Path resolve(Path target) throws IOException {
    Path absolute = target.toAbsolutePath().normalize();
    if (Files.isSymbolicLink(absolute) && Files.isDirectory(absolute)) {
      return absolute.toRealPath();
    }
    if (absolute.getParent() == null) {
      throw new IOException("Cannot save the model to " + absolute + ": expected a directory below the root.");
    }
    return absolute;
  }

  private static void checkReplaceable(Path target) throws IOException {
    String prefix = "Cannot save the model to " + target + ": ";
    if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (!Files.isDirectory(target)) {
      throw new IOException(
          prefix + (Files.isSymbolicLink(target) ? "it is a symbolic link to no directory" : "it is a regular file")
              + ", expected a new directory or an earlier export of Model.save. Choose another path, or"
              + " remove the file if you no longer need it.");
    }
    List<String> names = names(target);
    if (names.isEmpty()) {
      return;
    }
    List<String> foreign = names.stream().filter(n -> !isExportEntry(n)).sorted().toList();
    boolean marked = names.contains(MARKER);
    boolean legacy = !marked && foreign.isEmpty() && names.contains(SAVED_MODEL) && names.contains(WEIGHTS);
    if (!marked && !legacy) {
      throw new IOException(
          prefix + "the directory holds files that are not a tfkeras export (" + list(names) + "),"
              + " which saving would delete. Expected a new or empty directory, or an earlier export of"
              + " Model.save (recognised by its " + MARKER + " file). Choose another directory.");
    }
    if (!foreign.isEmpty()) {
      throw new IOException(
          prefix + "it is an earlier export but also holds other files (" + list(foreign) + "), which"
              + " saving would delete. Move them out of it, or choose another directory.");
    }
  }

  private static void checkWritable(Path target) throws IOException {
    Path existing = target.getParent();
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    String prefix = "Cannot save the model to " + target + ": ";
    if (existing == null) {
      throw new IOException(prefix + "none of its parent directories exists.");
    }
    if (!Files.isDirectory(existing)) {
      throw new IOException(
          prefix + existing + " is a regular file, not a directory. Choose a path whose parents are directories.");
    }
    Path probe = existing.resolve(".tfkeras-probe-" + UUID.randomUUID());
    try {
      Files.createFile(probe);
      Files.delete(probe);
    } catch (IOException e) {
      throw FileErrors.explain(e, "save the model to", target);
    }
  }

  private static boolean isExportEntry(String name) {
    return EXPORT_ENTRIES.contains(name) || (name.startsWith(WEIGHTS) && name.endsWith(".part"));
  }

  /** Whether a staging or aside directory holds only what a save writes (possibly partly). */
  private static boolean isOurs(Path directory) throws IOException {
    for (String name : names(directory)) {
      if (!isExportEntry(name)) {
        LOG.warn("{} holds {}, which a save does not write: left in place.", directory, name);
        return false;
      }
    }
    return true;
  }

  private static void writeMarker(Path directory) throws IOException {
    Path marker = directory.resolve(MARKER);
    try (FileChannel channel =
        FileChannel.open(marker, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      channel.write(java.nio.ByteBuffer.wrap(MARKER_TEXT.getBytes(StandardCharsets.UTF_8)));
      channel.force(true);
    } catch (IOException e) {
      throw FileErrors.explain(e, "write", marker);
    }
    PartFile.syncDirectory(directory);
  }

  /** Forces every file and directory below {@code root} to disk before the marker declares it complete. */
  private static void syncTree(Path root) throws IOException {
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(root)) {
      paths = walk.toList();
    }
    for (Path path : paths) {
      if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
          channel.force(true);
        } catch (IOException e) {
          throw FileErrors.explain(e, "write", path);
        }
      } else if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
        PartFile.syncDirectory(path);
      }
    }
  }

  /**
   * Deletes an export, staging or aside directory: its marker last, so that a crash midway leaves
   * a directory still recognised as ours.
   *
   * @param point the save point reached after the first deletion, or null
   */
  private static void deleteExport(Path directory, String point) throws IOException {
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(directory)) {
      paths = new ArrayList<>(walk.sorted(Comparator.reverseOrder()).toList());
    }
    Path marker = directory.resolve(MARKER);
    paths.remove(marker);
    paths.remove(directory);
    boolean first = true;
    for (Path path : paths) {
      Files.deleteIfExists(path);
      if (first && point != null) {
        SavePoints.reach(point, directory);
      }
      first = false;
    }
    Files.deleteIfExists(marker);
    Files.deleteIfExists(directory);
  }

  private static void deleteQuietly(Path directory) {
    try {
      if (Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
        deleteExport(directory, null);
      }
    } catch (IOException e) {
      LOG.warn("Cannot delete {}: {}. The next save removes it.", directory, FileErrors.reason(e, directory));
    }
  }

  private static List<String> names(Path directory) throws IOException {
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
      entries.forEach(p -> names.add(p.getFileName().toString()));
    } catch (IOException e) {
      throw FileErrors.explain(e, "read the directory", directory);
    }
    return names;
  }

  private static String list(List<String> names) {
    List<String> sorted = names.stream().sorted().toList();
    return sorted.size() <= 5
        ? String.join(", ", sorted)
        : String.join(", ", sorted.subList(0, 5)) + " and " + (sorted.size() - 5) + " more";
  }
}
