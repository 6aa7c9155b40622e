package dev.tfkeras.distribute;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reading what the tasks of a {@link LocalCluster} running {@link ClusterTrainingProgram} logged. */
final class ClusterLogs {

  private ClusterLogs() {}

  /** The per-step losses a task printed ({@code step N loss L}); none if it wrote no log. */
  static List<Double> losses(Path log) throws IOException {
    if (!Files.exists(log)) {
      return List.of();
    }
    return Files.readAllLines(log).stream()
        .filter(l -> l.startsWith("step "))
        .map(l -> Double.parseDouble(l.substring(l.indexOf(" loss ") + 6)))
        .toList();
  }

  /** Every log in {@code logDir}, each under its file name, for a failure message. */
  static String logs(Path logDir) {
    StringBuilder text = new StringBuilder();
    try (var files = Files.list(logDir)) {
      for (Path log : files.sorted().toList()) {
        text.append("== ").append(log.getFileName()).append('\n').append(Files.readString(log)).append('\n');
      }
    } catch (IOException e) {
      text.append(e);
    }
    return text.toString();
  }
}
