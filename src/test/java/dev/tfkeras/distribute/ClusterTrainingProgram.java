package dev.tfkeras.distribute;

import dev.tfkeras.layers.Activation;
import dev.tfkeras.autodiff.GradientTape;
import dev.tfkeras.callbacks.BackupAndRestore;
import dev.tfkeras.callbacks.Callback;
import dev.tfkeras.data.Batch;
import dev.tfkeras.function.TfFunction;
import dev.tfkeras.data.Dataset;
import dev.tfkeras.layers.Conv2D;
import dev.tfkeras.layers.Dense;
import dev.tfkeras.layers.Flatten;
import dev.tfkeras.layers.Input;
import dev.tfkeras.losses.Loss;
import dev.tfkeras.losses.MeanSquaredError;
import dev.tfkeras.losses.SparseCategoricalCrossentropy;
import dev.tfkeras.models.FitOptions;
import dev.tfkeras.models.Model;
import dev.tfkeras.models.Sequential;
import dev.tfkeras.optimizers.Adam;
import dev.tfkeras.optimizers.Optimizer;
import dev.tfkeras.optimizers.SGD;
import dev.tfkeras.runtime.GraphRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TNumber;

/**
 * One task of the test clusters, run in its own JVM by {@link LocalCluster}: a ps serves; the
 * chief and the workers train the test model on their shard, with {@link ParameterServerStrategy}
 * if the cluster has a ps, {@link MultiWorkerMirroredStrategy} otherwise, and write the weights they end with
 * to {@code <out>.<type>-<index>} (or the error to {@code .error}).
 *
 * <p>Arguments: out file prefix, synchronous (true/false), steps, operation timeout in ms, and
 * optionally the replica index that trains with a custom loop ({@code strategy.run}) instead of
 * {@code fit} (-1: none), the model, {@code dense} (default) or {@code seed}, and for fault
 * tests a {@code BackupAndRestore} directory with its save frequency in batches and the step after
 * which the chief crashes (halts with status 137; -1: never). After training every task saves the
 * weights to {@code <out>.saved} (only the chief's save remains).
 *
 * <p>The ps gives up on a worker that stopped answering for the operation timeout, or never
 * answered within the {@link #STARTUP_TIMEOUT_PROPERTY}, and then exits with status 3 (0 when
 * training ended). A {@link #PAUSE_PROPERTY} makes one worker sleep mid-training (a slow worker).
 */
public final class ClusterTrainingProgram {

  static final long SEED = 42;
  /** The ps's startup timeout in ms, a system property (default 10 minutes). */
  static final String STARTUP_TIMEOUT_PROPERTY = "tfkeras.test.startupTimeoutMillis";
  /** {@code replica:afterStep:millis}, a system property: that replica sleeps after that step. */
  static final String PAUSE_PROPERTY = "tfkeras.test.pause";
  /** The exit status of a chief that crashed on purpose, as {@code kill -9} gives. */
  static final int CRASHED = 137;
  static final int BATCH = 8;
  static final int FEATURES = 8;

  private ClusterTrainingProgram() {}

  /**
   * The models the tasks and the single-process references train: {@code "dense"}, a small
   * regression MLP with SGD, or {@code "seed"}, the seed model (Conv2D 32, Flatten, Dense 128,
   * Dense 10) with Adam on synthetic 28x28 images.
   */
  static Model model(String kind) {
    Model model = uncompiledModel(kind);
    if (kind.equals(SEED_MODEL)) {
      model.compile(new Adam(0.001), new SparseCategoricalCrossentropy(true));
    } else {
      model.compile(new SGD(LEARNING_RATE), new MeanSquaredError());
    }
    return model;
  }

  static final String SEED_MODEL = "seed";
  /** A system property: true gives each task its own random seed (SEED + replica index). */
  static final String SEED_PER_TASK_PROPERTY = "tfkeras.test.seedPerTask";
  /** A system property: MultiWorkerMirroredStrategy's bytesPerPack (default 0, one pack). */
  static final String BYTES_PER_PACK_PROPERTY = "tfkeras.test.bytesPerPack";
  static final String DENSE_MODEL = "dense";
  static final double LEARNING_RATE = 0.05;

  static Model uncompiledModel(String kind) {
    if (kind.equals(SEED_MODEL)) {
      return new Sequential(
          Input.of(28, 28, 1),
          new Conv2D(32, 3, Activation.RELU),
          new Flatten(),
          new Dense(128, Activation.RELU),
          new Dense(10));
    }
    return new Sequential(Input.of(FEATURES), new Dense(16, Activation.RELU), new Dense(1));
  }

  /** {@code n} examples for {@code kind}'s model: a fixed linear target, or digit-like labels of images. */
  static Dataset data(String kind, int n) {
    if (kind.equals(SEED_MODEL)) {
      float[][][][] x = new float[n][28][28][1];
      int[] y = new int[n];
      for (int i = 0; i < n; i++) {
        y[i] = i % 10;
        for (int r = 0; r < 28; r++) {
          for (int c = 0; c < 28; c++) {
            // a label-dependent stripe plus noise-like texture, in [0, 1]
            x[i][r][c][0] = (float) (0.5 + 0.25 * Math.sin(0.3 * (r + 1) * (y[i] + 1) + c) + 0.25 * Math.sin(i * 31 + r * 7 + c));
          }
        }
      }
      return Dataset.fromTensorSlices(x, y);
    }
    return data(n);
  }

  /** {@code n} examples of a fixed linear target. */
  static Dataset data(int n) {
    float[][] x = new float[n][FEATURES];
    float[][] y = new float[n][1];
    for (int i = 0; i < n; i++) {
      float target = 0.5f;
      for (int j = 0; j < FEATURES; j++) {
        x[i][j] = (float) Math.sin(i * FEATURES + j);
        target += (j - 3.5f) / 4f * x[i][j];
      }
      y[i][0] = target;
    }
    return Dataset.fromTensorSlices(x, y);
  }

  /** The model's weights, each flattened. */
  static List<float[]> weights(Model model) {
    List<float[]> all = new ArrayList<>();
    for (FloatNdArray weight : model.getWeights()) {
      float[] values = new float[(int) weight.size()];
      int[] i = {0};
      weight.scalars().forEach(s -> values[i[0]++] = s.getFloat());
      all.add(values);
    }
    return all;
  }

  static void write(Path file, String text) throws IOException {
    Path part = file.resolveSibling(file.getFileName() + ".part");
    Files.writeString(part, text);
    Files.move(part, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  static List<float[]> read(Path file) throws IOException {
    List<float[]> all = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      String[] parts = line.trim().split(" ");
      float[] values = new float[parts.length];
      for (int i = 0; i < parts.length; i++) {
        values[i] = Float.parseFloat(parts[i]);
      }
      all.add(values);
    }
    return all;
  }

  /** The Keras guide's custom training loop, one strategy.run per batch. */
  @SuppressWarnings("unchecked")
  private static void customLoop(Strategy strategy, Model model, Dataset shard, String kind) {
    boolean seed = kind.equals(SEED_MODEL);
    Optimizer optimizer = seed ? new Adam(0.001) : new SGD(LEARNING_RATE);
    Loss lossObject = seed ? new SparseCategoricalCrossentropy(true) : new MeanSquaredError();
    TfFunction<TFloat32> trainStep =
        TfFunction.returningAny(
                (List<Operand<?>> xy) -> {
                  var tape = new GradientTape();
                  Operand<TFloat32> loss;
                  try (tape) {
                    Operand<TFloat32> predictions = model.apply((Operand<TFloat32>) xy.get(0), true);
                    loss = lossObject.call((Operand<? extends TNumber>) xy.get(1), predictions);
                  }
                  optimizer.applyGradients(tape.gradient(loss, model.trainableVariables()), model.trainableVariables());
                  return loss;
                })
            .named("train_step");
    int step = 0;
    for (Batch batch : shard) {
      try (batch;
          TFloat32 loss = strategy.run(trainStep, batch.features(), batch.labels())) {
        System.out.println("step " + ++step + " loss " + loss.getFloat());
      }
    }
  }

  public static void main(String[] args) throws IOException {
    LocalCluster.exitAfterTimeLimit();
    TfConfig config = TfConfig.fromEnvironment();
    if (config.task().type().equals("ps")) {
      TaskServer server;
      try {
        server = TaskServer.start(config);
      } catch (IllegalStateException portInUse) {
        portInUse.printStackTrace();
        Runtime.getRuntime().halt(LocalCluster.EXIT_PORT_IN_USE);
        return;
      }
      server
          .operationTimeout(Duration.ofMillis(Long.parseLong(args[3])))
          .startupTimeout(Duration.ofMillis(Long.getLong(STARTUP_TIMEOUT_PROPERTY, 600_000)));
      int status = 0;
      try {
        server.joinUntilTrainingEnds();
        System.out.println("training ended: ps exits");
      } catch (TaskUnavailableException lost) {
        System.out.println(lost.getMessage());
        status = 3;
      }
      System.out.flush();
      Runtime.getRuntime().halt(status);
      return;
    }
    Path out = Path.of(args[0] + "." + config.task().type() + "-" + config.task().index());
    boolean synchronous = Boolean.parseBoolean(args[1]);
    int steps = Integer.parseInt(args[2]);
    long timeoutMillis = Long.parseLong(args[3]);
    Strategy strategy =
        config.cluster().numTasks("ps") > 0
            ? new ParameterServerStrategy(config)
                .synchronous(synchronous)
                .operationTimeout(Duration.ofMillis(timeoutMillis))
            : new MultiWorkerMirroredStrategy(config)
                .bytesPerPack(Long.getLong(BYTES_PER_PACK_PROPERTY, 0))
                .operationTimeout(Duration.ofMillis(timeoutMillis));
    // with SEED_PER_TASK_PROPERTY each task draws other initial values: the chief's must win
    GraphRuntime.setRandomSeed(SEED + (Boolean.getBoolean(SEED_PER_TASK_PROPERTY) ? strategy.replicaIndex() : 0));
    boolean customLoop = args.length > 4 && Integer.parseInt(args[4]) == strategy.replicaIndex();
    try {
      strategy.runtime(); // starts this task's server
    } catch (IllegalStateException portInUse) {
      portInUse.printStackTrace();
      Runtime.getRuntime().halt(LocalCluster.EXIT_PORT_IN_USE);
    }
    String kind = args.length > 5 ? args[5] : DENSE_MODEL;
    Model model;
    try (var scope = strategy.scope()) {
      model = customLoop ? uncompiledModel(kind) : model(kind);
    }
    int replicas = strategy.numReplicas();
    Dataset data = data(kind, steps * replicas * BATCH);
    // With parameter servers each worker reads its own shard, as with Keras's; mirrored workers are
    // given the global batches, which fit splits itself (Keras's fit distributes its dataset) and
    // the custom loop takes through strategy.distributeDataset, as Keras's custom loops do.
    boolean mirrored = strategy instanceof MultiWorkerMirroredStrategy;
    Dataset global = data.batch(replicas * BATCH);
    Dataset shard =
        !mirrored ? data.shard(replicas, strategy.replicaIndex()).batch(BATCH)
            : customLoop ? strategy.distributeDataset(global)
            : global;
    Callback progress =
        new Callback() {
          @Override
          public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
            System.out.println("step " + (batch + 1) + " loss " + logs.get("loss"));
          }
        };
    List<Callback> callbacks = new ArrayList<>(List.of(progress));
    String pause = System.getProperty(PAUSE_PROPERTY); // replica:afterStep:millis
    if (pause != null && Integer.parseInt(pause.split(":")[0]) == strategy.replicaIndex()) {
      int afterStep = Integer.parseInt(pause.split(":")[1]);
      long millis = Long.parseLong(pause.split(":")[2]);
      callbacks.add(
          new Callback() {
            @Override
            public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
              if (batch + 1 == afterStep) {
                System.out.println("pausing " + millis + " ms after step " + afterStep);
                try {
                  Thread.sleep(millis);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
            }
          });
    }
    if (args.length > 6) {
      callbacks.add(new BackupAndRestore(Path.of(args[6])).saveFreq(Integer.parseInt(args[7])));
      int crashAfter = Integer.parseInt(args[8]);
      callbacks.add(
          new Callback() {
            @Override
            public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
              if (strategy.isChief() && batch + 1 == crashAfter) {
                System.out.println("crashing after step " + crashAfter);
                System.out.flush();
                Runtime.getRuntime().halt(CRASHED);
              }
            }
          });
    }
    int status = 0;
    long start = System.nanoTime();
    System.out.println("jvm up " + java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() + " ms");
    try {
      if (customLoop) {
        customLoop(strategy, model, shard, kind);
      } else {
        model.fit(shard, new FitOptions().epochs(1).verbose(0).callbacks(callbacks.toArray(Callback[]::new)));
      }
      model.saveWeights(Path.of(args[0] + ".saved"));
      strategy.close(); // the ps exits once every worker has closed
      StringBuilder text = new StringBuilder();
      for (float[] weight : weights(model)) {
        StringBuilder line = new StringBuilder();
        for (float v : weight) {
          line.append(line.length() == 0 ? "" : " ").append(v);
        }
        text.append(line).append('\n');
      }
      write(out, text.toString());
      System.out.println("done: fit took " + (System.nanoTime() - start) / 1_000_000 + " ms");
    } catch (TaskUnavailableException e) {
      write(out.resolveSibling(out.getFileName() + ".error"), e.getMessage());
      e.printStackTrace();
      status = 3;
    } catch (RuntimeException e) {
      e.printStackTrace();
      status = 1;
    }
    System.out.flush();
    // TensorFlow cannot stop a server: the process ends by exiting.
    Runtime.getRuntime().halt(status);
  }
}
