package dev.tfkeras.bench;

import dev.tfkeras.autodiff.GradientTape;
import dev.tfkeras.callbacks.Callback;
import dev.tfkeras.data.Batch;
import dev.tfkeras.data.Dataset;
import dev.tfkeras.data.DatasetIterator;
import dev.tfkeras.datasets.Mnist;
import dev.tfkeras.demo.MyModel;
import dev.tfkeras.function.TfFunction;
import dev.tfkeras.layers.Activation;
import dev.tfkeras.layers.Conv2D;
import dev.tfkeras.layers.Dense;
import dev.tfkeras.layers.Dropout;
import dev.tfkeras.layers.Flatten;
import dev.tfkeras.layers.LSTM;
import dev.tfkeras.layers.MaxPooling2D;
import dev.tfkeras.layers.Reshape;
import dev.tfkeras.losses.Loss;
import dev.tfkeras.losses.SparseCategoricalCrossentropy;
import dev.tfkeras.metrics.Mean;
import dev.tfkeras.metrics.SparseCategoricalAccuracy;
import dev.tfkeras.models.FitOptions;
import dev.tfkeras.models.Model;
import dev.tfkeras.models.Sequential;
import dev.tfkeras.optimizers.Adam;
import dev.tfkeras.runtime.GraphRuntime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * tfkeras's custom loop and fit against a hand-written TensorFlow Java loop ({@link RawTfBaseline})
 * on the same MNIST batches in one JVM: ms/step (median, p90), the time of an epoch at that pace,
 * resident memory, and the ratio of medians to the baseline's. The modes run in rounds, in an
 * order rotated each round (raw, custom, fit; then custom, fit, raw; ...), and each mode's steps are
 * pooled over the rounds, so that the JVM's warm-up and the machine's drift fall on every mode alike.
 *
 * <p>Run (see benchmarks/README.md): {@code java -cp target/test-classes:target/classes:$(cat cp.txt)
 * dev.tfkeras.bench.SideBySideBenchmark [steps per mode and round, default 400] [seed|convnet|lstm ..., default
 * all three] [--rounds N (default 3)] [--intra N] [--inter N] [--jit]}. {@code --intra}/{@code --inter} set
 * TensorFlow's thread pools for the whole process (every mode); {@code --jit} compiles tfkeras's
 * modes with XLA ({@code Model.setJitCompile}), the baseline stays as written.
 */
public final class SideBySideBenchmark {

  private static final int WARMUP = 50;

  record Figures(String mode, double median, double p90, double mean, long rssMb, List<Double> roundMedians) {}

  private enum Mode {
    RAW("raw TensorFlow Java"),
    CUSTOM("tfkeras custom loop"),
    FIT("tfkeras fit");

    final String label;

    Mode(String label) {
      this.label = label;
    }
  }

  private static boolean jit;

  /** A model named on the command line: its tfkeras form, its hand-written baseline, how it trains. */
  record Benchmarked(String name, String title, int batchSize, int stepsPerEpoch, boolean fromLogits,
      Supplier<Model> model, Supplier<RawTfBaseline> baseline) {}

  private static final List<Benchmarked> MODELS = List.of(
      new Benchmarked("seed", "seed model", 32, 1875, true, MyModel::new, RawTfBaseline::seedModel),
      // mnist_convnet trains on 54,000 examples (validation split 0.1)
      new Benchmarked("convnet", "mnist_convnet", 128, 422, false, SideBySideBenchmark::convnet,
          RawTfBaseline::mnistConvnet),
      new Benchmarked("lstm", "MNIST rows through LSTM(64)", 128, 469, true, SideBySideBenchmark::lstm,
          RawTfBaseline::lstmClassifier));

  public static void main(String[] args) throws Exception {
    int steps = 400;
    int rounds = 3;
    List<String> models = new ArrayList<>();
    boolean stepsGiven = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--intra" -> GraphRuntime.setIntraOpParallelismThreads(Integer.parseInt(args[++i]));
        case "--inter" -> GraphRuntime.setInterOpParallelismThreads(Integer.parseInt(args[++i]));
        case "--jit" -> jit = true;
        default -> {
          if (!stepsGiven && args[i].matches("\\d+")) {
            steps = Integer.parseInt(args[i]);
            stepsGiven = true;
          } else {
            models.add(args[i]);
          }
        }
      }
    }
    if (models.isEmpty()) {
      models = List.of("seed", "convnet", "lstm");
    }
    Mnist.Data data = Mnist.loadData();
    Dataset train = data.train();
    System.out.printf(Locale.ROOT,
        "%d steps per mode and round after %d warm-up steps, %d rounds; %d cores; %s; intra-op %d, inter-op %d"
            + " threads (0: TensorFlow's choice); XLA for tfkeras %s%n",
        steps, WARMUP, rounds, Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
        GraphRuntime.intraOpParallelismThreads(), GraphRuntime.interOpParallelismThreads(), jit ? "on" : "off");
    for (String name : models) {
      Benchmarked benchmarked = named(name);
      int batchSize = benchmarked.batchSize();
      int stepsPerEpoch = benchmarked.stepsPerEpoch();
      Supplier<Dataset> batches = () -> train.shuffle(10_000, 1).batch(batchSize).repeat().prefetch(2);
      java.util.Map<Mode, List<long[]>> times = new java.util.EnumMap<>(Mode.class);
      java.util.Map<Mode, Long> rss = new java.util.EnumMap<>(Mode.class);
      Mode[] modes = Mode.values();
      for (int round = 0; round < rounds; round++) {
        for (int k = 0; k < modes.length; k++) {
          Mode mode = modes[(k + round) % modes.length];
          long[] nanos = switch (mode) {
            case RAW -> baseline(benchmarked, batches.get(), steps);
            case CUSTOM -> customLoop(benchmarked, batches.get(), steps);
            case FIT -> fit(benchmarked, batches.get(), steps);
          };
          times.computeIfAbsent(mode, m -> new ArrayList<>()).add(nanos);
          rss.merge(mode, residentMb(), Math::max);
        }
      }
      List<Figures> figures = new ArrayList<>();
      for (Mode mode : modes) {
        figures.add(figures(mode.label, times.get(mode), rss.get(mode)));
      }
      double base = figures.get(0).median();
      System.out.printf(Locale.ROOT, "%n%s (batch %d)%n", benchmarked.title(), batchSize);
      System.out.printf(Locale.ROOT, "%-22s %10s %10s %10s %10s %8s %9s   %s%n", "mode", "median ms", "p90 ms",
          "mean ms", "epoch s", "RSS MB", "vs raw", "median per round");
      for (Figures f : figures) {
        StringBuilder perRound = new StringBuilder();
        for (double m : f.roundMedians()) {
          perRound.append(perRound.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.2f", m));
        }
        System.out.printf(Locale.ROOT, "%-22s %10.2f %10.2f %10.2f %10.1f %8d %9.3f   %s%n", f.mode(), f.median(),
            f.p90(), f.mean(), f.mean() * stepsPerEpoch / 1000, f.rssMb(), f.median() / base, perRound);
      }
    }
  }

  private static Benchmarked named(String name) {
    return MODELS.stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow(() ->
        new IllegalArgumentException("Unknown model \"" + name + "\": expected one of "
            + MODELS.stream().map(Benchmarked::name).toList() + "."));
  }

  private static long[] baseline(Benchmarked benchmarked, Dataset batches, int steps) {
    try (RawTfBaseline raw = benchmarked.baseline().get()) {
      return timed(batches, steps, raw::step);
    }
  }

  private static Model convnet() {
    return new Sequential(new Conv2D(32, 3, Activation.RELU), new MaxPooling2D(2), new Conv2D(64, 3, Activation.RELU),
        new MaxPooling2D(2), new Flatten(), new Dropout(0.5f), new Dense(10, Activation.SOFTMAX));
  }

  /** Keras's MNIST row-sequence classifier: 28 steps of 28 features, LSTM(64), Dense 10 logits. */
  static Model lstm() {
    return new Sequential(new Reshape(28, 28), new LSTM(64), new Dense(10));
  }

  private static long[] customLoop(Benchmarked benchmarked, Dataset batches, int steps) {
    GraphRuntime.reset();
    GraphRuntime.current().setJitCompile(jit);
    try (Model model = benchmarked.model().get()) {
      Loss lossObject = new SparseCategoricalCrossentropy(benchmarked.fromLogits());
      var optimizer = new Adam();
      var trainLoss = new Mean("train_loss");
      var trainAccuracy = new SparseCategoricalAccuracy("train_accuracy");
      var trainStep =
          TfFunction.of(TFloat32.class, TInt32.class, (images, labels) -> {
            var tape = new GradientTape();
            Operand<TFloat32> predictions;
            Operand<TFloat32> loss;
            try (tape) {
              predictions = model.apply(images, true);
              loss = lossObject.call(labels, predictions);
            }
            optimizer.applyGradients(tape.gradient(loss, model.trainableVariables()), model.trainableVariables());
            trainLoss.update(loss);
            trainAccuracy.update(labels, predictions);
          });
      return timed(batches, steps, b -> trainStep.call(b.features(), b.labels()));
    } finally {
      GraphRuntime.reset();
    }
  }

  private static long[] fit(Benchmarked benchmarked, Dataset batches, int steps) {
    GraphRuntime.reset();
    try (Model model = benchmarked.model().get()) {
      model.setJitCompile(jit);
      model.compile(new Adam(), new SparseCategoricalCrossentropy(benchmarked.fromLogits()), new SparseCategoricalAccuracy("accuracy"));
      long[] times = new long[steps + WARMUP];
      Callback clock =
          new Callback() {
            private long start;

            @Override
            public void onTrainBatchBegin(int batch) {
              start = System.nanoTime();
            }

            @Override
            public void onTrainBatchEnd(int batch, java.util.Map<String, Double> logs) {
              times[batch] = System.nanoTime() - start;
            }
          };
      model.fit(batches, new FitOptions().epochs(1).stepsPerEpoch(steps + WARMUP).verbose(0).callbacks(clock));
      return Arrays.copyOfRange(times, WARMUP, times.length);
    } finally {
      GraphRuntime.reset();
    }
  }

  private static long[] timed(Dataset batches, int steps, java.util.function.Consumer<Batch> step) {
    long[] times = new long[steps];
    try (DatasetIterator iterator = batches.iterator()) {
      for (int i = 0; i < WARMUP + steps; i++) {
        long start = System.nanoTime(); // from taking the batch, as fit's batch callbacks time it
        try (Batch batch = iterator.next()) {
          step.accept(batch);
        }
        if (i >= WARMUP) {
          times[i - WARMUP] = System.nanoTime() - start;
        }
      }
    }
    return times;
  }

  /** Figures of a mode's steps pooled over its rounds, with each round's median. */
  private static Figures figures(String mode, List<long[]> rounds, long rssMb) {
    long[] pooled = rounds.stream().flatMapToLong(Arrays::stream).sorted().toArray();
    List<Double> roundMedians = new ArrayList<>();
    for (long[] round : rounds) {
      long[] sorted = round.clone();
      Arrays.sort(sorted);
      roundMedians.add(sorted[sorted.length / 2] / 1e6);
    }
    double median = pooled[pooled.length / 2] / 1e6;
    double p90 = pooled[(int) (pooled.length * 0.9)] / 1e6;
    double mean = Arrays.stream(pooled).average().orElse(0) / 1e6;
    return new Figures(mode, median, p90, mean, rssMb, roundMedians);
  }

  private static long residentMb() {
    try {
      for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
        }
      }
    } catch (java.io.IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }
}
