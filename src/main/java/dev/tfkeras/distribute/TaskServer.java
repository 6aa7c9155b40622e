package dev.tfkeras.distribute;

import java.util.List;
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
import org.tensorflow.types.TInt64;

/**
 * The TensorFlow gRPC server of one task of a cluster, as Keras's {@code tf.distribute.Server}: a
 * parameter server process starts one and {@link #join()}s it; a worker's strategy starts its own.
 *
 * <p>TensorFlow cannot stop a server ("Clean shutdown is not currently implemented"): it serves
 * until its process exits, so parameter servers end by exiting: {@link #joinUntilTrainingEnds()}
 * returns once every worker has closed its strategy.
 */
public final class TaskServer {

  private final ClusterSpec cluster;
  private final TaskSpec task;
  private final Server server;

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
   * On a parameter server: serves until every worker (and the chief) has said through {@link
   * ParameterServerStrategy#close()} that its training ended, then returns, so that the process can
   * exit (TensorFlow's server keeps serving until then). A worker that dies never says so: its
   * cluster's ps then serves until it is ended. Returns a second after the last worker's word, so
   * that the reply to it still reaches that worker.
   *
   * @throws IllegalStateException if this task is not a ps
   */
  public void joinUntilTrainingEnds() {
    if (!task.type().equals("ps")) {
      throw new IllegalStateException(
          "joinUntilTrainingEnds waits on a parameter server, received task " + task
              + ": a worker ends when its program returns.");
    }
    int replicas = cluster.numTasks("chief") + cluster.numTasks("worker");
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Operand<?> token = tf.io.queueDequeue(doneQueue(tf, task.index()), List.of(TInt64.class)).components().get(0);
      ConfigProto config = ConfigProto.newBuilder().addDeviceFilters(task.device()).build();
      try (Session session = TensorFlowInternals.openSession(graph, target(), config)) {
        Set<Long> ended = new TreeSet<>(); // replica indices: a token is counted once
        while (ended.size() < replicas) {
          try (Result result = session.runner().fetch(token).run()) {
            ended.add(((TInt64) result.get(0)).getObject());
          }
        }
      }
    }
    try {
      // the last worker's enqueue is answered after the dequeue: let that reply reach it first
      Thread.sleep(CLOSE_REPLY_GRACE_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

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
