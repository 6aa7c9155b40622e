package dev.tfkeras.distribute;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Server;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.io.FifoQueue;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.ServerDef;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * The TensorFlow gRPC server of one task of a cluster, as Keras's {@code tf.distribute.Server}: a
 * parameter server process starts one and {@link #join()}s it; a worker's strategy starts its own.
 *
 * <p>TensorFlow cannot stop a server ("Clean shutdown is not currently implemented"): it serves
 * until its process exits, so parameter servers end by exiting: {@link #joinUntilTrainingEnds()}
 * returns once every worker has closed its strategy, and throws once a worker crashed or never
 * started, so that the process exits then too.
 *
 * <pre>{@code
 * TaskServer.start(config).operationTimeout(Duration.ofSeconds(60)).joinUntilTrainingEnds();
 * }</pre>
 */
public final class TaskServer {

  private final ClusterSpec cluster;
  private final TaskSpec task;
  private final Server server;
  private Duration operationTimeout = Duration.ofSeconds(60);
  private Duration startupTimeout = Duration.ofMinutes(10);

  private TaskServer(ClusterSpec cluster, TaskSpec task, Server server) {
    this.cluster = cluster;
    this.task = task;
    this.server = server;
  }

  /**
   * Starts {@code task}'s server on the port its address in {@code cluster} names.
   *
   * @param config the default configuration of sessions the server runs
   * @throws IllegalArgumentException if the cluster has no such task
   * @throws IllegalStateException if the server cannot start, typically because another process
   *     has its port
   */
  public static TaskServer start(ClusterSpec cluster, TaskSpec task, ConfigProto config) {
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(task, "task");
    ServerDef definition = cluster.toServerDef(task, Objects.requireNonNull(config, "config"));
    Server server;
    try {
      server = new Server(definition);
      server.start();
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "Cannot start the TensorFlow server of task " + task + " on " + cluster.address(task)
              + " (is the port in use by another process?): " + e.getMessage(), e);
    }
    return new TaskServer(cluster, task, server);
  }

  /** Starts the server of {@code config}'s task with TensorFlow's default session configuration. */
  public static TaskServer start(TfConfig config) {
    return start(config.cluster(), config.task(), ConfigProto.getDefaultInstance());
  }

  /** The session target of this server, {@code grpc://localhost:port}. */
  public String target() {
    String address = cluster.address(task);
    return "grpc://localhost:" + address.substring(address.lastIndexOf(':') + 1);
  }

  /** This server's task. */
  public TaskSpec task() {
    return task;
  }

  /** Blocks while the server serves, that is until the process exits. */
  public void join() {
    server.join();
  }

  /**
   * How long a worker that has answered may stop answering (its process died or its host is
   * unreachable) before {@link #joinUntilTrainingEnds()} gives up on it (default 60 s, as {@link
   * ParameterServerStrategy#operationTimeout(Duration)}); returns this. Give it the workers'
   * operation timeout. A worker that only runs slowly keeps answering and is waited for.
   *
   * @throws IllegalArgumentException if not positive
   */
  public TaskServer operationTimeout(Duration timeout) {
    this.operationTimeout = positive("operationTimeout", timeout);
    return this;
  }

  /**
   * How long {@link #joinUntilTrainingEnds()}, from its call, waits for a worker that has never
   * answered (it did not start, or its host is unreachable) before giving up on it (default 10
   * minutes, generous for programs that load their data before they start their strategy); returns
   * this.
   *
   * @throws IllegalArgumentException if not positive
   */
  public TaskServer startupTimeout(Duration timeout) {
    this.startupTimeout = positive("startupTimeout", timeout);
    return this;
  }

  private static Duration positive(String option, Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException(option + " must be positive, received " + timeout + ".");
    }
    return timeout;
  }

  /** How long a worker that answered may stop answering before the ps gives up on it. */
  public Duration operationTimeout() {
    return operationTimeout;
  }

  /** How long the ps waits for a worker that has never answered. */
  public Duration startupTimeout() {
    return startupTimeout;
  }

  /**
   * On a parameter server: serves until every worker (and the chief) has said through {@link
   * ParameterServerStrategy#close()} that its training ended, then returns, so that the process can
   * exit (TensorFlow's server keeps serving until then). Returns a second after the last worker's
   * word, so that the reply to it still reaches that worker.
   *
   * <p>Meanwhile it checks twice a second that each worker still accepts connections on its
   * address. A worker that answered and then stops answering for longer than {@link
   * #operationTimeout(Duration)} before closing its strategy (it crashed), or that has not answered
   * within {@link #startupTimeout(Duration)} (it never started), ends training badly: this method
   * then throws, and the process should exit with a nonzero status, so that the cluster can be
   * restarted on the same ports without stale variables.
   *
   * @throws IllegalStateException if this task is not a ps
   * @throws TaskUnavailableException naming the lost workers, if a worker crashed or never started
   */
  public void joinUntilTrainingEnds() {
    if (!task.type().equals("ps")) {
      throw new IllegalStateException(
          "joinUntilTrainingEnds waits on a parameter server, received task " + task
              + ": a worker ends when its program returns.");
    }
    Watch watch = new Watch();
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Operand<?> queue = doneQueue(tf, task.index());
      Operand<TInt32> size = tf.io.queueSize(queue);
      Operand<?> token = tf.io.queueDequeue(queue, List.of(TInt64.class)).components().get(0);
      ConfigProto config = ConfigProto.newBuilder().addDeviceFilters(task.device()).build();
      try (Session session = TensorFlowInternals.openSession(graph, target(), config)) {
        while (!watch.allEnded()) {
          long now = watch.probe();
          // after the probes: a worker that said it ended, then exited, is not lost
          long waiting;
          try (Result result = session.runner().fetch(size).run()) {
            waiting = ((TInt32) result.get(0)).getInt();
          }
          for (long i = 0; i < waiting; i++) {
            try (Result result = session.runner().fetch(token).run()) {
              watch.ended(((TInt64) result.get(0)).getObject());
            }
          }
          watch.checkNoneLost(now);
          sleep(PROBE_MILLIS);
        }
      }
    }
    // the last worker's enqueue is answered after the dequeue: let that reply reach it first
    sleep(CLOSE_REPLY_GRACE_MILLIS);
  }

  /** What a ps in {@link #joinUntilTrainingEnds()} knows of the workers: ended, answering, silent. */
  private final class Watch {

    private final List<TaskSpec> replicas = new ArrayList<>(); // ParameterServerStrategy's order
    private final Set<Long> ended = new TreeSet<>(); // replica indices: a token is counted once
    private final Set<TaskSpec> answered = new HashSet<>();
    private final Map<TaskSpec, Long> silentSince = new HashMap<>(); // the first unanswered probe
    private final long started = System.nanoTime();

    Watch() {
      for (String job : List.of("chief", "worker")) {
        for (int i = 0; i < cluster.numTasks(job); i++) {
          replicas.add(new TaskSpec(job, i));
        }
      }
    }

    boolean allEnded() {
      return ended.size() == replicas.size();
    }

    void ended(long replicaIndex) {
      if (replicaIndex >= 0 && replicaIndex < replicas.size()) {
        ended.add(replicaIndex);
      }
    }

    /** Checks which workers still training accept connections; returns the time of the check. */
    long probe() {
      long now = System.nanoTime();
      for (int r = 0; r < replicas.size(); r++) {
        TaskSpec replica = replicas.get(r);
        if (ended.contains((long) r)) {
          continue;
        }
        if (ReplicaSupport.answers(cluster.address(replica), PROBE_MILLIS)) {
          answered.add(replica);
          silentSince.remove(replica);
        } else if (answered.contains(replica)) {
          silentSince.putIfAbsent(replica, now);
        }
      }
      return now;
    }

    /** Throws if a worker still training has been silent too long, or never answered in time. */
    void checkNoneLost(long now) {
      List<TaskSpec> lost = new ArrayList<>();
      List<String> described = new ArrayList<>();
      for (int r = 0; r < replicas.size(); r++) {
        TaskSpec replica = replicas.get(r);
        Long silent = silentSince.get(replica);
        String where = "task " + replica + " (" + cluster.address(replica) + ")";
        if (ended.contains((long) r)) {
          continue;
        } else if (!answered.contains(replica) && now - started > startupTimeout.toNanos()) {
          lost.add(replica);
          described.add(where + " never answered within the startup timeout of " + startupTimeout.toMillis() + " ms");
        } else if (silent != null && now - silent > operationTimeout.toNanos()) {
          lost.add(replica);
          described.add(
              where + " has not answered for " + (now - silent) / 1_000_000 + " ms, longer than the operation"
                  + " timeout of " + operationTimeout.toMillis() + " ms, and had not closed its strategy");
        }
      }
      if (!lost.isEmpty()) {
        throw new TaskUnavailableException(
            "Parameter server " + task + " stops serving, training ended badly: " + String.join("; ", described)
                + ". It may have crashed, never started or be unreachable. Restart the whole cluster (with"
                + " BackupAndRestore training resumes from the last checkpoint), or raise the timeouts with"
                + " operationTimeout(...) and startupTimeout(...).",
            lost,
            null);
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while serving until training ends.", e);
    }
  }

  /** How often a ps in {@link #joinUntilTrainingEnds()} checks that the workers still answer. */
  private static final int PROBE_MILLIS = 500;

  /** How long a ps serves on after the last worker said its training ended. */
  private static final long CLOSE_REPLY_GRACE_MILLIS = 1_000;

  /** The queue on ps {@code index} into which each training task puts a token when it ends. */
  static Operand<?> doneQueue(Ops tf, int index) {
    return tf.withDevice(DeviceSpec.newBuilder().job("ps").task(index).build())
        .io.fifoQueue(
            List.of(TInt64.class),
            FifoQueue.shapes(Shape.scalar()),
            FifoQueue.sharedName("tfkeras_training_done"));
  }
}
