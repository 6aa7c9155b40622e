package dev.tfkeras.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Turns the JDK's terse file-system exceptions (an {@code AccessDeniedException} whose message is
 * only a path, a disk-full {@code IOException} that names no file) into messages that name the
 * path, say what went wrong in words, and what to do.
 */
public final class FileErrors {

  private FileErrors() {}

  /**
   * An IOException saying "Cannot {@code action} {@code path}: reason. What to do.", caused by
   * {@code e}.
   *
   * @param action what was being done, e.g. "write", "read", "create the directory"
   */
  public static IOException explain(IOException e, String action, Path path) {
    return new IOException("Cannot " + action + " " + path + ": " + reason(e, path), e);
  }

  /** The cause of {@code e} in words, with what to do, e.g. "permission denied on /x. ...". */
  public static String reason(IOException e, Path path) {
    String other = e instanceof FileSystemException fs && fs.getFile() != null ? fs.getFile() : null;
    String on = other != null && !other.equals(String.valueOf(path)) ? " on " + other : "";
    String text = String.valueOf(e instanceof FileSystemException fs ? fs.getReason() : e.getMessage())
        .toLowerCase(Locale.ROOT);
    if (e instanceof AccessDeniedException || text.contains("permission denied")) {
      Path denied = Path.of(other != null ? other : String.valueOf(path)).toAbsolutePath();
      String where =
          !Files.exists(denied, LinkOption.NOFOLLOW_LINKS) && denied.getParent() != null
              ? " (cannot create files in " + denied.getParent() + ")"
              : on;
      return "permission denied" + where + ". Check its permissions (and those of the directories above"
          + " it), or choose another location.";
    }
    if (text.contains("no space left")) {
      return "no space left on device" + on + ". Free some space, or choose another location.";
    }
    if (text.contains("read-only file system")) {
      return "read-only file system" + on + ". Choose a location on a writable file system.";
    }
    Path file = regularFileAbove(path);
    if (file != null
        && (e instanceof NotDirectoryException || e instanceof FileAlreadyExistsException
            || e instanceof NoSuchFileException || text.contains("not a directory"))) {
      return file + " is a regular file, not a directory. Choose a path whose parents are directories.";
    }
    if (e instanceof NoSuchFileException) {
      return (other != null ? other : String.valueOf(path)) + " does not exist.";
    }
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }

  /** The first existing path among {@code path} and its parents, if it is not a directory; else null. */
  public static Path regularFileAbove(Path path) {
    for (Path p = path.toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) || Files.exists(p)) {
        return Files.isDirectory(p) ? null : p;
      }
    }
    return null;
  }
}
