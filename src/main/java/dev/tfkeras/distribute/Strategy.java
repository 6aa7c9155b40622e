package dev.tfkeras.distribute;

import dev.tfkeras.data.Dataset;
import dev.tfkeras.function.TfFunction;
import dev.tfkeras.runtime.GraphRuntime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.WeakHashMap;
import org.tensorflow.types.family.TType;

/**
 * What Keras's distribution strategies over processes share, {@code tf.distribute.Strategy}: the
 * cluster and this process's task, the replicas that train (the chief, then the workers), the
 * operation timeout, the {@link #scope()} models are built in and {@link #run} for custom loops.
 * {@link ParameterServerStrategy} keeps the variables on parameter servers; {@link
 * MultiWorkerMirroredStrategy} keeps a copy on every worker and all-reduces the gradients.
 *
 * <p>Lifecycle: construct → set options → {@link #scope()} (starts this task's TensorFlow server;
 * the options are then fixed) → train → {@link #close()}. TensorFlow servers cannot be stopped: a
 * worker's process ends by exiting.
 */
public abstract sealed class Strategy implements AutoCloseable
    permits ParameterServerStrategy, MultiWorkerMirroredStrategy {

  /** The datasets {@link #distributeDataset} returned (weakly held: identity, as Keras checks). */
  private final Set<Dataset> distributed = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));
  private final String name;
  private final ClusterSpec cluster;
  private final TaskSpec task;
  private final List<TaskSpec> replicas;
  private Duration operationTimeout = Duration.ofSeconds(60);
  private TaskServer server;
  private GraphRuntime runtime;
  private boolean closed;

  /** Checks that {@code task} is the chief or a worker of {@code cluster}. */
  Strategy(String name, ClusterSpec cluster, TaskSpec task) {
    this.name = name;
    this.cluster = Objects.requireNonNull(cluster, "cluster");
    this.task = Objects.requireNonNull(task, "task");
    cluster.checkTask(task);
    if (cluster.numTasks("chief") > 1) {
      throw new IllegalArgumentException(
          "A cluster has at most one chief, received " + cluster.numTasks("chief") + " in " + cluster + ".");
    }
    List<TaskSpec> all = new ArrayList<>();
    for (int i = 0; i < cluster.numTasks("chief"); i++) {
      all.add(new TaskSpec("chief", i));
    }
    for (int i = 0; i < cluster.numTasks("worker"); i++) {
      all.add(new TaskSpec("worker", i));
    }
    if (all.isEmpty()) {
      throw new IllegalArgumentException(
          name + " needs a \"worker\" (or \"chief\") job to train, received " + cluster + ".");
    }
    this.replicas = List.copyOf(all);
  }

  /** Refuses a task that is not a replica, saying what such a task runs instead. */
  void checkReplica(String otherwise) {
    if (!replicas.contains(task)) {
      throw new IllegalArgumentException(
          name + " runs on the chief and the workers, received task " + task + ". " + otherwise);
    }
  }

  /**
   * How long a step may wait for the other tasks (default 60 s) before it fails with a {@link
   * TaskUnavailableException}; returns this. A synchronous step waits for the slowest worker, so
   * keep it well above a step's time.
   *
   * @throws IllegalArgumentException if not positive
   * @throws IllegalStateException once the strategy's scope was opened
   */
  public Strategy operationTimeout(Duration timeout) {
    checkNotStarted("operationTimeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("operationTimeout must be positive, received " + timeout + ".");
    }
    this.operationTimeout = timeout;
    return this;
  }

  /** Fails once the runtime exists: options are fixed from then on. */
  void checkNotStarted(String option) {
    if (runtime != null) {
      throw new IllegalStateException(
          option + " cannot change once the strategy's scope was opened: set it right after"
              + " constructing the strategy.");
    }
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

  /** The training tasks, the chief first: replica {@code i} is {@code replicas().get(i)}. */
  List<TaskSpec> replicas() {
    return replicas;
  }

  /** How many processes train (the workers and the chief): Keras's {@code num_replicas_in_sync}. */
  public int numReplicas() {
    return replicas.size();
  }

  /** This process's index among the {@link #numReplicas()} training processes (the chief is 0). */
  public int replicaIndex() {
    return replicas.indexOf(task);
  }

  /**
   * This replica's part of {@code dataset}, a dataset batched with the <em>global</em> batch size,
   * Keras's {@code strategy.experimental_distribute_dataset(dataset)}: every batch is split into
   * {@link #numReplicas()} consecutive parts and this replica takes part {@link #replicaIndex()}
   * ({@link Dataset#shardBatches}). Together the replicas train on exactly the batches one process
   * would, and every replica runs the same number of steps, which synchronous training needs. Every
   * replica must read the same batches in the same order: shuffle with a seed ({@code
   * shuffle(n, seed)}).
   *
   * <pre>{@code
   * model.fit(strategy.distributeDataset(data.shuffle(10_000, 42).batch(64)), options); // 32 a worker with 2
   * }</pre>
   *
   * @throws IllegalStateException if {@code dataset} is not batched
   */
  public Dataset distributeDataset(Dataset dataset) {
    Dataset part = dataset.shardBatches(numReplicas(), replicaIndex());
    distributed.add(part);
    return part;
  }

  /** {@code dataset} if {@link #distributeDataset} made it, else its distributed part. */
  Dataset distributedOnce(Dataset dataset) {
    return distributed.contains(dataset) ? dataset : distributeDataset(dataset);
  }

  /** Whether this process is the chief: its variables are the reference, and it writes checkpoints. */
  public boolean isChief() {
    return replicaIndex() == 0;
  }

  /**
   * The runtime models built in {@link #scope()} bind to; on first call starts this task's server.
   *
   * @throws IllegalStateException if the server cannot start (its port is taken)
   */
  public final synchronized GraphRuntime runtime() {
    if (runtime == null) {
      server = startServer();
      runtime = GraphRuntime.distributed(distribution(server));
    }
    return runtime;
  }

  /** Starts this task's TensorFlow server, configured for the strategy. */
  abstract TaskServer startServer();

  /** The strategy's part in each step of {@code server}'s runtime. */
  abstract dev.tfkeras.runtime.Distribution distribution(TaskServer server);

  /** This task's server, once {@link #runtime()} started it, else null. */
  synchronized TaskServer server() {
    return server;
  }

  /**
   * Makes the strategy's runtime current until {@link Scope#close()}: models, optimizers and
   * metrics built inside train distributed, Keras's {@code with strategy.scope():}. Build the model
   * (give it its input shape) and compile it inside; {@code fit} and {@code evaluate} may be called
   * after the scope closes.
   */
  public final Scope scope() {
    return new Scope(GraphRuntime.makeCurrent(runtime()));
  }

  /**
   * Runs one step of a custom training loop on this worker, Keras's {@code strategy.run(fn,
   * args)}: calls {@code step} with the strategy's runtime current, so that its first call traces
   * it there, beside the model built in {@link #scope()}. The optimizer's {@code applyGradients} in
   * the step meets the other workers' gradients as {@code fit} does.
   *
   * @return what the step returns; the caller closes any tensor in it
   */
  public final <R> R run(TfFunction<R> step, TType... args) {
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
   * Says that this task's training ended (what that means depends on the strategy); does nothing
   * if the scope was never opened or on a second call.
   *
   * @throws TaskUnavailableException if a task that must hear it cannot be reached within the
   *     operation timeout
   */
  @Override
  public final synchronized void close() {
    if (runtime == null || closed) {
      return;
    }
    closed = true;
    trainingEnded(server);
  }

  /** What {@link #close()} does once: tells the tasks that wait for it. */
  abstract void trainingEnded(TaskServer server);
}
