package dev.tfkeras.datasets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Files already in the data directory: the four IDX files (raw or {@code .gz}), else {@code
 * mnist.npz}. Files found here are trusted without checksums (they may be placed by hand, e.g.
 * Fashion-MNIST under the same names) but must parse and have consistent shapes.
 */
final class DataDirectorySource implements MnistSource {

  private final Path directory;

  DataDirectorySource(Path directory) {
    this.directory = directory;
  }

  @Override
  public String description() {
    return "data directory " + directory;
  }

  @Override
  public RawMnist load() throws SourceUnavailableException, IOException {
    if (!Files.isDirectory(directory)) {
      throw new SourceUnavailableException("the directory does not exist");
    }
    Map<MnistFile, Path> idx = new EnumMap<>(MnistFile.class);
    List<String> missing = new ArrayList<>();
    for (MnistFile file : MnistFile.values()) {
      Path raw = directory.resolve(file.fileName());
      Path gzipped = directory.resolve(file.fileName() + ".gz");
      if (Files.isRegularFile(raw)) {
        idx.put(file, raw);
      } else if (Files.isRegularFile(gzipped)) {
        idx.put(file, gzipped);
      } else {
        missing.add(file.fileName() + "[.gz]");
      }
    }
    if (missing.isEmpty()) {
      return RawMnist.readIdx(idx, "IDX files in " + directory);
    }
    Path npz = directory.resolve(MnistFile.NPZ_NAME);
    if (Files.isRegularFile(npz)) {
      return RawMnist.readNpz(npz, npz.toString());
    }
    throw new SourceUnavailableException(
        "no " + MnistFile.NPZ_NAME + " and no complete set of IDX files (missing: "
            + String.join(", ", missing) + ")");
  }
}
