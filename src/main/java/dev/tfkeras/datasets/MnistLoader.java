package dev.tfkeras.datasets;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/** Tries each MNIST source in order and returns the first that has the data. */
final class MnistLoader {

  private static final Logger LOGGER = LogManager.getLogger(MnistLoader.class);

  private MnistLoader() {}

  static Mnist.Data load(MnistSources sources) throws IOException {
    List<String> failures = new ArrayList<>();
    for (MnistSource source : sources.inOrder()) {
      RawMnist raw;
      try {
        raw = source.load();
      } catch (SourceUnavailableException e) {
        LOGGER.debug("MNIST not available from {}: {}", source.description(), e.getMessage());
        failures.add(source.description() + ": " + e.getMessage());
        continue;
      }
      Mnist.Data data = raw.toData();
      LOGGER.info("Loaded MNIST from {}", raw.origin());
      return data;
    }
    throw new MnistUnavailableException(message(failures, sources));
  }

  private static String message(List<String> failures, MnistSources sources) {
    StringBuilder text = new StringBuilder("MNIST could not be loaded; every source failed:");
    for (int i = 0; i < failures.size(); i++) {
      text.append(System.lineSeparator()).append("  ").append(i + 1).append(". ").append(failures.get(i));
    }
    StringBuilder idxNames = new StringBuilder();
    for (MnistFile file : MnistFile.values()) {
      idxNames.append(idxNames.length() == 0 ? "" : ", ").append(file.fileName());
    }
    return text.append(System.lineSeparator())
        .append("To install it by hand, put either ")
        .append(MnistFile.NPZ_NAME)
        .append(" (from ")
        .append(MnistFile.NPZ_URL)
        .append(") or the four IDX files ")
        .append(idxNames)
        .append(" (raw or .gz) into ")
        .append(sources.dataDirectory())
        .append(", or set ")
        .append(Mnist.DATA_DIR_ENV)
        .append(" to a directory that holds them.")
        .toString();
  }
}
