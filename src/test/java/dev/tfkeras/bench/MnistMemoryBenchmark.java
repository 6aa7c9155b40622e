package dev.tfkeras.bench;

import dev.tfkeras.data.Batch;
import dev.tfkeras.data.Dataset;
import dev.tfkeras.datasets.Mnist;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.tensorflow.types.TFloat32;

/**
 * Resident memory of the seed pipeline: prints the process's RSS (VmRSS) and the Java heap in use
 * after a full GC, once MNIST is loaded, once {@code train().shuffle(10000, 1).batch(32).prefetch(2)}
 * is built, and after each of three epochs of iterating it (batches closed, no training), so that
 * the memory MNIST costs and any growth from epoch to epoch show.
 */
public final class MnistMemoryBenchmark {

  public static void main(String[] args) throws Exception {
    report("start");
    try (TFloat32 warmUp = TFloat32.scalarOf(0f)) {
      report("TensorFlow's native library loaded"); // so that it does not count as MNIST's memory
    }
    Mnist.Data data = Mnist.loadData();
    report("after load");
    Dataset train = data.train().shuffle(10_000, 1).batch(32).prefetch(2);
    report("after dataset build");
    for (int epoch = 1; epoch <= 3; epoch++) {
      long start = System.nanoTime();
      long batches = 0;
      for (Batch batch : train) {
        try (batch) {
          batches++;
        }
      }
      double ms = (System.nanoTime() - start) / 1e6;
      report(String.format(Locale.ROOT, "after epoch %d (%d batches, %.0f ms)", epoch, batches, ms));
    }
    // Keep the data reachable until the end, so that the figures above include it.
    System.out.println("train images: " + data.xTrain().shape());
  }

  private static void report(String when) throws IOException {
    System.gc();
    Runtime runtime = Runtime.getRuntime();
    long heapMb = (runtime.totalMemory() - runtime.freeMemory()) >> 20;
    System.out.printf(
        Locale.ROOT, "%-40s RSS %5d MB   heap used %5d MB   committed %5d MB%n",
        when, residentMb(), heapMb, runtime.totalMemory() >> 20);
  }

  /** VmRSS from /proc/self/status (Linux), in MB; -1 elsewhere. */
  static long residentMb() throws IOException {
    Path status = Path.of("/proc/self/status");
    if (!Files.isReadable(status)) {
      return -1;
    }
    for (String line : Files.readAllLines(status)) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) >> 10;
      }
    }
    return -1;
  }
}
