package dev.tfkeras.distribute;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The {@code tfkeras-cluster} command: runs a training program as a cluster of processes on this
 * machine, one JVM per task on free loopback ports, each with its {@code TF_CONFIG}, the same
 * class path and the same arguments; waits for the chief and the workers, then ends the parameter
 * servers. The program is the one that runs on a real cluster (see the README), for example:
 *
 * <pre>
 * java -cp $CP dev.tfkeras.distribute.ClusterLauncher --ps 1 --workers 2 \
 *     dev.tfkeras.demo.DistributedMnist --steps 200
 * </pre>
 *
 * <p>With {@code --ps 0} the cluster has workers only, for {@link MultiWorkerMirroredStrategy}.
 */
@Command(
    name = "tfkeras-cluster",
    mixinStandardHelpOptions = true,
    version = "tfkeras 0.1.0",
    description =
        "Runs MAIN_CLASS as a cluster of parameter servers (none with --ps 0) and workers on this"
            + " machine (free loopback ports, one JVM per task, TF_CONFIG set for each), waits for the"
            + " workers, then ends the parameter servers. Exit code 0 if every worker succeeded.")
public final class ClusterLauncher implements Callable<Integer> {

  @Option(
      names = "--ps",
      defaultValue = "1",
      description = "Parameter servers; 0 for workers only, as MultiWorkerMirroredStrategy trains (default: ${DEFAULT-VALUE}).")
  int ps;

  @Option(names = "--workers", defaultValue = "2", description = "Workers; worker 0 is the chief (default: ${DEFAULT-VALUE}).")
  int workers;

  @Option(
      names = "--logs",
      defaultValue = "cluster-logs",
      description = "Directory of the tasks' output, one <type>-<index>.log each (default: ${DEFAULT-VALUE}).")
  Path logs;

  @Option(
      names = "--time-limit",
      defaultValue = "60",
      description = "Minutes after which every process is ended (default: ${DEFAULT-VALUE}).")
  long timeLimitMinutes;

  @Option(names = "--java-option", description = "An option for every task's java command, e.g. --java-option=-Xmx2g.")
  List<String> javaOptions = new ArrayList<>();

  @Parameters(index = "0", paramLabel = "MAIN_CLASS", description = "The training program's main class.")
  String mainClass;

  @Parameters(index = "1..*", paramLabel = "ARGS", description = "Its arguments, the same for every task.")
  List<String> args = new ArrayList<>();

  private final PrintStream out;

  ClusterLauncher(PrintStream out) {
    this.out = out;
  }

  /** Runs the command; exits with its code. */
  public static void main(String[] args) {
    // options after MAIN_CLASS are the program's own
    System.exit(new CommandLine(new ClusterLauncher(System.out)).setStopAtPositional(true).execute(args));
  }

  @Override
  public Integer call() throws IOException {
    Duration limit = Duration.ofMinutes(timeLimitMinutes);
    try (LocalCluster cluster = LocalCluster.onFreePorts(ps, workers)) {
      cluster.javaOptions(javaOptions.toArray(String[]::new));
      cluster.start(mainClass, args, logs, limit);
      for (TaskSpec task : cluster.cluster().tasks()) {
        out.println(task + " on " + cluster.cluster().address(task) + ", output in " + cluster.log(task));
      }
      Map<TaskSpec, Integer> codes = cluster.awaitWorkers(limit);
      List<String> failed = new ArrayList<>();
      codes.forEach(
          (task, code) -> {
            if (code != 0) {
              failed.add(task + " (exit code " + code + (code == -1 ? ", time limit" : "") + ", see " + cluster.log(task) + ")");
            }
          });
      Path chiefLog = cluster.log(new TaskSpec("worker", 0));
      if (Files.exists(chiefLog)) {
        out.println("--- chief (worker:0) output, last lines:");
        List<String> lines = Files.readAllLines(chiefLog);
        lines.subList(Math.max(0, lines.size() - 10), lines.size()).forEach(out::println);
      }
      if (!failed.isEmpty()) {
        out.println("Failed: " + String.join(", ", failed));
        return 1;
      }
      out.println("All " + workers + " workers finished" + (ps > 0 ? "; parameter servers ended." : "."));
      return 0;
    }
  }
}
