package dev.tfkeras.bench;

import dev.tfkeras.callbacks.Callback;
import dev.tfkeras.data.Dataset;
import dev.tfkeras.data.DatasetIterator;
import dev.tfkeras.data.Example;
import dev.tfkeras.demo.MyModel;
import dev.tfkeras.io.Npy;
import dev.tfkeras.io.NpyHeader;
import dev.tfkeras.losses.SparseCategoricalCrossentropy;
import dev.tfkeras.metrics.SparseCategoricalAccuracy;
import dev.tfkeras.models.FitOptions;
import dev.tfkeras.optimizers.Adam;
import dev.tfkeras.runtime.GraphRuntime;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.tensorflow.ndarray.ByteNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * Resident memory of training the seed model on MNIST-shaped data streamed from {@code .npy}
 * files ({@link Dataset#fromNpyFiles}) at 1x (60,000 rows) and 10x (600,000 rows), against the
 * in-memory {@code fromTensorSlices} path at 1x. Each run is a child JVM with the same flags
 * ({@code -Xms768m -Xmx768m -XX:+AlwaysPreTouch}): a fixed heap, resident from the start, so that
 * the RSS figures differ only by what the data path holds outside it and one run's heap sizing
 * does not pass for the file's size.
 *
 * <p>Each run prints VmRSS and the Java heap at start, after reading 600,000 examples through the
 * pipeline without training (the whole 10x file once, or the 1x file ten times, so that both runs
 * read and allocate alike and only the file size differs), after each training epoch, and the
 * peak (VmHWM); the parent then prints one summary line per run.
 *
 * <pre>
 * java -cp $CP dev.tfkeras.bench.StreamingMemoryBenchmark [stepsPerEpoch=300] [epochs=4] [runs=stream:1,stream:10,memory:1]
 * </pre>
 *
 * The files are written once under {@code /tmp/tfkeras-streaming-bench} (uint8 images (N, 28, 28)
 * and int32 labels (N,), deterministic synthetic digits: a class-dependent stroke plus noise, an
 * easy task, since only memory is measured here) and reused by later runs.
 */
public final class StreamingMemoryBenchmark {

  private static final int MNIST_ROWS = 60_000;
  private static final Path DIRECTORY = Path.of("/tmp/tfkeras-streaming-bench");

  private StreamingMemoryBenchmark() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("child")) {
      child(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]));
      return;
    }
    int steps = args.length > 0 ? Integer.parseInt(args[0]) : 300;
    int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    String runs = args.length > 2 ? args[2] : "stream:1,stream:10,memory:1";
    List<String> summaries = new ArrayList<>();
    for (String run : runs.split(",")) {
      String[] parts = run.split(":");
      int rows = MNIST_ROWS * Integer.parseInt(parts[1]);
      writeFiles(rows);
      List<String> command = new ArrayList<>();
      command.add(ProcessHandle.current().info().command().orElse("java"));
      command.addAll(List.of("-Xms768m", "-Xmx768m", "-XX:+AlwaysPreTouch", "-cp", System.getProperty("java.class.path")));
      command.add(StreamingMemoryBenchmark.class.getName());
      command.addAll(List.of("child", parts[0], Integer.toString(rows), Integer.toString(steps), Integer.toString(epochs)));
      System.out.printf(Locale.ROOT, "%n== %s, %s rows (%dx MNIST), %d steps x %d epochs, child JVM, fixed 768 MB heap ==%n",
          parts[0].equals("stream") ? "Dataset.fromNpyFiles" : "Dataset.fromTensorSlices (in memory)",
          rows, rows / MNIST_ROWS, steps, epochs);
      Process child =
          new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(child.getInputStream()))) {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          System.out.println(line);
          if (line.startsWith(SUMMARY)) {
            summaries.add(line.substring(SUMMARY.length()));
          }
        }
      }
      if (child.waitFor() != 0) {
        throw new IllegalStateException("the child run " + run + " failed with exit code " + child.exitValue());
      }
    }
    System.out.printf(Locale.ROOT, "%n%-30s %12s %12s %s%n", "run", "file MB", "after read", "RSS MB after each epoch | peak");
    summaries.forEach(System.out::println);
  }

  private static final String SUMMARY = "summary: ";

  private static Path images(int rows) {
    return DIRECTORY.resolve("images-" + rows + ".npy");
  }

  private static Path labels(int rows) {
    return DIRECTORY.resolve("labels-" + rows + ".npy");
  }

  /** Writes the files for {@code rows} examples, unless they are there with the right size. */
  private static void writeFiles(int rows) throws IOException {
    Files.createDirectories(DIRECTORY);
    Path images = images(rows);
    Path labels = labels(rows);
    long imageBytes = 128L + (long) rows * 784;
    if (Files.exists(images) && Files.size(images) == imageBytes && Files.exists(labels)
        && Files.size(labels) == 128L + 4L * rows) {
      return;
    }
    long start = System.nanoTime();
    try (OutputStream x = new BufferedOutputStream(Files.newOutputStream(images), 1 << 20);
        OutputStream y = new BufferedOutputStream(Files.newOutputStream(labels), 1 << 16)) {
      NpyHeader.write(x, "|u1", rows, 28, 28);
      NpyHeader.write(y, "<i4", rows);
      byte[] image = new byte[784];
      ByteBuffer label = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < rows; i++) {
        int digit = digit(i, image);
        x.write(image);
        y.write(label.putInt(0, digit).array());
      }
    }
    System.out.printf(Locale.ROOT, "wrote %s (%,d bytes) and %s in %.1f s%n",
        images, Files.size(images), labels, (System.nanoTime() - start) / 1e9);
  }

  /** Example {@code i}: a class-dependent stroke (a bar in one of ten places) plus noise. */
  private static int digit(int i, byte[] image) {
    SplittableRandom random = new SplittableRandom(i);
    int digit = random.nextInt(10);
    boolean horizontal = digit < 5;
    int offset = 4 + (digit % 5) * 4 + random.nextInt(3) - 1;
    for (int p = 0; p < 784; p++) {
      int row = p / 28;
      int col = p % 28;
      int along = horizontal ? row : col;
      int across = horizontal ? col : row;
      boolean stroke = Math.abs(along - offset) <= 1 && across >= 5 && across <= 22;
      image[p] = (byte) (stroke ? 180 + random.nextInt(76) : random.nextInt(100) < 90 ? 0 : random.nextInt(120));
    }
    return digit;
  }

  private static void child(String mode, int rows, int steps, int epochs) throws Exception {
    Path images = images(rows);
    Path labels = labels(rows);
    report("start");
    Dataset source;
    if (mode.equals("stream")) {
      source = Dataset.fromNpyFiles(images, labels);
    } else {
      source = Dataset.fromTensorSlices(readUint8(images, rows), readInt32(labels, rows));
      report("arrays loaded");
    }
    System.out.printf(Locale.ROOT, "files: %s (%,d bytes), %s (%,d bytes)%n",
        images, Files.size(images), labels, Files.size(labels));
    Dataset pipeline = source.shuffle(10_000, 1).map(StreamingMemoryBenchmark::scaled).batch(32).prefetch(2);

    long start = System.nanoTime();
    int passes = Math.max(1, 10 * MNIST_ROWS / rows);
    try (DatasetIterator pass = pipeline.repeat(passes).iterator()) {
      while (pass.hasNext()) {
        pass.next().close();
      }
    }
    long afterRead =
        report(String.format(Locale.ROOT, "read 600,000 examples in %d pass(es), no training (%.1f s)",
            passes, (System.nanoTime() - start) / 1e9));
    List<Long> perEpoch = new ArrayList<>();

    GraphRuntime.setRandomSeed(1);
    try (MyModel model = new MyModel()) {
      model.compile(new Adam(), new SparseCategoricalCrossentropy(true), new SparseCategoricalAccuracy());
      Callback memory =
          new Callback() {
            private long epochStart = System.nanoTime();

            @Override
            public void onEpochEnd(int epoch, Map<String, Double> logs) {
              perEpoch.add(
                  report(String.format(Locale.ROOT, "epoch %d (%.1f s, loss %.4f, accuracy %.4f)", epoch + 1,
                      (System.nanoTime() - epochStart) / 1e9, logs.get("loss"),
                      logs.get("sparse_categorical_accuracy"))));
              epochStart = System.nanoTime();
            }
          };
      model.fit(pipeline.repeat(), new FitOptions().epochs(epochs).stepsPerEpoch(steps).verbose(0).callbacks(memory));
    }
    report("end");
    System.out.printf(Locale.ROOT, "%s%-30s %12d %12d %s | %d%n", SUMMARY,
        mode + " " + rows / MNIST_ROWS + "x (" + rows + " rows)", Files.size(images) >> 20, afterRead,
        perEpoch, status("VmHWM:") / 1024);
  }

  /** Prints VmRSS, VmHWM and the heap now; returns VmRSS in MB. */
  private static long report(String when) {
    Runtime runtime = Runtime.getRuntime();
    long rss = status("VmRSS:") / 1024;
    System.out.printf(Locale.ROOT, "  %-62s VmRSS %5d MB  VmHWM %5d MB  heap used %4d MB of %4d MB%n",
        when, rss, status("VmHWM:") / 1024,
        (runtime.totalMemory() - runtime.freeMemory()) >> 20, runtime.totalMemory() >> 20);
    return rss;
  }

  /** A /proc/self/status field in kB (Linux), or -1. */
  private static long status(String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(field)) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  /** uint8 (28, 28) to float32 (28, 28, 1) in [0, 1], as the seed notebook scales MNIST. */
  private static Example scaled(Example example) {
    ByteNdArray pixels = (ByteNdArray) example.features();
    byte[] bytes = new byte[784];
    pixels.copyTo(DataBuffers.of(bytes, false, false));
    float[] values = new float[784];
    for (int i = 0; i < 784; i++) {
      values[i] = (bytes[i] & 0xFF) / 255f;
    }
    return Example.of(NdArrays.wrap(Shape.of(28, 28, 1), DataBuffers.of(values, false, false)), example.labels());
  }

  private static ByteNdArray readUint8(Path file, int rows) throws IOException {
    Npy.Array array = read(file);
    byte[] bytes = new byte[rows * 784];
    array.data().get(bytes);
    return NdArrays.wrap(Shape.of(rows, 28, 28), DataBuffers.of(bytes, false, false));
  }

  private static int[] readInt32(Path file, int rows) throws IOException {
    int[] values = new int[rows];
    read(file).data().asIntBuffer().get(values);
    return values;
  }

  private static Npy.Array read(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return Npy.read(in, file.toString(), Files.size(file));
    }
  }
}
