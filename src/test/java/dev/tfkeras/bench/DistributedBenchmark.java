package dev.tfkeras.bench;

import dev.tfkeras.demo.DistributedMnist;
import dev.tfkeras.distribute.LocalCluster;
import dev.tfkeras.distribute.TaskSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Step time of the seed model ({@link DistributedMnist}, batch 32 per worker, synchronous) with 1, 2
 * and 4 worker JVMs and one ps on loopback, against the same program alone in one JVM; prints the
 * chief's median step time after 10 warm-up steps and the overhead per step against one process.
 *
 * <p>Run: {@code java -cp target/test-classes:target/classes:$(cat cp.txt)
 * dev.tfkeras.bench.DistributedBenchmark [steps, default 100] [worker counts, default 1,2,4]}
 */
public final class DistributedBenchmark {

  public static void main(String[] args) throws Exception {
    int steps = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    String counts = args.length > 1 ? args[1] : "1,2,4";
    Path logs = Files.createTempDirectory("tfkeras-distributed-bench");
    double single = alone(steps, logs);
    System.out.printf(Locale.ROOT, "one process, no cluster: %.2f ms/step%n", single);
    for (String count : counts.split(",")) {
      int workers = Integer.parseInt(count.trim());
      double ms = cluster(workers, steps, logs.resolve("workers-" + workers));
      System.out.printf(
          Locale.ROOT,
          "1 ps + %d worker(s), synchronous: %.2f ms/step (chief's median), %+.2f ms/step against one"
              + " process, %d examples/step%n",
          workers, ms, ms - single, 32 * workers);
    }
  }

  private static double alone(int steps, Path logs) throws IOException, InterruptedException {
    Files.createDirectories(logs);
    Path log = logs.resolve("alone.log");
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"),
        DistributedMnist.class.getName(), "--steps", Integer.toString(steps)));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.redirectOutput(log.toFile());
    builder.environment().remove("TF_CONFIG");
    Process process = builder.start();
    if (!process.waitFor(15, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new IllegalStateException("the single process did not finish; see " + log);
    }
    return medianOf(log);
  }

  private static double cluster(int workers, int steps, Path logs) throws IOException {
    try (LocalCluster cluster = LocalCluster.onFreePorts(1, workers)) {
      cluster.start(DistributedMnist.class.getName(), List.of("--steps", Integer.toString(steps)), logs, Duration.ofMinutes(15));
      Map<TaskSpec, Integer> codes = cluster.awaitWorkers(Duration.ofMinutes(15));
      if (codes.values().stream().anyMatch(code -> code != 0)) {
        throw new IllegalStateException("a task failed: " + codes + "; see " + logs);
      }
      return medianOf(cluster.log(new TaskSpec("worker", 0)));
    }
  }

  /** The "median step X ms" DistributedMnist printed. */
  private static double medianOf(Path log) throws IOException {
    for (String line : Files.readAllLines(log)) {
      int at = line.indexOf("median step ");
      if (at >= 0) {
        return Double.parseDouble(line.substring(at + 12, line.indexOf(" ms", at)));
      }
    }
    throw new IllegalStateException("no step time in " + log);
  }
}
