package dev.tfkeras.bench;

import dev.tfkeras.data.Batch;
import dev.tfkeras.data.Dataset;
import dev.tfkeras.datasets.Mnist;
import java.util.Locale;

/**
 * Times one epoch of the seed pipeline ({@code shuffle(10000).batch(32).prefetch(2)} over MNIST's
 * 60,000 training images) without training, printing ms/batch: the host-side cost per step.
 */
public final class DatasetBenchmark {

  public static void main(String[] args) throws Exception {
    Mnist.Data data = Mnist.loadData();
    for (int prefetch : new int[] {0, 2}) {
      Dataset ds = data.train().shuffle(10_000, 1).batch(32);
      if (prefetch > 0) {
        ds = ds.prefetch(prefetch);
      }
      for (int round = 0; round < 2; round++) {
        long start = System.nanoTime();
        long batches = 0;
        for (Batch batch : ds) {
          try (batch) {
            batches++;
          }
        }
        double ms = (System.nanoTime() - start) / 1e6;
        System.out.printf(Locale.ROOT, "prefetch %d, epoch %d: %d batches in %.0f ms (%.3f ms/batch)%n",
            prefetch, round + 1, batches, ms, ms / batches);
      }
    }
  }
}
