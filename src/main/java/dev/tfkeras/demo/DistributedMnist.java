package dev.tfkeras.demo;

import dev.tfkeras.callbacks.Callback;
import dev.tfkeras.data.Dataset;
import dev.tfkeras.datasets.Mnist;
import dev.tfkeras.distribute.MultiWorkerMirroredStrategy;
import dev.tfkeras.distribute.ParameterServerStrategy;
import dev.tfkeras.distribute.Strategy;
import dev.tfkeras.distribute.TaskServer;
import dev.tfkeras.distribute.TfConfig;
import dev.tfkeras.layers.Activation;
import dev.tfkeras.layers.Conv2D;
import dev.tfkeras.layers.Dense;
import dev.tfkeras.layers.Flatten;
import dev.tfkeras.layers.Input;
import dev.tfkeras.losses.SparseCategoricalCrossentropy;
import dev.tfkeras.metrics.SparseCategoricalAccuracy;
import dev.tfkeras.models.FitOptions;
import dev.tfkeras.models.Model;
import dev.tfkeras.models.Sequential;
import dev.tfkeras.optimizers.Adam;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The seed model (Conv2D 32 → Flatten → Dense 128 → Dense 10, Adam) trained on MNIST by every
 * task of a cluster, each on its shard, with {@link ParameterServerStrategy} (the cluster has a ps
 * job) or {@link MultiWorkerMirroredStrategy} (workers only; {@code --strategy} chooses); or in this process
 * alone when {@code TF_CONFIG} is not set. Prints the median step time after training. Run it on
 * one machine with {@code tfkeras-cluster} ({@link dev.tfkeras.distribute.ClusterLauncher}).
 */
@Command(
    name = "distributed-mnist",
    mixinStandardHelpOptions = true,
    version = "tfkeras 0.1.0",
    description =
        "Trains the seed model on MNIST: as one task of the cluster TF_CONFIG describes (with a ps"
            + " job, ParameterServerStrategy: the ps serves the variables; workers only,"
            + " MultiWorkerMirroredStrategy: gradients all-reduced), or alone without TF_CONFIG.")
public final class DistributedMnist implements Callable<Integer> {

  @Option(names = "--steps", defaultValue = "200", description = "Steps to train (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(
      names = "--batch-size",
      defaultValue = "32",
      description = "Batch size per worker; the global batch is workers x this (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--async", description = "Asynchronous training with --strategy ps (default: synchronous).")
  boolean async;

  @Option(
      names = "--strategy",
      description =
          "ps (ParameterServerStrategy) or mirrored (MultiWorkerMirroredStrategy); default: ps if"
              + " TF_CONFIG's cluster has a ps job, mirrored otherwise.")
  String strategyName;

  @Option(
      names = "--bytes-per-pack",
      defaultValue = "0",
      description =
          "With --strategy mirrored: gradient bytes per all-reduce; 0 packs a step's gradients into one"
              + " (default: ${DEFAULT-VALUE}).")
  long bytesPerPack;

  @Option(
      names = "--timeout",
      defaultValue = "60",
      description =
          "Seconds a step may wait for the other tasks, and a ps for a worker that stopped answering"
              + " (default: ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  /** Runs the demo; exits with its code. */
  public static void main(String[] args) {
    dev.tfkeras.distribute.LocalCluster.exitAfterTimeLimit();
    int code = new CommandLine(new DistributedMnist()).execute(args);
    System.out.flush();
    // a TensorFlow server cannot be stopped: a distributed task ends by exiting
    Runtime.getRuntime().halt(code);
  }

  @Override
  public Integer call() throws Exception {
    String json = System.getenv(TfConfig.VARIABLE);
    TfConfig config = json == null || json.isBlank() ? null : TfConfig.parse(json);
    if (config != null && config.task().type().equals("ps")) {
      // returns once every worker closed its strategy, throws (exit code 1) once one crashed
      TaskServer.start(config).operationTimeout(Duration.ofSeconds(timeoutSeconds)).joinUntilTrainingEnds();
      return 0;
    }
    Mnist.Data mnist = Mnist.loadData();
    Dataset train = mnist.train();
    Model model;
    Strategy strategy = null;
    if (config == null) {
      model = seedModel();
    } else {
      strategy = strategy(config);
      try (var scope = strategy.scope()) {
        model = seedModel();
      }
      System.out.println(strategy);
    }
    // Each worker trains on batches of batchSize: with parameter servers each reads its own shard;
    // mirrored workers read the global batches and fit gives each its part, as Keras's fit does.
    int globalBatch = batchSize;
    if (strategy instanceof MultiWorkerMirroredStrategy) {
      globalBatch = batchSize * strategy.numReplicas();
    } else if (strategy != null) {
      train = train.shard(strategy.numReplicas(), strategy.replicaIndex());
    }
    long[] stepNanos = new long[steps];
    Callback timer =
        new Callback() {
          private long start;

          @Override
          public void onTrainBatchBegin(int batch) {
            start = System.nanoTime();
          }

          @Override
          public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
            stepNanos[batch] = System.nanoTime() - start;
          }
        };
    var history =
        model.fit(
            train.repeat().batch(globalBatch, true),
            new FitOptions().epochs(1).stepsPerEpoch(steps).verbose(0).callbacks(timer));
    long[] timed = Arrays.copyOfRange(stepNanos, Math.min(10, steps - 1), steps); // after warm-up
    Arrays.sort(timed);
    System.out.printf(
        "steps %d, batch %d per worker: loss %.4f, accuracy %.4f, median step %.2f ms%n",
        steps, batchSize, history.get("loss").get(0), history.get("accuracy").get(0),
        timed[timed.length / 2] / 1e6);
    if (strategy != null) {
      strategy.close(); // with ParameterServerStrategy the ps exit once every worker has closed
    }
    return 0;
  }

  /** The strategy {@code --strategy} names, by default the one the cluster's jobs call for. */
  private Strategy strategy(TfConfig config) {
    String name = strategyName != null ? strategyName : config.cluster().numTasks("ps") > 0 ? "ps" : "mirrored";
    Duration timeout = Duration.ofSeconds(timeoutSeconds);
    return switch (name) {
      case "ps" -> new ParameterServerStrategy(config).synchronous(!async).operationTimeout(timeout);
      case "mirrored" -> {
        if (async) {
          throw new CommandLine.ParameterException(
              new CommandLine(this), "--async needs --strategy ps: MultiWorkerMirroredStrategy is synchronous.");
        }
        yield new MultiWorkerMirroredStrategy(config)
            .bytesPerPack(bytesPerPack)
            .operationTimeout(timeout);
      }
      default ->
          throw new CommandLine.ParameterException(
              new CommandLine(this), "--strategy must be ps or mirrored, received \"" + name + "\".");
    };
  }

  /** The seed model, as {@link MnistDemo}'s. */
  static Model seedModel() {
    Model model =
        new Sequential(
            Input.of(28, 28, 1),
            new Conv2D(32, 3, Activation.RELU),
            new Flatten(),
            new Dense(128, Activation.RELU),
            new Dense(10));
    model.compile(
        new Adam(0.001), new SparseCategoricalCrossentropy(true), new SparseCategoricalAccuracy("accuracy"));
    return model;
  }
}
