package dev.tfkeras.distribute;

import java.util.Objects;
import org.tensorflow.Server;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.ServerDef;

/**
 * The TensorFlow gRPC server of one task of a cluster, as Keras's {@code tf.distribute.Server}: a
 * parameter server process starts one and {@link #join()}s it; a worker's strategy starts its own.
 *
 * <p>TensorFlow cannot stop a server ("Clean shutdown is not currently implemented"): it serves
 * until its process exits, so parameter servers end by exiting (the launcher ends them when the
 * chief has finished).
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
}
