package dev.tfkeras.distribute;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A cluster of processes on this machine, for trying distributed training and for tests: one JVM
 * per task, on free loopback ports, each started with the same class path and main class and its
 * own {@code TF_CONFIG}. Every process has a hard time limit; {@link #close()} ends those still
 * running (parameter servers serve until their process exits).
 *
 * <pre>{@code
 * try (var cluster = LocalCluster.onFreePorts(1, 2)) {
 *   cluster.start("com.example.Train", List.of(), Path.of("logs"), Duration.ofMinutes(10));
 *   cluster.awaitWorkers(Duration.ofMinutes(10)); // exit codes of the chief and the workers
 * }
 * }</pre>
 */
public final class LocalCluster implements AutoCloseable {

  private final ClusterSpec cluster;
  private final Map<TaskSpec, Process> processes = new LinkedHashMap<>();
  private final Map<TaskSpec, Path> logs = new LinkedHashMap<>();
  private List<String> javaOptions = List.of();

  private LocalCluster(ClusterSpec cluster) {
    this.cluster = cluster;
  }

  /**
   * A cluster of {@code ps} parameter servers and {@code workers} workers on loopback ports that
   * are free now (worker 0 is the chief); {@code ps} 0 makes a cluster of workers only, for {@link
   * MultiWorkerMirroredStrategy}.
   *
   * @throws IllegalArgumentException if {@code ps} is negative or {@code workers} not positive
   */
  public static LocalCluster onFreePorts(int ps, int workers) {
    if (ps < 0 || workers < 1) {
      throw new IllegalArgumentException(
          "A local cluster needs at least one worker and no negative number of ps (0 for"
              + " MultiWorkerMirroredStrategy), received ps=" + ps + ", workers=" + workers + ".");
    }
    int[] ports = freePorts(ps + workers);
    String[] psAddresses = new String[ps];
    String[] workerAddresses = new String[workers];
    for (int i = 0; i < ps; i++) {
      psAddresses[i] = "localhost:" + ports[i];
    }
    for (int i = 0; i < workers; i++) {
      workerAddresses[i] = "localhost:" + ports[ps + i];
    }
    ClusterSpec spec = ps == 0 ? new ClusterSpec() : new ClusterSpec().job("ps", psAddresses);
    return new LocalCluster(spec.job("worker", workerAddresses));
  }

  /** A local cluster on the addresses of {@code cluster} (whose hosts should be this machine). */
  public static LocalCluster of(ClusterSpec cluster) {
    return new LocalCluster(Objects.requireNonNull(cluster, "cluster"));
  }

  /** Ports free on the loopback interface now, all distinct. */
  static int[] freePorts(int count) {
    ServerSocket[] sockets = new ServerSocket[count];
    try {
      int[] ports = new int[count];
      for (int i = 0; i < count; i++) {
        sockets[i] = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        ports[i] = sockets[i].getLocalPort();
      }
      return ports;
    } catch (IOException e) {
      throw new IllegalStateException("Cannot find " + count + " free loopback ports: " + e, e);
    } finally {
      for (ServerSocket socket : sockets) {
        try {
          if (socket != null) {
            socket.close();
          }
        } catch (IOException ignored) {
          // the port was found; closing a listening socket does not fail in practice
        }
      }
    }
  }

  /**
   * Options for every task's {@code java} command, such as {@code -Xmx2g} or, for short runs,
   * {@code -XX:TieredStopAtLevel=1} (faster start); none by default. Returns this.
   */
  public LocalCluster javaOptions(String... options) {
    this.javaOptions = List.of(options);
    return this;
  }

  /** The cluster's spec. */
  public ClusterSpec cluster() {
    return cluster;
  }

  /**
   * Starts one JVM per task: {@code java -cp <this JVM's class path> mainClass args...} with {@code
   * TF_CONFIG} naming its task, output and errors to {@code logDir/<type>-<index>.log}. Each process
   * learns its time limit from a system property and ends itself once it has passed if its main
   * method calls {@link #exitAfterTimeLimit()}; {@link #close()} kills any process left.
   *
   * @throws IllegalStateException if a process cannot be started
   */
  public void start(String mainClass, List<String> args, Path logDir, Duration timeLimit) {
    try {
      Files.createDirectories(logDir);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot create the log directory " + logDir + ": " + e, e);
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    for (TaskSpec task : cluster.tasks()) {
      List<String> command = new ArrayList<>();
      command.add(java);
      command.addAll(javaOptions);
      command.add("-cp");
      command.add(System.getProperty("java.class.path"));
      command.add("-D" + TIME_LIMIT_PROPERTY + "=" + timeLimit.toMillis());
      command.add(mainClass);
      command.addAll(args);
      Path log = logDir.resolve(task.type() + "-" + task.index() + ".log");
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      builder.redirectOutput(log.toFile());
      builder.environment().put(TfConfig.VARIABLE, new TfConfig(cluster, task).toJson());
      builder.environment().putIfAbsent("TF_CPP_MIN_LOG_LEVEL", "2");
      try {
        processes.put(task, builder.start());
        logs.put(task, log);
      } catch (IOException e) {
        close();
        throw new IllegalStateException("Cannot start task " + task + ": " + e, e);
      }
    }
  }

  /**
   * The system property through which {@link #start} tells each process its time limit in
   * milliseconds; {@link #exitAfterTimeLimit()} reads it.
   */
  public static final String TIME_LIMIT_PROPERTY = "tfkeras.cluster.timeLimitMillis";

  /**
   * In a process started by {@link #start}: exits it (status 124, as {@code timeout} does) once its
   * time limit has passed, whatever it is doing. Call it first in the main method.
   */
  public static void exitAfterTimeLimit() {
    String limit = System.getProperty(TIME_LIMIT_PROPERTY);
    if (limit == null) {
      return;
    }
    Thread watchdog =
        new Thread(
            () -> {
              try {
                Thread.sleep(Long.parseLong(limit));
                System.err.println("Time limit of " + limit + " ms reached: exiting.");
                Runtime.getRuntime().halt(124);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "time-limit");
    watchdog.setDaemon(true);
    watchdog.start();
  }

  /** The process of {@code task}, once started. */
  public Process process(TaskSpec task) {
    Process process = processes.get(task);
    if (process == null) {
      throw new IllegalArgumentException("Task " + task + " was not started; tasks: " + processes.keySet() + ".");
    }
    return process;
  }

  /** Where {@code task}'s output goes. */
  public Path log(TaskSpec task) {
    process(task);
    return logs.get(task);
  }

  /** Kills {@code task}'s process at once, as a crash would. */
  public void kill(TaskSpec task) {
    process(task).destroyForcibly();
  }

  /**
   * Waits for the chief and every worker to exit, at most {@code timeout} in all, and returns the
   * exit codes by task (and those of the parameter servers that exited: 0 once every worker closed
   * its strategy). A task still running when the time is up is killed and reported as -1. A
   * parameter server that fails (it could not start, crashed, or gave up on a worker that died)
   * ends the wait: its code is reported, and the workers still running are killed and reported as
   * -1.
   */
  public Map<TaskSpec, Integer> awaitWorkers(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<TaskSpec, Integer> codes = new LinkedHashMap<>();
    try {
      while (true) {
        boolean running = false;
        for (Map.Entry<TaskSpec, Process> entry : processes.entrySet()) {
          TaskSpec task = entry.getKey();
          Process process = entry.getValue();
          if (codes.containsKey(task) || process.isAlive()) {
            running |= !task.type().equals("ps") && process.isAlive();
            continue;
          }
          codes.put(task, process.exitValue());
          if (task.type().equals("ps") && process.exitValue() != 0) {
            running = false;
            deadline = 0; // a lost parameter server ends the run
          }
        }
        if (!running || System.nanoTime() - deadline > 0) {
          break;
        }
        Thread.sleep(50);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new IllegalStateException("Interrupted while waiting for the workers.", e);
    }
    processes.forEach(
        (task, process) -> {
          if (!task.type().equals("ps") && !codes.containsKey(task)) {
            process.destroyForcibly();
            codes.put(task, -1);
          }
        });
    return codes;
  }

  /**
   * The exit status by which a task's program says that its server could not start because its
   * port was taken (between choosing the free ports and binding them): start the cluster again on
   * other ports.
   */
  public static final int EXIT_PORT_IN_USE = 75;

  /** Kills every process still running (a parameter server whose workers are still training). */
  @Override
  public void close() {
    processes.values().forEach(Process::destroyForcibly);
    for (Process process : processes.values()) {
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
