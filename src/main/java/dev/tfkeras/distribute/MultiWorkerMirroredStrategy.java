package dev.tfkeras.distribute;

import dev.tfkeras.runtime.Distribution;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Synchronous data-parallel training over processes and hosts without parameter servers, Keras's
 * {@code tf.distribute.MultiWorkerMirroredStrategy}: every worker (the chief included) holds all
 * the variables on its own task and trains the same model on its shard of the data; each step
 * averages the workers' gradients with TensorFlow's collective all-reduce, and every worker applies
 * the same average, so the workers' variables stay equal and {@code n} workers on batches of
 * {@code b} train as one process on the concatenated batch of {@code n*b}.
 *
 * <pre>{@code
 * // on every worker host (TF_CONFIG names the workers, optionally a chief, and no ps)
 * var strategy = new MultiWorkerMirroredStrategy(TfConfig.fromEnvironment());
 * Model model;
 * try (var scope = strategy.scope()) {
 *   model = new Sequential(...);
 *   model.compile(...);
 * }
 * model.fit(data.shuffle(10_000, 42).batch(64), ...); // the global batch: 32 per worker with 2
 * strategy.close();
 * }</pre>
 *
 * <p>As Keras's {@code fit}, {@code fit} gives each worker its part of every global batch ({@link
 * #distributeDataset}): give every worker the same batches (shuffle with a seed). A custom loop
 * reads {@code strategy.distributeDataset(dataset)} itself, as Keras's custom loops do.
 *
 * <p>The workers start from the chief's initial values (each other worker copies them, as Keras
 * broadcasts worker 0's), whatever their random seeds. The optimizer's step count and slots are
 * updated alike on every worker. Variables a layer updates itself, such as {@code
 * BatchNormalization}'s moving mean and variance, follow each worker's own batches, as in Keras
 * (whose {@code synchronized=False}, the default, keeps batch statistics per replica): they may
 * differ between workers, and the chief's are the ones it saves. Metrics and the logged loss are
 * those of each worker's own part of the batches. Checkpoints and saved models are written by the chief only.
 *
 * <p>Every worker must run the same steps: a step one worker runs alone waits for the others. A
 * step that waits longer than {@link #operationTimeout(Duration)} (a worker died) fails with a
 * {@link TaskUnavailableException} naming the tasks that no longer answer, never a silent hang.
 *
 * <p>Lifecycle: construct → set options → {@link #scope()} (starts this worker's TensorFlow
 * server; the options are then fixed) → train → {@link #close()}. TensorFlow servers cannot be
 * stopped: each worker's process ends by exiting when its training is over.
 */
public final class MultiWorkerMirroredStrategy extends Strategy {

  /** Group keys, one per strategy, in construction order: the same in every worker's process. */
  private static final AtomicInteger GROUP_KEYS = new AtomicInteger();

  private final int groupKey = GROUP_KEYS.incrementAndGet();
  private long bytesPerPack;

  /**
   * The strategy of the task {@code config} names in its cluster.
   *
   * @throws IllegalArgumentException if the cluster has a {@code ps} job, no worker (or chief), or
   *     if the task is not a worker or the chief
   */
  public MultiWorkerMirroredStrategy(TfConfig config) {
    this(config.cluster(), config.task());
  }

  /**
   * The strategy of {@code task} in {@code cluster}.
   *
   * @throws IllegalArgumentException as {@link #MultiWorkerMirroredStrategy(TfConfig)}
   */
  public MultiWorkerMirroredStrategy(ClusterSpec cluster, TaskSpec task) {
    super("MultiWorkerMirroredStrategy", cluster, task);
    if (cluster.numTasks("ps") > 0) {
      throw new IllegalArgumentException(
          "MultiWorkerMirroredStrategy keeps the variables on every worker and takes no \"ps\" job,"
              + " received " + cluster + ". Use ParameterServerStrategy for a cluster with parameter"
              + " servers, or remove the ps job.");
    }
    checkReplica("Its cluster has only a chief and workers.");
  }

  /** {@inheritDoc} */
  @Override
  public MultiWorkerMirroredStrategy operationTimeout(Duration timeout) {
    super.operationTimeout(timeout);
    return this;
  }

  /**
   * How the gradients are packed for the all-reduce, Keras's {@code
   * CommunicationOptions(bytes_per_pack=...)}: 0 (the default) concatenates all of a step's
   * gradients into one all-reduce; a positive size starts a new pack once a pack holds that many
   * bytes (1: one all-reduce per variable). Returns this.
   *
   * @throws IllegalArgumentException if negative
   * @throws IllegalStateException once the strategy's scope was opened
   */
  public MultiWorkerMirroredStrategy bytesPerPack(long bytes) {
    checkNotStarted("bytesPerPack");
    if (bytes < 0) {
      throw new IllegalArgumentException(
          "bytesPerPack must be 0 (one pack) or positive, received " + bytes + ".");
    }
    this.bytesPerPack = bytes;
    return this;
  }

  /** The pack size of the all-reduce, 0 for one pack a step. */
  public long bytesPerPack() {
    return bytesPerPack;
  }

  @Override
  TaskServer startServer() {
    return TaskServer.start(
        cluster(), task(), CollectiveReplica.serverConfig(replicas(), operationTimeout().toMillis()));
  }

  @Override
  Distribution distribution(TaskServer server) {
    return new CollectiveReplica(
        cluster(), task(), replicas(), groupKey, bytesPerPack, operationTimeout().toMillis(), server.target(),
        this::distributedOnce);
  }

  /**
   * Nothing to tell: there are no parameter servers, and a worker's collectives complete only once
   * the others have received its part. The process then ends by exiting.
   */
  @Override
  void trainingEnded(TaskServer server) {}

  @Override
  public String toString() {
    return "MultiWorkerMirroredStrategy[task " + task() + " of " + cluster() + "]";
  }
}
