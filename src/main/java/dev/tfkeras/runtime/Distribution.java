package dev.tfkeras.runtime;

import dev.tfkeras.data.Dataset;
import java.util.List;
import java.util.function.Function;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * How a {@link GraphRuntime} takes part in distributed training: where its ops and shared variables
 * go, the session it runs in, and how a step's gradients meet those of the other workers. A
 * distribution strategy ({@code dev.tfkeras.distribute.ParameterServerStrategy} or {@code
 * MultiWorkerMirroredStrategy}) provides it; a
 * runtime without one (the default) trains in this process alone and never calls any of this.
 */
public interface Distribution {

  /** The device of this process's task ({@code /job:worker/task:1}): ops go there by default. */
  DeviceSpec taskDevice();

  /**
   * The scope a shared variable (a layer weight, an optimizer's state) is created in: {@code
   * scope} placed on the device that holds it. Called once per variable, in creation order.
   */
  Ops placeVariable(Ops scope);

  /**
   * Whether this task writes checkpoints and saved models, Keras's {@code should_checkpoint}: the
   * chief only. The other tasks write theirs to a temporary directory that is deleted (see {@link
   * DistributedFiles}).
   */
  boolean shouldCheckpoint();

  /** Opens the session of {@code graph} on this task's server. */
  Session openSession(Graph graph);

  /**
   * Runs {@code runner}, a runner of {@code runtime}'s session: first the variable initializers this
   * task is responsible for, and turns a timeout into an error that names the tasks not answering.
   */
  Result run(GraphRuntime runtime, Session.Runner runner);

  /**
   * The op a training step runs to update the shared variables from this worker's {@code
   * gradients}: the update itself ({@code apply} of the gradients) when workers update
   * asynchronously, or, when they train synchronously, the exchange that averages every worker's
   * gradients and applies the average (once on the parameter servers, or on every worker's own
   * copy after an all-reduce).
   *
   * @param tf ops of the step being traced
   * @param variables the variables updated, one per gradient
   * @param step the optimizer's iteration count before this step
   * @param apply builds the update from the gradients to apply
   */
  Op synchronize(
      Ops tf,
      List<Operand<TFloat32>> gradients,
      List<Output<TFloat32>> variables,
      Operand<TInt64> step,
      Function<List<Operand<TFloat32>>, Op> apply);

  /**
   * The training data {@code fit} reads on this task, given the data it was called with: for a
   * strategy whose replicas split each global batch (Keras's {@code fit} distributes its dataset
   * with {@code experimental_distribute_dataset}), this task's part of every batch; by default,
   * and for data the strategy has already distributed, {@code dataset} itself.
   */
  default Dataset trainingData(Dataset dataset) {
    return dataset;
  }
}
