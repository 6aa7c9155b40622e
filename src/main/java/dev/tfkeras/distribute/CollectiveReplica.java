package dev.tfkeras.distribute;

import dev.tfkeras.data.Dataset;
import dev.tfkeras.runtime.GraphRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.tensorflow.DeviceSpec;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Operation;
import org.tensorflow.Output;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * One worker's part in multi-worker mirrored training: every worker traces the same model into
 * its own graph and keeps all the variables on its own task; each step all-reduces (averages) the
 * gradients with TensorFlow's {@code CollectiveReduceV2} and every worker applies the same average,
 * so the workers' variables stay bitwise equal.
 *
 * <p>Initial values: every task runs its own initializers; then each worker other than the chief
 * copies the chief's initial values of the shared variables (reading them on the chief's task, as
 * Keras broadcasts worker 0's), so the workers start equal whatever their seeds. A broadcast
 * collective would need every worker to run its initializers in the same number of session runs
 * (collectives meet by step, and {@code fit} and a custom loop initialize in different runs), the
 * copy does not. Variables each task keeps for itself (metrics) are not copied.
 *
 * <p>Collectives: one group (the key of the strategy) of all workers, its leader the chief; a
 * step's gradients are concatenated into packs ({@code bytesPerPack}; 0, the default, is one pack,
 * so one all-reduce a step, as Keras's all-reduce packing), each pack one {@code
 * CollectiveReduceV2} (merge {@code Add}, final {@code Div}: the mean over the workers) with an
 * instance key counted in tracing order (the same on every worker, which traces the same steps),
 * the packs chained in that order.
 */
final class CollectiveReplica extends TaskReplica {

  private final int groupKey;
  private final long bytesPerPack;
  private final UnaryOperator<Dataset> trainingData;
  private int nextInstanceKey = 1;

  CollectiveReplica(
      ClusterSpec cluster, TaskSpec task, List<TaskSpec> replicas, int groupKey, long bytesPerPack,
      long timeoutMillis, String target, UnaryOperator<Dataset> trainingData) {
    super(cluster, task, replicas, timeoutMillis, target, sessionConfig(task, replicas, timeoutMillis));
    this.trainingData = trainingData;
    this.groupKey = groupKey;
    this.bytesPerPack = bytesPerPack;
  }

  private static ConfigProto.Builder sessionConfig(TaskSpec task, List<TaskSpec> replicas, long timeoutMillis) {
    ConfigProto.Builder config =
        serverConfig(replicas, timeoutMillis).toBuilder().setAllowSoftPlacement(true).addDeviceFilters(task.device());
    if (!replicas.get(0).equals(task)) {
      config.addDeviceFilters(replicas.get(0).device()); // reads the chief's initial values
    }
    return config;
  }

  /** The configuration of a worker's server: the chief leads the collective group. */
  static ConfigProto serverConfig(List<TaskSpec> replicas, long timeoutMillis) {
    ConfigProto.Builder config = ConfigProto.newBuilder().setOperationTimeoutInMs(timeoutMillis);
    TaskSpec chief = replicas.get(0);
    config.getExperimentalBuilder().setCollectiveGroupLeader("/job:" + chief.type() + "/replica:0/task:" + chief.index());
    return config.build();
  }

  /**
   * The device of {@code task}'s shared variables: its CPU, named in full, which tells them from
   * the variables the task keeps for itself (those carry only the task).
   */
  private static DeviceSpec variableDevice(TaskSpec task) {
    return DeviceSpec.newBuilder()
        .job(task.type())
        .task(task.index())
        .deviceType(DeviceSpec.DeviceType.CPU)
        .deviceIndex(0)
        .build();
  }

  @Override
  public Ops placeVariable(Ops scope) {
    return scope.withDevice(variableDevice(task));
  }

  /** This worker's part of every global batch, as Keras's {@code fit} distributes its dataset. */
  @Override
  public Dataset trainingData(Dataset dataset) {
    return trainingData.apply(dataset);
  }

  /** Every task runs its own initializers; a worker then copies the chief's values. */
  @Override
  void initialize(GraphRuntime runtime, Session session, List<Operation> fresh) {
    TensorFlowInternals.runInitializers(session, fresh);
    if (!isChief()) {
      copyChiefValues(runtime, session, fresh);
    }
  }

  /**
   * Sets the shared variables among {@code fresh} to the chief's values: the same variable on the
   * chief's task (same name, so the same resource there), once the chief has initialized it.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private void copyChiefValues(GraphRuntime runtime, Session session, List<Operation> fresh) {
    String shared = variableDevice(task).toString();
    DeviceSpec chiefDevice = variableDevice(replicas.get(0));
    Ops tf = runtime.ops().withSubScope("chief_initial_values");
    Ops onChief = tf.withDevice(chiefDevice);
    List<Operation> locals = new ArrayList<>();
    List<Operation> chiefs = new ArrayList<>();
    for (Operation op : fresh) {
      GraphOperation variable = (GraphOperation) op;
      if (!variable.type().startsWith("Variable") || !variable.device().equals(shared)) {
        continue;
      }
      locals.add(variable);
      chiefs.add(
          onChief.scope()
              .opBuilder("VariableV2", "variable")
              .setAttr("shape", variable.attributes().getAttrShape("shape"))
              .setAttr("dtype", variable.attributes().getAttrType("dtype"))
              .setAttr("shared_name", variable.name())
              .build());
    }
    if (locals.isEmpty()) {
      return;
    }
    support.awaitChief(runtime, session, chiefs);
    Session.Runner copy = session.runner();
    for (int i = 0; i < locals.size(); i++) {
      Operand value = onChief.identity((Output) chiefs.get(i).output(0));
      copy.addTarget(tf.assign((Operand) locals.get(i).output(0), value));
    }
    copy.run().close();
  }

  @Override
  public Op synchronize(
      Ops tf,
      List<Operand<TFloat32>> gradients,
      List<Output<TFloat32>> variables,
      Operand<TInt64> step,
      Function<List<Operand<TFloat32>>, Op> apply) {
    Ops sync = tf.withSubScope("all_reduce");
    List<Operand<TFloat32>> averaged = new ArrayList<>();
    List<Op> previous = List.of();
    int start = 0;
    while (start < gradients.size()) {
      int end = start;
      long bytes = 0;
      do {
        bytes += 4 * variables.get(end).shape().size();
        end++;
      } while (end < gradients.size() && (bytesPerPack == 0 || bytes < bytesPerPack));
      Ops pack = sync.withControlDependencies(previous); // packs run in tracing order
      Output<TFloat32> reduced = allReduce(pack, flatten(pack, gradients.subList(start, end)));
      averaged.addAll(unflatten(pack, reduced, variables.subList(start, end)));
      previous = List.of(pack.identity(reduced));
      start = end;
    }
    return apply.apply(averaged);
  }

  private static Operand<TFloat32> flatten(Ops tf, List<Operand<TFloat32>> gradients) {
    List<Operand<TFloat32>> flat = new ArrayList<>();
    for (Operand<TFloat32> gradient : gradients) {
      flat.add(tf.reshape(gradient, tf.constant(new long[] {-1})));
    }
    return flat.size() == 1 ? flat.get(0) : tf.concat(flat, tf.constant(0));
  }

  private static List<Operand<TFloat32>> unflatten(Ops tf, Operand<TFloat32> flat, List<Output<TFloat32>> variables) {
    List<Operand<TFloat32>> out = new ArrayList<>();
    long offset = 0;
    for (Output<TFloat32> variable : variables) {
      long size = variable.shape().size();
      Operand<TFloat32> part = tf.slice(flat, tf.constant(new long[] {offset}), tf.constant(new long[] {size}));
      out.add(tf.reshape(part, tf.constant(variable.shape().asArray())));
      offset += size;
    }
    return out;
  }

  /** The mean of {@code input} over the workers: one {@code CollectiveReduceV2}. */
  private Output<TFloat32> allReduce(Ops tf, Operand<TFloat32> input) {
    int instanceKey;
    synchronized (this) {
      instanceKey = nextInstanceKey++;
    }
    return tf.scope()
        .opBuilder("CollectiveReduceV2", "all_reduce")
        .addInput(input.asOutput())
        .addInput(tf.constant(replicas.size()).asOutput()) // group_size
        .addInput(tf.constant(groupKey).asOutput())
        .addInput(tf.constant(instanceKey).asOutput())
        .addInputList(new Output<?>[0]) // ordering_token: the packs are chained instead
        .setAttr("merge_op", "Add")
        .setAttr("final_op", "Div")
        .build()
        .output(0);
  }
}
