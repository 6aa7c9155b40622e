package dev.tfkeras.distribute;

import java.util.Arrays;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/**
 * One task of a two-worker cluster that sums a vector across the workers with TensorFlow's {@code
 * CollectiveReduceV2} (the all-reduce of {@code MultiWorkerMirroredStrategy}), run in its own JVM
 * by {@link CollectiveOpsTest}: three runs of the same graph, the inputs scaled by the run's number
 * (1, 2, 3); prints {@code sum <values>} for each.
 */
public final class CollectiveProbeProgram {

  private CollectiveProbeProgram() {}

  public static void main(String[] args) {
    LocalCluster.exitAfterTimeLimit();
    TfConfig config = TfConfig.fromEnvironment();
    TaskSpec task = config.task();
    ConfigProto.Builder proto = ConfigProto.newBuilder().setOperationTimeoutInMs(30_000);
    proto.getExperimentalBuilder().setCollectiveGroupLeader("/job:worker/replica:0/task:0");
    ConfigProto sessionConfig = proto.addDeviceFilters(task.device()).build();
    TaskServer server = TaskServer.start(config.cluster(), task, sessionConfig);
    int status = 0;
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph).withDevice(org.tensorflow.DeviceSpec.newBuilder().job("worker").task(task.index()).build());
      float k = task.index() + 1;
      var step = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
      Operand<TFloat32> input = tf.math.mul(tf.constant(new float[] {k, 10 * k}), step);
      Output<TFloat32> sum =
          graph.opBuilder("CollectiveReduceV2", "all_reduce", tf.scope())
              .addInput(input.asOutput())
              .addInput(tf.constant(2).asOutput()) // group_size
              .addInput(tf.constant(1).asOutput()) // group_key
              .addInput(tf.constant(1).asOutput()) // instance_key
              .addInputList(new Output<?>[0]) // ordering_token
              .setAttr("merge_op", "Add")
              .setAttr("final_op", "Id")
              .setDevice(task.device())
              .build()
              .output(0);
      try (Session session = TensorFlowInternals.openSession(graph, server.target(), sessionConfig)) {
        // the same collective (same instance key) on every run, as a training step's all-reduce
        for (int run = 1; run <= 3; run++) {
          try (TFloat32 factor = TFloat32.scalarOf(run);
              Result result = session.runner().feed(step, factor).fetch(sum).run()) {
            TFloat32 value = (TFloat32) result.get(0);
            System.out.println("sum " + value.getFloat(0) + " " + value.getFloat(1));
          }
        }
      }
    } catch (RuntimeException e) {
      e.printStackTrace();
      status = 1;
    }
    System.out.flush();
    Runtime.getRuntime().halt(status);
  }
}
