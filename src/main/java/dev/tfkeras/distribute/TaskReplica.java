package dev.tfkeras.distribute;

import dev.tfkeras.runtime.Distribution;
import dev.tfkeras.runtime.GraphRuntime;
import java.util.List;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.Operation;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.proto.ConfigProto;

/**
 * What one training task does alike under either strategy: its ops on its own task, a session on
 * its own server, checkpoints by the chief only, and before each run the initializers added since
 * the last one, which each strategy runs its own way ({@link #initialize(GraphRuntime, Session,
 * List)}); a step that timed out or lost a task fails naming the tasks that no longer answer.
 */
abstract class TaskReplica implements Distribution {

  final TaskSpec task;
  final List<TaskSpec> replicas;
  final ReplicaSupport support;
  private final String target;
  private final ConfigProto sessionConfig;
  private int initializersSeen;

  /**
   * @param sessionConfig the strategy's session options (device filters, placement), to which the
   *     runtime's thread counts are added
   */
  TaskReplica(
      ClusterSpec cluster, TaskSpec task, List<TaskSpec> replicas, long timeoutMillis, String target,
      ConfigProto.Builder sessionConfig) {
    this.task = task;
    this.replicas = List.copyOf(replicas);
    this.target = target;
    this.support = new ReplicaSupport(cluster, task, replicas.get(0), timeoutMillis);
    this.sessionConfig =
        sessionConfig
            .setIntraOpParallelismThreads(GraphRuntime.intraOpParallelismThreads())
            .setInterOpParallelismThreads(GraphRuntime.interOpParallelismThreads())
            .build();
  }

  final boolean isChief() {
    return replicas.get(0).equals(task);
  }

  @Override
  public final boolean shouldCheckpoint() {
    return isChief();
  }

  @Override
  public final DeviceSpec taskDevice() {
    return DeviceSpec.newBuilder().job(task.type()).task(task.index()).build();
  }

  @Override
  public final Session openSession(Graph graph) {
    return TensorFlowInternals.openSession(graph, target, sessionConfig);
  }

  @Override
  public final Result run(GraphRuntime runtime, Session.Runner runner) {
    try {
      initialize(runtime);
      return runner.run();
    } catch (TensorFlowException e) {
      throw support.unavailable(e);
    }
  }

  private void initialize(GraphRuntime runtime) {
    synchronized (runtime) {
      Graph graph = runtime.graph();
      if (TensorFlowInternals.initializerCount(graph) == initializersSeen) {
        return;
      }
      List<Operation> all = TensorFlowInternals.initializers(graph);
      initialize(runtime, runtime.session(), all.subList(initializersSeen, all.size()));
      initializersSeen = all.size();
    }
  }

  /** Runs {@code fresh}, the initializers added since the last run, as this strategy does. */
  abstract void initialize(GraphRuntime runtime, Session session, List<Operation> fresh);
}
