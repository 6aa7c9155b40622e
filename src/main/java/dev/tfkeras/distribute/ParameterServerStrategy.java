package dev.tfkeras.distribute;

import dev.tfkeras.runtime.Distribution;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;

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
 * <p>Lifecycle: construct → set options → {@link #scope()} (starts this worker's TensorFlow
 * server) builds the model (the options are then fixed) → train → {@link #close()} (the parameter
 * servers exit once every worker has closed, or with an error once a worker died without closing:
 * see {@link TaskServer#joinUntilTrainingEnds()}). Close after training succeeded, not in a {@code
 * finally} block: a worker whose training failed should exit without closing. TensorFlow servers
 * cannot be stopped: a worker's process ends by exiting. {@link MultiWorkerMirroredStrategy} trains
 * without parameter servers.
 */
public final class ParameterServerStrategy extends Strategy {

  private boolean synchronous = true;

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
    super("ParameterServerStrategy", cluster, task);
    if (cluster.numTasks("ps") == 0) {
      throw new IllegalArgumentException(
          "ParameterServerStrategy needs a \"ps\" job in the cluster to hold the variables, received "
              + cluster + ". Without parameter servers use MultiWorkerMirroredStrategy.");
    }
    checkReplica("A ps task serves the variables: run TaskServer.start(config).join() there.");
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

  /** {@inheritDoc} */
  @Override
  public ParameterServerStrategy operationTimeout(Duration timeout) {
    super.operationTimeout(timeout);
    return this;
  }

  /** Whether steps average every worker's gradients. */
  public boolean isSynchronous() {
    return synchronous;
  }

  @Override
  TaskServer startServer() {
    return TaskServer.start(
        cluster(), task(), ConfigProto.newBuilder().setOperationTimeoutInMs(operationTimeout().toMillis()).build());
  }

  @Override
  Distribution distribution(TaskServer server) {
    return new ParameterServerReplica(
        cluster(), task(), replicas(), synchronous, operationTimeout().toMillis(), server.target());
  }

  /**
   * Says to every parameter server that this worker's training ended: a ps in {@link
   * TaskServer#joinUntilTrainingEnds()} returns once every worker has. Call it when the program's
   * training is over (TensorFlow cannot stop this worker's own server: the process then ends by
   * exiting). A worker that exits without closing is taken for crashed: once it has not answered
   * for the ps's operation timeout, the ps ends with an error naming it.
   */
  @Override
  void trainingEnded(TaskServer server) {
    ClusterSpec cluster = cluster();
    TaskSpec task = task();
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
              .setOperationTimeoutInMs(operationTimeout().toMillis())
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
                + operationTimeout().toMillis() + " ms: " + e.getMessage().lines().findFirst().orElse("")
                + ". End them by hand.",
            List.of(),
            e);
      }
    }
  }

  @Override
  public String toString() {
    return "ParameterServerStrategy[task " + task() + " of " + cluster() + (synchronous ? ", synchronous" : ", asynchronous") + "]";
  }
}
