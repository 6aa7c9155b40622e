package dev.tfkeras.distribute;

import static dev.tfkeras.distribute.ClusterLogs.losses;
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

/**
 * A ps and two worker JVMs on loopback: the seed model trained synchronously equals one process on
 * the concatenated batch; a small dense model trained asynchronously converges; a killed worker
 * makes the chief fail naming it; a cluster restarted after its chief crashed resumes from the
 * chief's BackupAndRestore backup and ends as an uninterrupted run. The ps exits by itself when
 * training ends.
 */
@ExtendWith(FreshRuntime.class)
class ParameterServerStrategyTest {

  private static final int STEPS = 100;
  private static final TaskSpec PS = new TaskSpec("ps", 0);
  /** Every task exited with status 0, the ps by itself once training ended. */
  private static final Map<TaskSpec, Integer> ALL_EXITED =
      Map.of(PS, 0, new TaskSpec("worker", 0), 0, new TaskSpec("worker", 1), 0);

  @TempDir Path dir;

  @Test
  @Timeout(240) // 95 s measured on a 2-core machine with a load average of 20; far less when quiet
  void synchronousTrainingEqualsOneProcessOnTheConcatenatedBatch() throws IOException {
    // the seed model; the chief trains with fit, worker 1 with a custom loop through strategy.run
    String kind = ClusterTrainingProgram.SEED_MODEL;
    Map<TaskSpec, Integer> codes = runCluster(true, STEPS, 30_000, "1", kind);
    assertEquals(ALL_EXITED, codes, this::logs);
    List<float[]> chief = ClusterTrainingProgram.read(dir.resolve("weights.worker-0"));
    List<float[]> other = ClusterTrainingProgram.read(dir.resolve("weights.worker-1"));
    GraphRuntime.setRandomSeed(ClusterTrainingProgram.SEED);
    List<float[]> single;
    try (Model model = ClusterTrainingProgram.model(kind)) {
      model.fit(
          ClusterTrainingProgram.data(kind, STEPS * 2 * ClusterTrainingProgram.BATCH).batch(2 * ClusterTrainingProgram.BATCH),
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
    System.out.println("seed model, synchronous, 2 workers, " + STEPS + " steps: max |distributed - single| = " + maxDiff);
    assertTrue(maxDiff < 1e-5, "max difference " + maxDiff);
    assertEquals(STEPS, losses(dir.resolve("logs/worker-1.log")).size(), "worker 1's custom loop ran every step");
  }

  @Test
  @Timeout(120)
  void asynchronousTrainingConverges() throws IOException {
    int steps = 50; // the loss falls fourfold well within 50 steps
    Map<TaskSpec, Integer> codes = runCluster(false, steps, 30_000);
    assertEquals(ALL_EXITED, codes, this::logs);
    List<Double> chiefLosses = losses(dir.resolve("logs/worker-0.log"));
    List<Double> otherLosses = losses(dir.resolve("logs/worker-1.log"));
    assertEquals(steps, chiefLosses.size());
    assertEquals(steps, otherLosses.size());
    // Keras's loss log is the running mean of the epoch: compare the first steps with the end.
    double first = chiefLosses.get(0);
    double last = lastStepLoss(chiefLosses);
    System.out.println("asynchronous, 2 workers: chief loss " + first + " at step 1, " + last + " at step " + steps);
    assertTrue(last < first / 4, "the chief's loss fell from " + first + " to " + last);
    // Worker 1 may start after the chief has already trained the shared variables a while (its own
    // first loss then is already low): it ends below the untrained model's loss / 4 all the same.
    assertTrue(lastStepLoss(otherLosses) < first / 4, "worker 1's loss ends below " + first / 4 + ": " + otherLosses);
  }

  @Test
  @Timeout(120)
  void aKilledWorkerMakesTheChiefFailNamingIt() throws Exception {
    for (int attempt = 1; !killWorkerOne(attempt); attempt++) {
      assertTrue(attempt < 3, "three clusters in a row lost a port to another process");
    }
  }

  @Test
  @Timeout(300)
  void aClusterRestartedAfterACrashResumesFromTheLastBackupAsAnUninterruptedRun() throws Exception {
    int steps = 40;
    Path backup = dir.resolve("backup");
    String kind = ClusterTrainingProgram.DENSE_MODEL;
    // The chief crashes after step 25; BackupAndRestore backed up after step 20.
    for (int attempt = 1; !crashChief(attempt, steps, backup, kind, 25); attempt++) {
      assertTrue(attempt < 3, "three clusters in a row lost a port to another process");
    }
    assertTrue(Files.exists(backup.resolve("training_metadata.json")), "the chief's backup is kept");
    try (var files = Files.list(backup)) {
      assertEquals(
          List.of("checkpoint-1", "training_metadata.json"),
          files.map(f -> f.getFileName().toString()).sorted().toList(),
          "only the chief's backup (steps 10 then 20: checkpoint-0 then checkpoint-1), nothing of worker 1's");
    }
    // The whole cluster restarts, on new ports, with the same backup directory.
    Map<TaskSpec, Integer> codes =
        runCluster(true, steps, 30_000, "-1", kind, backup.toString(), "10", "-1");
    assertEquals(ALL_EXITED, codes, this::logs);
    assertEquals(steps - 20, losses(dir.resolve("logs/worker-0.log")).size(), "the chief resumed after step 20");
    assertEquals(steps - 20, losses(dir.resolve("logs/worker-1.log")).size(), "worker 1 resumed after step 20");
    List<float[]> chief = ClusterTrainingProgram.read(dir.resolve("weights.worker-0"));
    GraphRuntime.setRandomSeed(ClusterTrainingProgram.SEED);
    List<float[]> single;
    try (Model model = ClusterTrainingProgram.model(kind)) {
      model.fit(
          ClusterTrainingProgram.data(kind, steps * 2 * ClusterTrainingProgram.BATCH).batch(2 * ClusterTrainingProgram.BATCH),
          new FitOptions().epochs(1).verbose(0));
      single = ClusterTrainingProgram.weights(model);
    }
    double maxDiff = 0;
    for (int w = 0; w < single.size(); w++) {
      for (int i = 0; i < single.get(w).length; i++) {
        maxDiff = Math.max(maxDiff, Math.abs(single.get(w)[i] - chief.get(w)[i]));
      }
    }
    System.out.println("crashed at step 25, resumed from step 20: max |resumed - uninterrupted| = " + maxDiff);
    assertTrue(maxDiff < 1e-5, "max difference " + maxDiff);
    // A fit that ends normally deletes the backup; only the chief's saveWeights remains.
    try (var left = Files.exists(backup) ? Files.list(backup) : java.util.stream.Stream.<Path>empty()) {
      assertEquals(List.of(), left.toList(), "the backup is deleted when training ends");
    }
    assertTrue(Files.exists(dir.resolve("weights.saved/weights.npz")), "the chief saved the weights");
    try (var files = Files.list(dir)) {
      assertEquals(
          List.of(), files.filter(f -> f.getFileName().toString().startsWith("workertemp_")).toList(),
          "worker 1's temporary save is deleted");
    }
  }

  /** Runs a cluster whose chief crashes after {@code crashAfter} steps; false if a port was taken. */
  private boolean crashChief(int attempt, int steps, Path backup, String kind, int crashAfter) throws Exception {
    Path logs = dir.resolve("logs-crashed-" + attempt);
    try (LocalCluster cluster = newCluster()) {
      cluster.start(
          ClusterTrainingProgram.class.getName(),
          List.of(dir.resolve("weights").toString(), "true", Integer.toString(steps), "30000", "-1", kind,
              backup.toString(), "10", Integer.toString(crashAfter)),
          logs,
          Duration.ofSeconds(150));
      Process chief = cluster.process(new TaskSpec("worker", 0));
      assertTrue(chief.waitFor(140, java.util.concurrent.TimeUnit.SECONDS), () -> ClusterLogs.logs(logs));
      if (chief.exitValue() == LocalCluster.EXIT_PORT_IN_USE) {
        return false;
      }
      assertEquals(ClusterTrainingProgram.CRASHED, chief.exitValue(), () -> ClusterLogs.logs(logs));
      assertEquals(crashAfter, losses(cluster.log(new TaskSpec("worker", 0))).size(), () -> ClusterLogs.logs(logs));
      return true; // closing the cluster kills worker 1 and the ps: the whole cluster is down
    }
  }

  /** False if a task could not bind its port (another process took it meanwhile). */
  private boolean killWorkerOne(int attempt) throws Exception {
    long timeoutMillis = 4_000;
    Path logs = dir.resolve("logs-" + attempt);
    try (LocalCluster cluster = newCluster()) {
      cluster.start(
          ClusterTrainingProgram.class.getName(),
          List.of(dir.resolve("weights").toString(), "true", "100000", Long.toString(timeoutMillis)),
          logs,
          Duration.ofSeconds(100));
      TaskSpec victim = new TaskSpec("worker", 1);
      long deadline = System.nanoTime() + Duration.ofSeconds(80).toNanos();
      while (losses(cluster.log(victim)).size() < 5) {
        for (TaskSpec task : cluster.cluster().tasks()) {
          Process process = cluster.process(task);
          if (!process.isAlive() && process.exitValue() == LocalCluster.EXIT_PORT_IN_USE) {
            return false;
          }
          assertTrue(process.isAlive(), () -> task + " ended early:\n" + ClusterLogs.logs(logs));
        }
        assertTrue(System.nanoTime() < deadline, () -> ClusterLogs.logs(logs));
        Thread.sleep(100);
      }
      cluster.kill(victim);
      long killed = System.nanoTime();
      Process chief = cluster.process(new TaskSpec("worker", 0));
      assertTrue(chief.waitFor(timeoutMillis + 15_000, java.util.concurrent.TimeUnit.MILLISECONDS), () -> ClusterLogs.logs(logs));
      long failedAfter = (System.nanoTime() - killed) / 1_000_000;
      assertEquals(3, chief.exitValue(), () -> ClusterLogs.logs(logs));
      String error = Files.readString(dir.resolve("weights.worker-0.error"));
      System.out.println("killed worker: the chief failed " + failedAfter + " ms later: " + error);
      assertTrue(error.contains("task worker:1 (" + cluster.cluster().address(victim) + ")"), error);
      assertTrue(error.contains("operation timeout of 4000 ms"), error);
      return true;
    }
  }

  /** The last step's own loss, from the epoch's running means (Keras's loss log). */
  private static double lastStepLoss(List<Double> runningMeans) {
    int n = runningMeans.size();
    return n * runningMeans.get(n - 1) - (n - 1) * runningMeans.get(n - 2);
  }

  private static LocalCluster newCluster() {
    return LocalCluster.onFreePorts(1, 2).javaOptions("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
  }

  /** Runs a cluster to its end, again on other ports (at most 3 times) if a port was taken meanwhile. */
  private Map<TaskSpec, Integer> runCluster(boolean synchronous, int steps, long timeoutMillis, String... extra) {
    for (int attempt = 1; ; attempt++) {
      Map<TaskSpec, Integer> codes = runClusterOnce(synchronous, steps, timeoutMillis, extra);
      if (attempt == 3 || !codes.containsValue(LocalCluster.EXIT_PORT_IN_USE)) {
        return codes;
      }
    }
  }

  private Map<TaskSpec, Integer> runClusterOnce(boolean synchronous, int steps, long timeoutMillis, String... extra) {
    try (LocalCluster cluster = newCluster()) {
      cluster.start(
          ClusterTrainingProgram.class.getName(),
          java.util.stream.Stream.concat(
                  java.util.stream.Stream.of(dir.resolve("weights").toString(), Boolean.toString(synchronous),
                      Integer.toString(steps), Long.toString(timeoutMillis)),
                  java.util.stream.Stream.of(extra))
              .toList(),
          dir.resolve("logs"),
          Duration.ofSeconds(200));
      Map<TaskSpec, Integer> codes = new java.util.HashMap<>(cluster.awaitWorkers(Duration.ofSeconds(200)));
      try {
        // the ps exits by itself once both workers closed their strategy
        Process ps = cluster.process(PS);
        codes.put(PS, ps.waitFor(15, java.util.concurrent.TimeUnit.SECONDS) ? ps.exitValue() : -1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      return codes;
    }
  }

  private String logs() {
    return ClusterLogs.logs(dir.resolve("logs"));
  }
}
