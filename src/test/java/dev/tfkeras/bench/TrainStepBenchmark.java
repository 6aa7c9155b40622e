package dev.tfkeras.bench;

import dev.tfkeras.autodiff.GradientTape;
import dev.tfkeras.demo.MyModel;
import dev.tfkeras.function.TfFunction;
import dev.tfkeras.losses.SparseCategoricalCrossentropy;
import dev.tfkeras.metrics.Mean;
import dev.tfkeras.metrics.SparseCategoricalAccuracy;
import dev.tfkeras.optimizers.Adam;
import java.util.Locale;
import java.util.Random;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Times the seed model's traced train step at batch 32 on fixed random batches (no data
 * pipeline), printing ms/step: the figure to compare with a hand-written TF-Java graph loop.
 *
 * <p>Run: {@code mvn -q -o test-compile exec:exec -Ddemo.main=dev.tfkeras.bench.TrainStepBenchmark
 * -Dexec.classpathScope=test}
 */
public final class TrainStepBenchmark {

  /** VmRSS of this process in kB (Linux), or -1. */
  private static long residentKb() {
    try {
      for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (java.io.IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  private static long heapCommittedMb() {
    return Runtime.getRuntime().totalMemory() / (1024 * 1024);
  }

  public static void main(String[] args) throws Exception {
    int warmup = 50;
    int steps = args.length > 0 ? Integer.parseInt(args[0]) : 500;
    Random random = new Random(1);
    float[] images = new float[32 * 28 * 28];
    int[] labels = new int[32];
    for (int i = 0; i < images.length; i++) {
      images[i] = random.nextFloat();
    }
    for (int i = 0; i < labels.length; i++) {
      labels[i] = random.nextInt(10);
    }
    try (var model = new MyModel();
        TFloat32 x = TFloat32.tensorOf(Shape.of(32, 28, 28, 1), DataBuffers.of(images, true, false));
        TInt32 y = TInt32.tensorOf(Shape.of(32), DataBuffers.of(labels, true, false))) {
      var lossObject = new SparseCategoricalCrossentropy(true);
      var optimizer = new Adam();
      var trainLoss = new Mean("train_loss");
      var trainAccuracy = new SparseCategoricalAccuracy("train_accuracy");
      var trainStep =
          TfFunction.of(
              TFloat32.class,
              TInt32.class,
              (images1, labels1) -> {
                var tape = new GradientTape();
                Operand<TFloat32> predictions;
                Operand<TFloat32> loss;
                try (tape) {
                  predictions = model.apply(images1, true);
                  loss = lossObject.call(labels1, predictions);
                }
                optimizer.applyGradients(tape.gradient(loss, model.trainableVariables()), model.trainableVariables());
                trainLoss.update(loss);
                trainAccuracy.update(labels1, predictions);
              });
      for (int i = 0; i < warmup; i++) {
        trainStep.call(x, y);
      }
      long rssBefore = residentKb();
      long start = System.nanoTime();
      for (int i = 0; i < steps; i++) {
        trainStep.call(x, y);
      }
      double ms = (System.nanoTime() - start) / 1e6 / steps;
      long rssAfter = residentKb();
      System.out.printf(Locale.ROOT, "train step, one fixed batch:           %.2f ms/step over %d steps (%.1f s/epoch of 1875 steps)%n",
          ms, steps, ms * 1875 / 1000);

      // The same step fed by the seed pipeline: fresh tensors every step, prefetched on a thread.
      var data = dev.tfkeras.datasets.Mnist.loadData();
      var pipeline = data.train().shuffle(10_000, 1).batch(32).prefetch(2);
      int done = 0;
      start = 0;
      long rssPipelineBefore = 0;
      while (done < steps + warmup) { // as many epochs as the step count needs
        try (var batches = pipeline.iterator()) {
          while (batches.hasNext() && done < steps + warmup) {
            try (var batch = batches.next()) {
              if (done++ == warmup) {
                rssPipelineBefore = residentKb();
                start = System.nanoTime();
              }
              trainStep.call(batch.features(), batch.labels());
            }
          }
        }
        System.out.printf(Locale.ROOT, "  after %d pipeline steps: resident memory %d MB%n", done, residentKb() / 1024);
      }
      ms = (System.nanoTime() - start) / 1e6 / steps;
      System.out.printf(Locale.ROOT, "train step, MNIST pipeline batches:    %.2f ms/step over %d steps (%.1f s/epoch of 1875 steps)%n",
          ms, steps, ms * 1875 / 1000);
      // Every batch tensor is closed: resident memory must not grow with the number of steps.
      System.out.printf(Locale.ROOT, "resident memory, fixed batch: %d MB -> %d MB over %d steps%n",
          rssBefore / 1024, rssAfter / 1024, steps);
      System.out.printf(Locale.ROOT, "resident memory, pipeline (fresh tensors per step): %d MB -> %d MB over %d steps (Java heap committed: %d MB)%n",
          rssPipelineBefore / 1024, residentKb() / 1024, steps, heapCommittedMb());
    }
  }
}
