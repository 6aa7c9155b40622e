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
 * on the same MNIST batches, one after the other in one JVM: ms/step (median, p90), the time of an
 * epoch at that pace, resident memory, and the ratio to the baseline (the mean of a baseline run
 * before and one after, so that drift of the machine shows).
 *
 * <p>Run (see benchmarks/README.md): {@code java -cp target/test-classes:target/classes:$(cat cp.txt)
 * dev.tfkeras.bench.SideBySideBenchmark [steps per mode, default 600] [seed|convnet|lstm ...]}
 */
public final class SideBySideBenchmark {

  private static final int WARMUP = 50;

  record Figures(String mode, double median, double p90, double mean, long rssMb) {}

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
    int steps = args.length > 0 ? Integer.parseInt(args[0]) : 600;
    List<String> models = args.length > 1 ? Arrays.asList(args).subList(1, args.length) : List.of("seed", "convnet");
    Mnist.Data data = Mnist.loadData();
    Dataset train = data.train();
    System.out.printf(Locale.ROOT, "%d steps per mode after %d warm-up steps; %d cores; %s%n",
        steps, WARMUP, Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"));
    for (String name : models) {
      Benchmarked benchmarked = named(name);
      int batchSize = benchmarked.batchSize();
      int stepsPerEpoch = benchmarked.stepsPerEpoch();
      Supplier<Dataset> batches = () -> train.shuffle(10_000, 1).batch(batchSize).repeat().prefetch(2);
      List<Figures> figures = new ArrayList<>();
      figures.add(baseline(benchmarked, batches.get(), steps));
      figures.add(customLoop(benchmarked, batches.get(), steps));
      figures.add(fit(benchmarked, batches.get(), steps));
      figures.add(baseline(benchmarked, batches.get(), steps));
      double base = (figures.get(0).median() + figures.get(3).median()) / 2;
      System.out.printf(Locale.ROOT, "%n%s (batch %d)%n", benchmarked.title(), batchSize);
      System.out.printf(Locale.ROOT, "%-22s %10s %10s %10s %12s %8s %9s%n", "mode", "median ms", "p90 ms", "mean ms",
          "epoch s", "RSS MB", "vs raw");
      for (Figures f : figures) {
        System.out.printf(Locale.ROOT, "%-22s %10.2f %10.2f %10.2f %12.1f %8d %9.3f%n", f.mode(), f.median(), f.p90(),
            f.mean(), f.mean() * stepsPerEpoch / 1000, f.rssMb(), f.median() / base);
      }
    }
  }

  private static Benchmarked named(String name) {
    return MODELS.stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow(() ->
        new IllegalArgumentException("Unknown model \"" + name + "\": expected one of "
            + MODELS.stream().map(Benchmarked::name).toList() + "."));
  }

  private static Figures baseline(Benchmarked benchmarked, Dataset batches, int steps) {
    try (RawTfBaseline raw = benchmarked.baseline().get()) {
      return timed("raw TensorFlow Java", batches, steps, raw::step);
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

  private static Figures customLoop(Benchmarked benchmarked, Dataset batches, int steps) {
    GraphRuntime.reset();
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
      return timed("tfkeras custom loop", batches, steps, b -> trainStep.call(b.features(), b.labels()));
    } finally {
      GraphRuntime.reset();
    }
  }

  private static Figures fit(Benchmarked benchmarked, Dataset batches, int steps) {
    GraphRuntime.reset();
    try (Model model = benchmarked.model().get()) {
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
      return figures("tfkeras fit", Arrays.copyOfRange(times, WARMUP, times.length));
    } finally {
      GraphRuntime.reset();
    }
  }

  private static Figures timed(String mode, Dataset batches, int steps, java.util.function.Consumer<Batch> step) {
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
    return figures(mode, times);
  }

  private static Figures figures(String mode, long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    double median = sorted[sorted.length / 2] / 1e6;
    double p90 = sorted[(int) (sorted.length * 0.9)] / 1e6;
    double mean = Arrays.stream(nanos).average().orElse(0) / 1e6;
    return new Figures(mode, median, p90, mean, residentMb());
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
