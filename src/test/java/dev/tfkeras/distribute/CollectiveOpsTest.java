package dev.tfkeras.distribute;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** TensorFlow's collective all-reduce between two worker JVMs on loopback, on repeated runs. */
class CollectiveOpsTest {

  @TempDir Path dir;

  @Test
  @Timeout(90)
  void twoWorkersSumAVectorWithCollectiveReduceV2OnEveryRun() throws Exception {
    int[] ports = LocalCluster.freePorts(2);
    ClusterSpec spec = new ClusterSpec().job("worker", "localhost:" + ports[0], "localhost:" + ports[1]);
    try (LocalCluster cluster = LocalCluster.of(spec)) {
      cluster.start(CollectiveProbeProgram.class.getName(), List.of(), dir, Duration.ofSeconds(80));
      for (TaskSpec task : spec.tasks()) {
        cluster.process(task).waitFor(80, java.util.concurrent.TimeUnit.SECONDS);
        String log = Files.readString(cluster.log(task));
        System.out.println("== " + task + "\n" + log);
        // worker 0 holds [1, 10], worker 1 [2, 20], times the run's number: both receive the sums
        assertEquals(0, cluster.process(task).exitValue(), log);
        assertEquals(
            List.of("sum 3.0 30.0", "sum 6.0 60.0", "sum 9.0 90.0"),
            log.lines().filter(l -> l.startsWith("sum ")).toList(),
            log);
      }
    }
  }
}
