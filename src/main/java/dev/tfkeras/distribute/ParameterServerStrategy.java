package dev.tfkeras.distribute;

import dev.tfkeras.function.TfFunction;
import dev.tfkeras.runtime.GraphRuntime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.family.TType;

/**
 * Data-parallel training over processes and hosts on TensorFlow's own gRPC runtime, Keras's {@code
 * tf.distribute.experimental.ParameterServerStrategy} in between-graph form: the variables live on
 * the {@code ps} tasks (placed round-robin), and every worker (the chief included) runs the same
 * program on its own shard of the data.
 *
 * <pre>{@code
 * // on every worker host; the ps hosts run TaskServer.start(TfConfig.fromEnvironment()).join()
 * var strategy = new ParameterServerStrategy(TfConfig.fromEnvironment());
 * Model model;
 * try (var scope = strategy.scope()) {
 *   model = new Sequential(...);
 *   model.compile(...);
 * }
 * model.fit(data.shard(strategy.numReplicas(), strategy.replicaIndex()).batch(32), ...);
 * }</pre>
 *
 * <p>Synchronous by default: each step averages the gradients of all workers and applies the
 * average once, so {@code n} workers on batches of {@code b} train as one process on the
 * concatenated batch of {@code n*b}. {@link #synchronous(boolean) synchronous(false)} lets each
 * worker apply its own gradients as soon as they are computed (asynchronous training).
 *
 * <p>A step that waits longer than {@link #operationTimeout(Duration)} (a worker died) fails with
 * a {@link TaskUnavailableException} naming the tasks that no longer answer, never a silent hang.
 *
 * <p>Lifecycle: construct (starts this worker's TensorFlow server) → set options → {@link #scope()}
 * builds the model (the options are then fixed) → train → {@link #close()} (the parameter servers
 * exit once every worker has closed, or with an error once a worker died without closing: see
 * {@link TaskServer#joinUntilTrainingEnds()}). TensorFlow servers cannot be stopped: a worker's
 * process ends by exiting.
 */
public final class ParameterServerStrategy implements AutoCloseable {

  private final ClusterSpec cluster;
  private final TaskSpec task;
  private final List<TaskSpec> replicas;
  private boolean synchronous = true;
  private Duration operationTimeout = Duration.ofSeconds(60);
  private TaskServer server;
  private GraphRuntime runtime;
  private boolean closed;

  /**
   * The strategy of the task {@code config} names in its cluster.
   *
   * @throws IllegalArgumentException if the cluster has no {@code ps} job, no worker (or chief), or
   *     if the task is not a worker or the chief
   */
  public ParameterServerStrategy(TfConfig config) {
    this(config.cluster(), config.task());
  }

  /**
   * The strategy of {@code task} in {@code cluster}.
   *
   * @throws IllegalArgumentException as {@link #ParameterServerStrategy(TfConfig)}
   */
  public ParameterServerStrategy(ClusterSpec cluster, TaskSpec task) {
    this.cluster = Objects.requireNonNull(cluster, "cluster");
    this.task = Objects.requireNonNull(task, "task");
    cluster.checkTask(task);
    if (cluster.numTasks("ps") == 0) {
      throw new IllegalArgumentException(
          "ParameterServerStrategy needs a \"ps\" job in the cluster to hold the variables, received "
              + cluster + ".");
    }
    replicas = new ArrayList<>();
    for (int i = 0; i < cluster.numTasks("chief"); i++) {
      replicas.add(new TaskSpec("chief", i));
    }
    for (int i = 0; i < cluster.numTasks("worker"); i++) {
      replicas.add(new TaskSpec("worker", i));
    }
    if (cluster.numTasks("chief") > 1) {
      throw new IllegalArgumentException(
          "A cluster has at most one chief, received " + cluster.numTasks("chief") + " in " + cluster + ".");
    }
    if (replicas.isEmpty()) {
      throw new IllegalArgumentException(
          "ParameterServerStrategy needs a \"worker\" (or \"chief\") job to train, received " + cluster + ".");
    }
    if (!replicas.contains(task)) {
      throw new IllegalArgumentException(
          "ParameterServerStrategy runs on the chief and the workers, received task " + task
              + ". A ps task serves the variables: run TaskServer.start(config).join() there.");
    }
  }

  /**
   * Whether the workers' gradients are averaged each step (true, the default) or each worker
   * updates the variables on its own (false); returns this.
   *
   * @throws IllegalStateException once the strategy's scope was opened
   */
  public ParameterServerStrategy synchronous(boolean synchronous) {
    checkNotStarted("synchronous");
    this.synchronous = synchronous;
    return this;
  }

  /**
   * How long a step may wait for the other tasks (default 60 s) before it fails with a {@link
   * TaskUnavailableException}; returns this. In synchronous training a step waits for the slowest
   * worker, so keep it well above a step's time.
   *
   * @throws IllegalArgumentException if not positive
   * @throws IllegalStateException once the strategy's scope was opened
   */
  public ParameterServerStrategy operationTimeout(Duration timeout) {
    checkNotStarted("operationTimeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException(
          "operationTimeout must be positive, received " + timeout + ".");
    }
    this.operationTimeout = timeout;
    return this;
  }

  private void checkNotStarted(String option) {
    if (runtime != null) {
      throw new IllegalStateException(
          option + " cannot change once the strategy's scope was opened: set it right after"
              + " constructing the strategy.");
    }
  }

  /** Whether steps average every worker's gradients. */
  public boolean isSynchronous() {
    return synchronous;
  }

  /** The timeout of a step's waits for the other tasks. */
  public Duration operationTimeout() {
    return operationTimeout;
  }

  /** The cluster. */
  public ClusterSpec cluster() {
    return cluster;
  }

  /** This process's task. */
  public TaskSpec task() {
    return task;
  }

  /** How many processes train (the workers and the chief): Keras's {@code num_replicas_in_sync}. */
  public int numReplicas() {
    return replicas.size();
  }

  /** This process's index among the {@link #numReplicas()} training processes (the chief is 0). */
  public int replicaIndex() {
    return replicas.indexOf(task);
  }

  /** Whether this process is the chief: it initializes the variables and writes checkpoints. */
  public boolean isChief() {
    return replicaIndex() == 0;
  }

  /**
   * The runtime models built in {@link #scope()} bind to; on first call starts this task's server.
   */
  public synchronized GraphRuntime runtime() {
    if (runtime == null) {
      long timeout = operationTimeout.toMillis();
      server =
          TaskServer.start(
              cluster, task, ConfigProto.newBuilder().setOperationTimeoutInMs(timeout).build());
      runtime =
          GraphRuntime.distributed(
              new ParameterServerReplica(cluster, task, replicas, synchronous, timeout, server.target()));
    }
    return runtime;
  }

  /**
   * Makes the strategy's runtime current until {@link Scope#close()}: models, optimizers and
   * metrics built inside train distributed, Keras's {@code with strategy.scope():}. Build the model
   * (give it its input shape) and compile it inside; {@code fit} and {@code evaluate} may be called
   * after the scope closes.
   */
  public Scope scope() {
    return new Scope(GraphRuntime.makeCurrent(runtime()));
  }

  /**
   * Runs one step of a custom training loop on this worker, Keras's {@code strategy.run(fn,
   * args)}: calls {@code step} with the strategy's runtime current, so that its first call traces
   * it there, beside the model built in {@link #scope()}. The optimizer's {@code applyGradients} in
   * the step exchanges gradients with the other workers as {@code fit} does.
   *
   * @return what the step returns; the caller closes any tensor in it
   */
  public <R> R run(TfFunction<R> step, TType... args) {
    try (Scope scope = scope()) {
      return step.call(args);
    }
  }

  /** The strategy's scope: closing it restores the runtime that was current before. */
  public static final class Scope implements AutoCloseable {

    private final GraphRuntime previous;
    private boolean closed;

    private Scope(GraphRuntime previous) {
      this.previous = previous;
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        GraphRuntime.makeCurrent(previous);
      }
    }
  }

  /**
   * Says to every parameter server that this worker's training ended: a ps in {@link
   * TaskServer#joinUntilTrainingEnds()} returns once every worker has. Call it when the program's
   * training is over (TensorFlow cannot stop this worker's own server: the process then ends by
   * exiting). A worker that exits without closing is taken for crashed: once it has not answered
   * for the ps's operation timeout, the ps ends with an error naming it. So close after training
   * succeeded, not in a {@code finally} block: a worker whose training failed should exit without
   * closing. Does nothing if the scope was never opened or on a second call.
   *
   * @throws TaskUnavailableException if a ps cannot be reached within the operation timeout
   */
  @Override
  public synchronized void close() {
    if (runtime == null || closed) {
      return;
    }
    closed = true;
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      List<Op> tokens = new ArrayList<>();
      for (int ps = 0; ps < cluster.numTasks("ps"); ps++) {
        tokens.add(
            tf.withDevice(DeviceSpec.newBuilder().job("ps").task(ps).build())
                .io.queueEnqueue(TaskServer.doneQueue(tf, ps), List.of(tf.constant((long) replicaIndex()))));
      }
      ConfigProto config =
          ConfigProto.newBuilder()
              .setOperationTimeoutInMs(operationTimeout.toMillis())
              .addDeviceFilters("/job:ps")
              .addDeviceFilters(task.device())
              .build();
      try (Session session = TensorFlowInternals.openSession(graph, server.target(), config)) {
        Session.Runner runner = session.runner();
        tokens.forEach(runner::addTarget);
        runner.run().close();
      } catch (TensorFlowException e) {
        throw new TaskUnavailableException(
            "Task " + task + " could not tell the parameter servers that its training ended within "
                + operationTimeout.toMillis() + " ms: " + e.getMessage().lines().findFirst().orElse("")
                + ". End them by hand.",
            List.of(),
            e);
      }
    }
  }

  @Override
  public String toString() {
    return "ParameterServerStrategy[task " + task + " of " + cluster + (synchronous ? ", synchronous" : ", asynchronous") + "]";
  }
}
