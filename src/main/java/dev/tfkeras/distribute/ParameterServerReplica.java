package dev.tfkeras.distribute;

import dev.tfkeras.runtime.GraphRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.tensorflow.DeviceSpec;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Operation;
import org.tensorflow.Output;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.io.FifoQueue;
import org.tensorflow.op.train.ConditionalAccumulator;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;

/**
 * One worker's part in between-graph replication with parameter servers: every worker traces the
 * same model into its own graph; the variables live on the {@code ps} tasks (round-robin, in
 * creation order, so that every worker names and places them alike); forward pass and gradients
 * run on the worker's own task.
 *
 * <p>The chief initializes the shared variables; the other workers run only their local
 * initializers (metrics) and wait until the chief's are done. Synchronous steps average the
 * workers' gradients as TensorFlow's {@code SyncReplicasOptimizer} did: a {@code
 * ConditionalAccumulator} per variable on its ps, one token queue per worker (a single shared
 * queue can deadlock); each worker adds its gradients and waits for its token; the chief takes the
 * averages, applies them once and hands every worker a token, all in one session call per step.
 */
final class ParameterServerReplica extends TaskReplica {

  private final ClusterSpec cluster;
  private final boolean synchronous;
  private int placed;

  ParameterServerReplica(
      ClusterSpec cluster, TaskSpec task, List<TaskSpec> replicas, boolean synchronous,
      long timeoutMillis, String target) {
    super(
        cluster, task, replicas, timeoutMillis, target,
        ConfigProto.newBuilder()
            .setAllowSoftPlacement(true)
            .setOperationTimeoutInMs(timeoutMillis)
            .addDeviceFilters("/job:ps")
            .addDeviceFilters(task.device()));
    this.cluster = cluster;
    this.synchronous = synchronous;
  }

  @Override
  public synchronized Ops placeVariable(Ops scope) {
    int ps = placed++ % cluster.numTasks("ps");
    return scope.withDevice(DeviceSpec.newBuilder().job("ps").task(ps).build());
  }

  /** The chief runs every initializer; another worker its own (metrics), then waits for the chief's. */
  @Override
  void initialize(GraphRuntime runtime, Session session, List<Operation> fresh) {
    if (isChief()) {
      TensorFlowInternals.runInitializers(session, fresh);
    } else {
      List<Operation> local = new ArrayList<>();
      List<Operation> shared = new ArrayList<>();
      for (Operation op : fresh) {
        boolean onPs = ((GraphOperation) op).device().startsWith("/job:ps");
        if (op.type().equals("Assign") && !onPs) {
          local.add(op);
        } else if (op.type().startsWith("Variable") && onPs) {
          shared.add(op);
        }
      }
      TensorFlowInternals.runInitializers(session, local);
      support.awaitChief(runtime, session, shared);
    }
  }

  @Override
  public Op synchronize(
      Ops tf,
      List<Operand<TFloat32>> gradients,
      List<Output<TFloat32>> variables,
      Operand<TInt64> step,
      Function<List<Operand<TFloat32>>, Op> apply) {
    if (!synchronous) {
      return apply.apply(gradients);
    }
    Ops sync = tf.withSubScope("sync_replicas");
    List<Operand<TString>> accumulators = new ArrayList<>();
    List<Op> accumulated = new ArrayList<>();
    for (int i = 0; i < variables.size(); i++) {
      Output<TFloat32> variable = variables.get(i);
      Ops onPs = sync.withDevice(ReplicaSupport.deviceOf(variable.op()));
      Operand<TString> accumulator =
          onPs.train.conditionalAccumulator(
              TFloat32.class,
              variable.shape(),
              ConditionalAccumulator.sharedName("sync_replicas:" + variable.op().name()),
              ConditionalAccumulator.reductionType("MEAN"));
      accumulators.add(accumulator);
      accumulated.add(onPs.train.accumulatorApplyGradient(accumulator, step, gradients.get(i)));
    }
    Ops queues = sync.withDevice(DeviceSpec.newBuilder().job("ps").task(0).build());
    List<Operand<?>> tokenQueues = new ArrayList<>();
    for (int r = 0; r < replicas.size(); r++) {
      tokenQueues.add(
          queues.io.fifoQueue(
              List.of(TInt64.class),
              FifoQueue.shapes(Shape.scalar()),
              FifoQueue.sharedName("sync_replicas:token_queue_" + r)));
    }
    Operand<?> myQueue = tokenQueues.get(replicas.indexOf(task));
    if (!isChief()) {
      return sync.withControlDependencies(accumulated).io.queueDequeue(myQueue, List.of(TInt64.class));
    }
    Ops afterAccumulated = sync.withControlDependencies(accumulated);
    List<Operand<TFloat32>> averages = new ArrayList<>();
    for (int i = 0; i < variables.size(); i++) {
      Output<TFloat32> variable = variables.get(i);
      Operand<TFloat32> taken =
          afterAccumulated
              .withDevice(ReplicaSupport.deviceOf(variable.op()))
              .train.accumulatorTakeGradient(
                  accumulators.get(i), afterAccumulated.constant(replicas.size()), TFloat32.class);
      averages.add(afterAccumulated.reshape(taken, afterAccumulated.constant(variable.shape().asArray())));
    }
    Op updated = apply.apply(averages);
    Ops afterUpdate = queues.withControlDependencies(List.of(updated));
    Operand<TInt64> token = afterUpdate.math.add(step, afterUpdate.constant(1L));
    List<Op> handedOut = new ArrayList<>();
    for (Operand<?> queue : tokenQueues) {
      handedOut.add(afterUpdate.io.queueEnqueue(queue, List.of(token)));
    }
    return sync.withControlDependencies(handedOut).io.queueDequeue(myQueue, List.of(TInt64.class));
  }
}
