package dev.tfkeras.distribute;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.tfkeras.callbacks.Callback;
import dev.tfkeras.data.Dataset;
import dev.tfkeras.models.FitOptions;
import dev.tfkeras.models.Model;
import dev.tfkeras.runtime.Distribution;
import dev.tfkeras.runtime.GraphRuntime;
import dev.tfkeras.testing.FreshRuntime;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
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
 * {@code fit} in a runtime whose distribution splits the global batch trains on what {@link
 * Distribution#trainingData} gives it (Keras's fit distributes its dataset), in one process: a
 * distribution that runs locally and keeps replica 1's half of every batch of 8.
 */
@ExtendWith(FreshRuntime.class)
class DistributedFitDataTest {

  /** Trains locally; its training data is {@code split} of what fit was given. */
  private record LocalDistribution(UnaryOperator<Dataset> split) implements Distribution {
    @Override
    public DeviceSpec taskDevice() {
      return DeviceSpec.newBuilder().job("localhost").replica(0).task(0).build();
    }

    @Override
    public Ops placeVariable(Ops scope) {
      return scope;
    }

    @Override
    public boolean shouldCheckpoint() {
      return true;
    }

    @Override
    public Session openSession(Graph graph) {
      return new Session(graph);
    }

    @Override
    public Result run(GraphRuntime runtime, Session.Runner runner) {
      return runner.run();
    }

    @Override
    public Op synchronize(Ops tf, List<Operand<TFloat32>> gradients, List<Output<TFloat32>> variables,
        Operand<TInt64> step, Function<List<Operand<TFloat32>>, Op> apply) {
      return apply.apply(gradients);
    }

    @Override
    public Dataset trainingData(Dataset dataset) {
      return split.apply(dataset);
    }
  }

  private static List<float[]> trainOnce(Dataset data, Distribution distribution, int[] steps) {
    GraphRuntime.setRandomSeed(ClusterTrainingProgram.SEED);
    GraphRuntime previous = distribution == null ? null : GraphRuntime.makeCurrent(GraphRuntime.distributed(distribution));
    try (Model model = ClusterTrainingProgram.model(ClusterTrainingProgram.DENSE_MODEL)) {
      Callback counter = new Callback() {
        @Override
        public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
          steps[0]++;
        }
      };
      model.fit(data, new FitOptions().epochs(1).verbose(0).callbacks(counter));
      return ClusterTrainingProgram.weights(model);
    } finally {
      if (distribution != null) {
        GraphRuntime.makeCurrent(previous);
      }
    }
  }

  @Test
  void fitTrainsOnTheReplicasPartOfEveryGlobalBatch() {
    Dataset global = ClusterTrainingProgram.data(32).batch(8);
    int[] distributedSteps = {0};
    List<float[]> distributed =
        trainOnce(global, new LocalDistribution(d -> d.shardBatches(2, 1)), distributedSteps);
    GraphRuntime.reset();
    int[] aloneSteps = {0};
    List<float[]> alone = trainOnce(global.shardBatches(2, 1), null, aloneSteps);
    GraphRuntime.reset();
    List<float[]> whole = trainOnce(global, null, new int[1]);
    assertEquals(4, distributedSteps[0]);
    assertEquals(4, aloneSteps[0]);
    for (int w = 0; w < alone.size(); w++) {
      assertArrayEquals(alone.get(w), distributed.get(w), "weight " + w + ": trained on replica 1's halves");
    }
    assertNotEquals(whole.get(0)[0], distributed.get(0)[0], "the whole batches train to other weights");
  }
}
