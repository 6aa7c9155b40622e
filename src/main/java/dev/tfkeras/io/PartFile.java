package dev.tfkeras.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * A temporary {@code <target>.<random>.part} file beside {@code target} that becomes {@code
 * target} atomically on {@link #commit()}, so a crash never leaves a half-written file under the
 * target's name.
 *
 * <p>It is created with the user's umask (not the owner-only permissions of {@code
 * Files.createTempFile}) and locked while written; {@link #create} first deletes the {@code .part}
 * files of {@code target} that no live writer holds, so files left by a killed process do not pile
 * up.
 */
public final class PartFile implements AutoCloseable {

  private static final Logger LOG = LogManager.getLogger(PartFile.class);
  // Part files being written in this JVM: never opened by the clean-up (closing a channel would
  // release this JVM's lock on them).
  private static final Set<Path> ACTIVE = ConcurrentHashMap.newKeySet();

  private final Path target;
  private final Path path;
  private final FileChannel channel;
  private final FileLock lock;
  private boolean committed;

  private PartFile(Path target, Path path, FileChannel channel, FileLock lock) {
    this.target = target;
    this.path = path;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Removes stale {@code .part} files of {@code target}, then creates and locks a new one (and
   * the target's directory if needed).
   *
   * @throws IOException naming the path, the cause and what to do if it cannot be created
   */
  public static PartFile create(Path target) throws IOException {
    Path absolute = target.toAbsolutePath();
    Path directory = absolute.getParent();
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw FileErrors.explain(e, "create the directory", directory);
    }
    removeStale(absolute);
    Path path = directory.resolve(absolute.getFileName() + "." + UUID.randomUUID() + ".part");
    FileChannel channel;
    try {
      channel =
          FileChannel.open(
              path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      throw FileErrors.explain(e, "write", absolute);
    }
    ACTIVE.add(path);
    try {
      return new PartFile(absolute, path, channel, channel.lock());
    } catch (IOException | RuntimeException e) {
      ACTIVE.remove(path);
      channel.close();
      Files.deleteIfExists(path);
      throw e;
    }
  }

  /** The temporary file's path. */
  public Path path() {
    return path;
  }

  /**
   * A stream writing to the file; closing it does not close the file. Its IOExceptions are the
   * JDK's: pass them through {@link FileErrors#explain} naming the target.
   */
  public OutputStream output() {
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] bytes, int offset, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
      }
    };
  }

  /** Forces the content to disk, then moves the file over {@code target} atomically. */
  public void commit() throws IOException {
    try {
      channel.force(true);
    } catch (IOException e) {
      throw FileErrors.explain(e, "write", target);
    }
    try {
      Files.move(path, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(path, target, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw FileErrors.explain(e, "replace", target);
    }
    committed = true;
    syncDirectory(target.getParent());
  }

  /** Releases the file; deletes it unless committed. */
  @Override
  public void close() throws IOException {
    try {
      if (lock.isValid()) {
        lock.release();
      }
      channel.close();
    } finally {
      ACTIVE.remove(path);
      if (!committed) {
        Files.deleteIfExists(path);
      }
    }
  }

  /**
   * Deletes the {@code .part} files of {@code target} that no writer holds: those a killed or
   * failed write left behind. Files it cannot delete are logged and left.
   */
  public static void removeStale(Path target) {
    Path absolute = target.toAbsolutePath();
    Path directory = absolute.getParent();
    String glob = escapeGlob(absolute.getFileName().toString()) + "*.part";
    try (DirectoryStream<Path> parts = Files.newDirectoryStream(directory, glob)) {
      for (Path part : parts) {
        if (!ACTIVE.contains(part) && Files.isRegularFile(part, LinkOption.NOFOLLOW_LINKS)) {
          removeIfUnlocked(part);
        }
      }
    } catch (IOException e) {
      LOG.debug("Cannot list {} for stale .part files: {}", directory, e.getMessage());
    }
  }

  private static void removeIfUnlocked(Path part) {
    try (FileChannel channel = FileChannel.open(part, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        return; // held by this JVM
      }
      if (lock == null) {
        return; // held by another live process
      }
      Files.deleteIfExists(part);
      LOG.info("Removed {}, left by an interrupted write", part);
    } catch (IOException e) {
      LOG.warn("Cannot remove {}, left by an interrupted write: {}", part, FileErrors.reason(e, part));
    }
  }

  /** Flushes a directory's entries (a rename) to disk, where the platform allows it. */
  public static void syncDirectory(Path directory) {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Not possible on every platform (e.g. Windows); the rename itself is still atomic.
    }
  }

  private static String escapeGlob(String name) {
    return name.replaceAll("([\\\\*?\\[\\]{}])", "\\\\$1");
  }
}
