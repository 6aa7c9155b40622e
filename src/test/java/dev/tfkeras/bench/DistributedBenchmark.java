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
 * and 4 worker JVMs on loopback, with one ps ({@code ParameterServerStrategy}) and without
 * ({@code MultiWorkerMirroredStrategy}, gradients all-reduced), against the same program alone in
 * one JVM; prints the chief's median step time after 10 warm-up steps and the overhead per step
 * against one process.
 *
 * <p>Run: {@code java -cp target/test-classes:target/classes:$(cat cp.txt)
 * dev.tfkeras.bench.DistributedBenchmark [steps, default 100] [worker counts, default 1,2,4]
 * [strategies, default ps,mirrored] [mirrored bytes per pack, default 0: one pack]}
 */
public final class DistributedBenchmark {

  public static void main(String[] args) throws Exception {
    int steps = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    String counts = args.length > 1 ? args[1] : "1,2,4";
    List<String> strategies = List.of((args.length > 2 ? args[2] : "ps,mirrored").split(","));
    String bytesPerPack = args.length > 3 ? args[3] : "0";
    Path logs = Files.createTempDirectory("tfkeras-distributed-bench");
    double single = alone(steps, logs);
    System.out.printf(Locale.ROOT, "one process, no cluster: %.2f ms/step%n", single);
    for (String strategy : strategies) {
      for (String count : counts.split(",")) {
        int workers = Integer.parseInt(count.trim());
        boolean mirrored = strategy.equals("mirrored");
        double ms =
            cluster(mirrored ? 0 : 1, workers, steps, logs.resolve(strategy + "-workers-" + workers), bytesPerPack);
        System.out.printf(
            Locale.ROOT,
            "%s%d worker(s), %s: %.2f ms/step (chief's median), %+.2f ms/step against one process, %d"
                + " examples/step%n",
            mirrored ? "" : "1 ps + ", workers,
            mirrored ? "mirrored (all-reduce, bytes per pack " + bytesPerPack + ")" : "synchronous",
            ms, ms - single, 32 * workers);
      }
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

  private static double cluster(int ps, int workers, int steps, Path logs, String bytesPerPack) throws IOException {
    try (LocalCluster cluster = LocalCluster.onFreePorts(ps, workers)) {
      List<String> args = new ArrayList<>(List.of("--steps", Integer.toString(steps)));
      if (ps == 0) {
        args.addAll(List.of("--bytes-per-pack", bytesPerPack));
      }
      cluster.start(DistributedMnist.class.getName(), args, logs, Duration.ofMinutes(15));
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
