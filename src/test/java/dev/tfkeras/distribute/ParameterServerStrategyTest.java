package dev.tfkeras.distribute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.models.FitOptions;
import dev.tfkeras.models.Model;
import dev.tfkeras.runtime.GraphRuntime;
import dev.tfkeras.testing.FreshRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A ps and two worker JVMs on loopback train the test model; compared with one process. */
@ExtendWith(FreshRuntime.class)
class ParameterServerStrategyTest {

  private static final int STEPS = 100;

  @TempDir Path dir;

  @Test
  @Timeout(120)
  void synchronousTrainingEqualsOneProcessOnTheConcatenatedBatch() throws IOException {
    Map<TaskSpec, Integer> codes = runCluster(true, STEPS, 30_000);
    assertEquals(Map.of(new TaskSpec("worker", 0), 0, new TaskSpec("worker", 1), 0), codes, this::logs);
    List<float[]> chief = ClusterTrainingProgram.read(dir.resolve("weights.worker-0"));
    List<float[]> other = ClusterTrainingProgram.read(dir.resolve("weights.worker-1"));
    GraphRuntime.setRandomSeed(ClusterTrainingProgram.SEED);
    List<float[]> single;
    try (Model model = ClusterTrainingProgram.model()) {
      model.fit(
          ClusterTrainingProgram.data(STEPS * 2 * ClusterTrainingProgram.BATCH).batch(2 * ClusterTrainingProgram.BATCH),
          new FitOptions().epochs(1).verbose(0));
      single = ClusterTrainingProgram.weights(model);
    }
    assertEquals(single.size(), chief.size());
    double maxDiff = 0;
    for (int w = 0; w < single.size(); w++) {
      for (int i = 0; i < single.get(w).length; i++) {
        maxDiff = Math.max(maxDiff, Math.abs(single.get(w)[i] - chief.get(w)[i]));
        assertEquals(chief.get(w)[i], other.get(w)[i], 0f, "both workers read the same variables");
      }
    }
    System.out.println("synchronous, 2 workers, " + STEPS + " steps: max |distributed - single| = " + maxDiff);
    assertTrue(maxDiff < 1e-5, "max difference " + maxDiff);
  }

  private Map<TaskSpec, Integer> runCluster(boolean synchronous, int steps, long timeoutMillis) {
    try (LocalCluster cluster = LocalCluster.onFreePorts(1, 2)) {
      cluster.start(
          ClusterTrainingProgram.class.getName(),
          List.of(dir.resolve("weights").toString(), Boolean.toString(synchronous), Integer.toString(steps),
              Long.toString(timeoutMillis)),
          dir.resolve("logs"),
          Duration.ofSeconds(90));
      return cluster.awaitWorkers(Duration.ofSeconds(90));
    }
  }

  private String logs() {
    StringBuilder text = new StringBuilder();
    try (var files = Files.list(dir.resolve("logs"))) {
      for (Path log : files.sorted().toList()) {
        text.append("== ").append(log.getFileName()).append('\n').append(Files.readString(log)).append('\n');
      }
    } catch (IOException e) {
      text.append(e);
    }
    return text.toString();
  }
}
