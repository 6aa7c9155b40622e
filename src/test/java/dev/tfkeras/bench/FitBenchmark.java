package dev.tfkeras.bench;

import dev.tfkeras.data.Dataset;
import dev.tfkeras.datasets.Mnist;
import dev.tfkeras.demo.MyModel;
import dev.tfkeras.losses.SparseCategoricalCrossentropy;
import dev.tfkeras.metrics.SparseCategoricalAccuracy;
import dev.tfkeras.optimizers.Adam;
import java.util.Locale;

/**
 * Times {@code fit} on the seed model over the seed pipeline ({@code shuffle(10000).batch(32)}),
 * printing ms/step for the epochs after a warm-up epoch, to compare with {@link TrainStepBenchmark}.
 *
 * <p>Run: {@code java -cp target/test-classes:target/classes:$(cat cp.txt)
 * dev.tfkeras.bench.FitBenchmark [steps per epoch, default 600] [epochs, default 2]}
 */
public final class FitBenchmark {

  public static void main(String[] args) throws Exception {
    int steps = args.length > 0 ? Integer.parseInt(args[0]) : 600;
    int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    var data = Mnist.loadData();
    Dataset train = data.train().shuffle(10_000, 1).batch(32).take(steps).prefetch(2);
    try (var model = new MyModel()) {
      model.compile(new Adam(), new SparseCategoricalCrossentropy(true), new SparseCategoricalAccuracy("accuracy"));
      model.fit(train, 1, null, 0); // warm-up: tracing and first allocations
      long start = System.nanoTime();
      model.fit(train, epochs, null, 0);
      double ms = (System.nanoTime() - start) / 1e6 / ((double) steps * epochs);
      System.out.printf(Locale.ROOT, "fit, MNIST pipeline batches:           %.2f ms/step over %d steps (%.1f s/epoch of 1875 steps)%n",
          ms, steps * epochs, ms * 1875 / 1000);
    }
  }
}
