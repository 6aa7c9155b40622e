package dev.tfkeras.distribute;

import static dev.tfkeras.distribute.ClusterLogs.losses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.data.Dataset;
import dev.tfkeras.models.FitOptions;
import dev.tfkeras.models.Model;
import dev.tfkeras.runtime.GraphRuntime;
import dev.tfkeras.testing.FreshRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * Two worker JVMs on loopback, no ps: the seed model trained with the gradients all-reduced equals
 * one process on the concatenated batch, the two workers bitwise equal although they drew
 * different initial values (the chief's win), only the chief's saved weights kept; one all-reduce
 * per variable, in a cluster with a "chief" job, trains alike; a killed worker makes the chief fail naming it, a stalled one within the
 * operation timeout; every process exits by itself when training ends.
 */
@ExtendWith(FreshRuntime.class)
class MultiWorkerMirroredStrategyTest {

  private static final int STEPS = 100;
  private static final TaskSpec CHIEF = new TaskSpec("worker", 0);
  private static final TaskSpec WORKER_1 = new TaskSpec("worker", 1);

  @TempDir Path dir;

  @Test
  void refusesAClusterWithParameterServers() {
    ClusterSpec cluster = new ClusterSpec().job("ps", "localhost:2222").job("worker", "localhost:2223");
    var e = assertThrows(IllegalArgumentException.class, () -> new MultiWorkerMirroredStrategy(cluster, CHIEF));
    assertTrue(e.getMessage().contains("Use ParameterServerStrategy"), e.getMessage());
    var ps = assertThrows(IllegalArgumentException.class, () -> new ParameterServerStrategy(new ClusterSpec().job("worker", "localhost:2223"), CHIEF));
    assertTrue(ps.getMessage().contains("use MultiWorkerMirroredStrategy"), ps.getMessage());
  }

  @Test
  void describesTheReplicasAndChecksItsOptions() {
    ClusterSpec cluster = new ClusterSpec().job("chief", "localhost:2222").job("worker", "localhost:2223", "localhost:2224");
    var strategy = new MultiWorkerMirroredStrategy(cluster, new TaskSpec("worker", 1));
    assertEquals(3, strategy.numReplicas());
    assertEquals(2, strategy.replicaIndex(), "the chief is replica 0, worker i replica i+1");
    assertTrue(!strategy.isChief());
    assertTrue(new MultiWorkerMirroredStrategy(cluster, new TaskSpec("chief", 0)).isChief());
    assertThrows(IllegalArgumentException.class, () -> strategy.operationTimeout(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> strategy.bytesPerPack(-1));
    assertEquals(Duration.ofSeconds(5), strategy.operationTimeout(Duration.ofSeconds(5)).operationTimeout());
    var unknown = assertThrows(IllegalArgumentException.class, () -> new MultiWorkerMirroredStrategy(cluster, new TaskSpec("worker", 2)));
    assertTrue(unknown.getMessage().contains("worker:2"), unknown.getMessage());
  }

  @Test
  void distributeDatasetGivesEachReplicaItsPartOfEveryGlobalBatch() {
    ClusterSpec cluster = new ClusterSpec().job("worker", "localhost:2222", "localhost:2223", "localhost:2224");
    float[][] x = new float[18][1];
    for (int i = 0; i < x.length; i++) {
      x[i][0] = i;
    }
    List<Float> together = new ArrayList<>();
    List<List<Float>> parts = new ArrayList<>();
    for (int w = 0; w < 3; w++) {
      var strategy = new MultiWorkerMirroredStrategy(cluster, new TaskSpec("worker", w));
      Dataset part = strategy.distributeDataset(Dataset.fromTensorSlices(x).batch(6));
      assertEquals(3, part.cardinality(), "every worker steps through every global batch");
      List<Float> values = new ArrayList<>();
      for (var batch : part) {
        try (batch) {
          assertEquals(2, batch.size());
          float[] v = new float[2];
          batch.features(TFloat32.class).copyTo(DataBuffers.of(v, false, false));
          values.add(v[0]);
          values.add(v[1]);
        }
      }
      parts.add(values);
    }
    // global batches [0..5], [6..11], [12..17]: worker w takes rows 2w and 2w + 1 of each
    assertEquals(List.of(0f, 1f, 6f, 7f, 12f, 13f), parts.get(0));
    assertEquals(List.of(2f, 3f, 8f, 9f, 14f, 15f), parts.get(1));
    assertEquals(List.of(4f, 5f, 10f, 11f, 16f, 17f), parts.get(2));
    var unbatched = assertThrows(IllegalStateException.class,
        () -> new MultiWorkerMirroredStrategy(cluster, new TaskSpec("worker", 0)).distributeDataset(Dataset.fromTensorSlices(x)));
    assertTrue(unbatched.getMessage().contains("not batched"), unbatched.getMessage());
  }

  @Test
  @Timeout(180)
  void twoWorkersTrainAsOneProcessOnTheConcatenatedBatchAndStayBitwiseEqual() throws IOException {
    // the seed model; the chief trains with fit, worker 1 with a custom loop through strategy.run;
    // each task draws its own initial values: worker 1 must start from the chief's
    String kind = ClusterTrainingProgram.SEED_MODEL;
    Map<TaskSpec, Integer> codes = runCluster(false, List.of(), STEPS, 30_000, "1", kind);
    assertEquals(Map.of(CHIEF, 0, WORKER_1, 0), codes, this::logs);
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
        assertEquals(chief.get(w)[i], other.get(w)[i], 0f, "the workers stay bitwise equal");
      }
    }
    System.out.println("seed model, mirrored, 2 workers, " + STEPS + " steps: max |distributed - single| = " + maxDiff);
    assertTrue(maxDiff < 1e-5, "max difference " + maxDiff);
    assertEquals(STEPS, losses(dir.resolve("logs/worker-0.log")).size(), "the chief's fit ran every step");
    assertEquals(STEPS, losses(dir.resolve("logs/worker-1.log")).size(), "worker 1's custom loop ran every step");
    // both tasks ran saveWeights on the same path: only the chief's file is kept
    assertTrue(Files.exists(dir.resolve("weights.saved/weights.npz")), "the chief saved the weights");
    try (var files = Files.list(dir)) {
      assertEquals(
          List.of(), files.filter(f -> f.getFileName().toString().startsWith("workertemp_")).toList(),
          "worker 1's temporary save is deleted");
    }
  }

  @Test
  @Timeout(120)
  void aChiefJobAndOneAllReducePerVariableTrainAlike() throws IOException {
    // a "chief" job and one worker, both with fit; bytesPerPack 1: each of the dense model's 4
    // gradients is its own all-reduce, chained
    int steps = 30;
    String kind = ClusterTrainingProgram.DENSE_MODEL;
    TaskSpec chiefTask = new TaskSpec("chief", 0);
    Map<TaskSpec, Integer> codes =
        runCluster(true, List.of("-D" + ClusterTrainingProgram.BYTES_PER_PACK_PROPERTY + "=1"), steps, 30_000, "-1", kind);
    assertEquals(Map.of(chiefTask, 0, CHIEF, 0), codes, this::logs);
    List<float[]> chief = ClusterTrainingProgram.read(dir.resolve("weights.chief-0"));
    List<float[]> other = ClusterTrainingProgram.read(dir.resolve("weights.worker-0"));
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
        assertEquals(chief.get(w)[i], other.get(w)[i], 0f, "the workers stay bitwise equal");
      }
    }
    System.out.println("dense model, mirrored, one all-reduce per variable, " + steps + " steps: max |distributed - single| = " + maxDiff);
    assertTrue(maxDiff < 1e-5, "max difference " + maxDiff);
  }

  @Test
  @Timeout(120)
  void aKilledWorkerMakesTheChiefFailNamingIt() throws Exception {
    for (int attempt = 1; !killWorkerOne(attempt); attempt++) {
      assertTrue(attempt < 3, "three clusters in a row lost a port to another process");
    }
  }

  @Test
  @Timeout(120)
  void aStalledWorkerMakesTheChiefFailWithinTheOperationTimeout() throws Exception {
    for (int attempt = 1; !stallWorkerOne(attempt); attempt++) {
      assertTrue(attempt < 3, "three clusters in a row lost a port to another process");
    }
  }

  /** Worker 1 stopped (SIGSTOP), not dead: its host still accepts connections, the step times out. */
  private boolean stallWorkerOne(int attempt) throws Exception {
    long timeoutMillis = 4_000;
    Path logs = dir.resolve("logs-stalled-" + attempt);
    try (LocalCluster cluster = newCluster(false)) {
      cluster.start(
          ClusterTrainingProgram.class.getName(),
          List.of(dir.resolve("weights").toString(), "true", "100000", Long.toString(timeoutMillis)),
          logs,
          Duration.ofSeconds(100));
      if (!awaitSteps(cluster, logs, 5)) {
        return false;
      }
      Process victim = cluster.process(WORKER_1);
      assertEquals(0, new ProcessBuilder("kill", "-STOP", Long.toString(victim.pid())).start().waitFor());
      long stalled = System.nanoTime();
      Process chief = cluster.process(CHIEF);
      assertTrue(chief.waitFor(timeoutMillis + 15_000, TimeUnit.MILLISECONDS), () -> ClusterLogs.logs(logs));
      long failedAfter = (System.nanoTime() - stalled) / 1_000_000;
      assertEquals(3, chief.exitValue(), () -> ClusterLogs.logs(logs));
      String error = Files.readString(dir.resolve("weights.worker-0.error"));
      System.out.println("mirrored, stalled worker: the chief failed " + failedAfter + " ms later: " + error);
      assertTrue(error.contains("operation timeout of 4000 ms"), error);
      assertTrue(failedAfter >= timeoutMillis - 1_000, "failed after " + failedAfter + " ms, before the timeout");
      return true; // closing the cluster kills the stopped worker
    }
  }

  /** Waits until worker 1 logged {@code steps} steps; false if a task lost its port meanwhile. */
  private static boolean awaitSteps(LocalCluster cluster, Path logs, int steps) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(80).toNanos();
    while (losses(cluster.log(WORKER_1)).size() < steps) {
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
    return true;
  }

  /** False if a task could not bind its port (another process took it meanwhile). */
  private boolean killWorkerOne(int attempt) throws Exception {
    long timeoutMillis = 4_000;
    Path logs = dir.resolve("logs-" + attempt);
    try (LocalCluster cluster = newCluster(false)) {
      cluster.start(
          ClusterTrainingProgram.class.getName(),
          List.of(dir.resolve("weights").toString(), "true", "100000", Long.toString(timeoutMillis)),
          logs,
          Duration.ofSeconds(100));
      if (!awaitSteps(cluster, logs, 5)) {
        return false;
      }
      cluster.kill(WORKER_1);
      long killed = System.nanoTime();
      Process chief = cluster.process(CHIEF);
      assertTrue(chief.waitFor(timeoutMillis + 15_000, TimeUnit.MILLISECONDS), () -> ClusterLogs.logs(logs));
      long failedAfter = (System.nanoTime() - killed) / 1_000_000;
      assertEquals(3, chief.exitValue(), () -> ClusterLogs.logs(logs));
      String error = Files.readString(dir.resolve("weights.worker-0.error"));
      System.out.println("mirrored, killed worker: the chief failed " + failedAfter + " ms later: " + error);
      assertTrue(error.contains("task worker:1 (" + cluster.cluster().address(WORKER_1) + ")"), error);
      assertTrue(failedAfter < timeoutMillis + 15_000, "failed after " + failedAfter + " ms");
      return true;
    }
  }

  /**
   * Two workers, or a chief and a worker, each task with its own random seed (the chief's initial
   * values must win).
   */
  private static LocalCluster newCluster(boolean chiefJob, String... javaOptions) {
    List<String> options =
        new ArrayList<>(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-D" + ClusterTrainingProgram.SEED_PER_TASK_PROPERTY + "=true"));
    options.addAll(List.of(javaOptions));
    LocalCluster cluster;
    if (chiefJob) {
      int[] ports = LocalCluster.freePorts(2);
      cluster = LocalCluster.of(new ClusterSpec().job("chief", "localhost:" + ports[0]).job("worker", "localhost:" + ports[1]));
    } else {
      cluster = LocalCluster.onFreePorts(0, 2);
    }
    return cluster.javaOptions(options.toArray(String[]::new));
  }

  /** Runs a cluster to its end, again on other ports (at most 3 times) if a port was taken meanwhile. */
  private Map<TaskSpec, Integer> runCluster(
      boolean chiefJob, List<String> javaOptions, int steps, long timeoutMillis, String... extra) {
    for (int attempt = 1; ; attempt++) {
      List<String> args = new ArrayList<>(List.of(dir.resolve("weights").toString(), "true", Integer.toString(steps), Long.toString(timeoutMillis)));
      args.addAll(List.of(extra));
      Map<TaskSpec, Integer> codes;
      try (LocalCluster cluster = newCluster(chiefJob, javaOptions.toArray(String[]::new))) {
        cluster.start(ClusterTrainingProgram.class.getName(), args, dir.resolve("logs"), Duration.ofSeconds(150));
        codes = cluster.awaitWorkers(Duration.ofSeconds(150)); // every worker exits by itself
      }
      if (attempt == 3 || !codes.containsValue(LocalCluster.EXIT_PORT_IN_USE)) {
        return codes;
      }
    }
  }

  private String logs() {
    return ClusterLogs.logs(dir.resolve("logs"));
  }
}
