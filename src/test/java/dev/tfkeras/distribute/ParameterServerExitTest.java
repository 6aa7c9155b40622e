package dev.tfkeras.distribute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A ps in {@link TaskServer#joinUntilTrainingEnds()} exits by itself when training ends badly, so
 * that a cluster can be restarted on the same ports: after a worker JVM is killed mid-training it
 * exits nonzero within the operation timeout plus a margin, naming the worker; a worker that never
 * starts makes it exit after the startup timeout; a worker that only pauses longer than the timeout
 * keeps it serving until training ends normally (status 0); a hung worker makes the chief fail,
 * and the chief's exit ends the ps; after the chief crashes every task exits by itself and the
 * cluster restarts on the same ports from the chief's BackupAndRestore backup.
 */
class ParameterServerExitTest {

  private static final TaskSpec PS = new TaskSpec("ps", 0);
  private static final TaskSpec CHIEF = new TaskSpec("worker", 0);
  private static final TaskSpec WORKER = new TaskSpec("worker", 1);
  /** The status of ClusterTrainingProgram's ps once it gave up on a worker. */
  private static final int LOST = 3;

  @TempDir Path dir;

  @Test
  @Timeout(120) // 90 s at most by its own waits
  void aKilledWorkerMakesThePsExitNamingIt() throws Exception {
    long timeoutMillis = 4_000;
    for (int attempt = 1; ; attempt++) {
      Path logs = dir.resolve("logs-" + attempt);
      try (LocalCluster cluster = newCluster()) {
        cluster.start(ClusterTrainingProgram.class.getName(), args(true, 100_000, timeoutMillis), logs, Duration.ofSeconds(100));
        if (!awaitSteps(cluster, WORKER, 5, logs)) {
          assertTrue(attempt < 3, "three clusters in a row lost a port to another process");
          continue;
        }
        cluster.kill(WORKER);
        long killed = System.nanoTime();
        Process ps = cluster.process(PS);
        long margin = 10_000;
        assertTrue(ps.waitFor(timeoutMillis + margin, TimeUnit.MILLISECONDS), () -> "the ps still serves\n" + ClusterLogs.logs(logs));
        long exitedAfter = (System.nanoTime() - killed) / 1_000_000;
        assertEquals(LOST, ps.exitValue(), () -> ClusterLogs.logs(logs));
        String log = Files.readString(cluster.log(PS));
        System.out.println("killed worker: the ps exited " + exitedAfter + " ms later with status " + ps.exitValue() + ": " + log.strip());
        String address = cluster.cluster().address(WORKER);
        assertTrue(log.contains("Parameter server ps:0 stops serving, training ended badly: task worker:1 (" + address + ") has not answered for"), log);
        assertTrue(log.contains("longer than the operation timeout of 4000 ms, and had not closed its strategy"), log);
        assertFalse(log.contains("task worker:0 ("), () -> "the chief was not lost: " + log);
        assertTrue(exitedAfter >= timeoutMillis, "the ps waited the operation timeout: " + exitedAfter + " ms");
        return;
      }
    }
  }

  @Test
  @Timeout(120)
  void aHungWorkerMakesTheChiefFailAndTheChiefsExitEndsThePs() throws Exception {
    long timeoutMillis = 4_000;
    for (int attempt = 1; ; attempt++) {
      Path logs = dir.resolve("logs-" + attempt);
      try (LocalCluster cluster = newCluster()) {
        cluster.start(ClusterTrainingProgram.class.getName(), args(true, 100_000, timeoutMillis), logs, Duration.ofSeconds(100));
        if (!awaitSteps(cluster, WORKER, 5, logs)) {
          assertTrue(attempt < 3, "three clusters in a row lost a port to another process");
          continue;
        }
        // a stopped process still accepts connections (the kernel does): the ps cannot tell it hangs
        Process stop = new ProcessBuilder("kill", "-STOP", Long.toString(cluster.process(WORKER).pid())).start();
        assertEquals(0, stop.waitFor());
        long stopped = System.nanoTime();
        Process chief = cluster.process(CHIEF);
        assertTrue(chief.waitFor(timeoutMillis + 15_000, TimeUnit.MILLISECONDS), () -> ClusterLogs.logs(logs));
        assertEquals(LOST, chief.exitValue(), () -> ClusterLogs.logs(logs));
        Process ps = cluster.process(PS);
        assertTrue(ps.waitFor(timeoutMillis + 10_000, TimeUnit.MILLISECONDS), () -> "the ps still serves\n" + ClusterLogs.logs(logs));
        long exitedAfter = (System.nanoTime() - stopped) / 1_000_000;
        assertEquals(LOST, ps.exitValue(), () -> ClusterLogs.logs(logs));
        String log = Files.readString(cluster.log(PS));
        System.out.println("hung worker: the ps exited " + exitedAfter + " ms after it stopped: " + log.strip());
        assertTrue(log.contains("task worker:0 (" + cluster.cluster().address(CHIEF) + ") has not answered for"), log);
        assertFalse(log.contains("task worker:1 ("), () -> "the hung worker still answered: " + log);
        return;
      }
    }
  }

  @Test
  @Timeout(120)
  void aWorkerThatNeverStartsMakesThePsExitAfterTheStartupTimeout() throws Exception {
    long startupMillis = 10_000;
    for (int attempt = 1; ; attempt++) {
      Path logs = dir.resolve("logs-" + attempt);
      try (LocalCluster cluster = newCluster("-D" + ClusterTrainingProgram.STARTUP_TIMEOUT_PROPERTY + "=" + startupMillis)) {
        // the chief waits up to 60 s for worker 1's gradients; the ps gives up on worker 1 first
        cluster.start(ClusterTrainingProgram.class.getName(), args(true, 100, 60_000), logs, Duration.ofSeconds(100));
        cluster.kill(WORKER); // before its JVM is up: it never answers
        long started = System.nanoTime();
        Process ps = cluster.process(PS);
        assertTrue(ps.waitFor(60, TimeUnit.SECONDS), () -> "the ps still serves\n" + ClusterLogs.logs(logs));
        if (ps.exitValue() == LocalCluster.EXIT_PORT_IN_USE) {
          assertTrue(attempt < 3, "three clusters in a row lost a port to another process");
          continue;
        }
        long exitedAfter = (System.nanoTime() - started) / 1_000_000;
        assertEquals(LOST, ps.exitValue(), () -> ClusterLogs.logs(logs));
        String log = Files.readString(cluster.log(PS));
        System.out.println("worker never started: the ps exited " + exitedAfter + " ms after the cluster started: " + log.strip());
        String address = cluster.cluster().address(WORKER);
        assertTrue(
            log.contains("task worker:1 (" + address + ") never answered within the startup timeout of 10000 ms"), log);
        assertFalse(log.contains("task worker:0 ("), () -> "the chief was not lost: " + log);
        assertTrue(exitedAfter >= startupMillis, "the ps waited the startup timeout: " + exitedAfter + " ms");
        return;
      }
    }
  }

  @Test
  @Timeout(120)
  void aWorkerPausingLongerThanTheTimeoutKeepsThePsServingUntilTrainingEnds() throws Exception {
    long timeoutMillis = 3_000;
    long pauseMillis = 3 * timeoutMillis;
    for (int attempt = 1; ; attempt++) {
      Path logs = dir.resolve("logs-" + attempt);
      // asynchronous: the chief does not wait for worker 1, it finishes and closes meanwhile
      try (LocalCluster cluster = newCluster("-D" + ClusterTrainingProgram.PAUSE_PROPERTY + "=1:5:" + pauseMillis)) {
        cluster.start(ClusterTrainingProgram.class.getName(), args(false, 20, timeoutMillis), logs, Duration.ofSeconds(100));
        Map<TaskSpec, Integer> codes = cluster.awaitWorkers(Duration.ofSeconds(90));
        if (codes.containsValue(LocalCluster.EXIT_PORT_IN_USE)) {
          assertTrue(attempt < 3, "three clusters in a row lost a port to another process");
          continue;
        }
        Process ps = cluster.process(PS);
        assertTrue(ps.waitFor(15, TimeUnit.SECONDS), () -> "the ps still serves\n" + ClusterLogs.logs(logs));
        assertEquals(Map.of(CHIEF, 0, WORKER, 0, PS, 0), Map.of(CHIEF, codes.get(CHIEF), WORKER, codes.get(WORKER), PS, ps.exitValue()), () -> ClusterLogs.logs(logs));
        String workerLog = Files.readString(cluster.log(WORKER));
        assertTrue(workerLog.contains("pausing " + pauseMillis + " ms after step 5"), workerLog);
        assertEquals(20, workerLog.lines().filter(l -> l.startsWith("step ")).count(), workerLog);
        assertTrue(Files.readString(cluster.log(PS)).contains("training ended: ps exits"), () -> ClusterLogs.logs(logs));
        return;
      }
    }
  }

  @Test
  @Timeout(150) // 90 s at most on a loaded machine
  void afterTheChiefCrashesEveryTaskExitsByItselfAndTheClusterRestartsOnTheSamePorts() throws Exception {
    int steps = 40;
    long timeoutMillis = 8_000;
    Path backup = dir.resolve("backup");
    String kind = ClusterTrainingProgram.DENSE_MODEL;
    ClusterSpec spec = null;
    for (int attempt = 1; spec == null; attempt++) {
      Path logs = dir.resolve("logs-crashed-" + attempt);
      try (LocalCluster cluster = newCluster()) {
        // the chief crashes after step 25; BackupAndRestore backed up after step 20
        cluster.start(
            ClusterTrainingProgram.class.getName(),
            List.of(dir.resolve("weights").toString(), "true", Integer.toString(steps), Long.toString(timeoutMillis),
                "-1", kind, backup.toString(), "10", "25"),
            logs,
            Duration.ofSeconds(100));
        long crashed = 0;
        for (TaskSpec task : List.of(CHIEF, WORKER, PS)) {
          Process process = cluster.process(task);
          assertTrue(process.waitFor(60, TimeUnit.SECONDS), () -> task + " still runs\n" + ClusterLogs.logs(logs));
          crashed = task.equals(CHIEF) ? System.nanoTime() : crashed;
        }
        System.out.println("crashed chief: worker 1 and the ps exited by themselves within " + (System.nanoTime() - crashed) / 1_000_000 + " ms");
        if (cluster.process(PS).exitValue() == LocalCluster.EXIT_PORT_IN_USE
            || cluster.process(CHIEF).exitValue() == LocalCluster.EXIT_PORT_IN_USE
            || cluster.process(WORKER).exitValue() == LocalCluster.EXIT_PORT_IN_USE) {
          assertTrue(attempt < 3, "three clusters in a row lost a port to another process");
          continue;
        }
        assertEquals(ClusterTrainingProgram.CRASHED, cluster.process(CHIEF).exitValue(), () -> ClusterLogs.logs(logs));
        assertEquals(LOST, cluster.process(WORKER).exitValue(), () -> ClusterLogs.logs(logs));
        assertEquals(LOST, cluster.process(PS).exitValue(), () -> ClusterLogs.logs(logs));
        String log = Files.readString(cluster.log(PS));
        assertTrue(log.contains("task worker:0 (" + cluster.cluster().address(CHIEF) + ") has not answered for"), log);
        spec = cluster.cluster();
      }
    }
    // every task exited by itself: the same ports are free for the restart
    Path logs = dir.resolve("logs-restarted");
    try (LocalCluster cluster = LocalCluster.of(spec).javaOptions("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")) {
      cluster.start(
          ClusterTrainingProgram.class.getName(),
          List.of(dir.resolve("weights").toString(), "true", Integer.toString(steps), Long.toString(timeoutMillis),
              "-1", kind, backup.toString(), "10", "-1"),
          logs,
          Duration.ofSeconds(100));
      Map<TaskSpec, Integer> codes = cluster.awaitWorkers(Duration.ofSeconds(60));
      Process ps = cluster.process(PS);
      assertTrue(ps.waitFor(15, TimeUnit.SECONDS), () -> "the ps still serves\n" + ClusterLogs.logs(logs));
      assertEquals(Map.of(CHIEF, 0, WORKER, 0, PS, 0), Map.of(CHIEF, codes.get(CHIEF), WORKER, codes.get(WORKER), PS, ps.exitValue()), () -> ClusterLogs.logs(logs));
      assertEquals(steps - 20, steps(cluster.log(CHIEF)), () -> "the chief resumed after step 20\n" + ClusterLogs.logs(logs));
      assertEquals(steps - 20, steps(cluster.log(WORKER)), () -> "worker 1 resumed after step 20\n" + ClusterLogs.logs(logs));
    }
  }

  private List<String> args(boolean synchronous, int steps, long timeoutMillis) {
    return List.of(dir.resolve("weights").toString(), Boolean.toString(synchronous), Integer.toString(steps), Long.toString(timeoutMillis));
  }

  private static LocalCluster newCluster(String... properties) {
    String[] options = new String[2 + properties.length];
    options[0] = "-XX:TieredStopAtLevel=1";
    options[1] = "-XX:+UseSerialGC";
    System.arraycopy(properties, 0, options, 2, properties.length);
    return LocalCluster.onFreePorts(1, 2).javaOptions(options);
  }

  /** Waits until {@code task} printed {@code steps} steps; false if a task lost its port meanwhile. */
  private static boolean awaitSteps(LocalCluster cluster, TaskSpec task, int steps, Path logs) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(70).toNanos();
    while (steps(cluster.log(task)) < steps) {
      for (TaskSpec other : cluster.cluster().tasks()) {
        Process process = cluster.process(other);
        if (!process.isAlive() && process.exitValue() == LocalCluster.EXIT_PORT_IN_USE) {
          return false;
        }
        assertTrue(process.isAlive(), () -> other + " ended early:\n" + ClusterLogs.logs(logs));
      }
      assertTrue(System.nanoTime() < deadline, () -> ClusterLogs.logs(logs));
      Thread.sleep(100);
    }
    return true;
  }

  private static long steps(Path log) throws IOException {
    return Files.exists(log) ? Files.readAllLines(log).stream().filter(l -> l.startsWith("step ")).count() : 0;
  }
}
