package dev.tfkeras.bench;

import dev.tfkeras.data.Batch;
import dev.tfkeras.data.Dataset;
import dev.tfkeras.utils.CsvOptions;
import dev.tfkeras.utils.Utils;
import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Throughput and resident memory of {@code Utils.csvDataset} streaming a CSV table of N rows (two
 * int, two float and one quoted string column, an int label; 100,000 and 1,000,000 rows by
 * default), three passes each, batches of 256 shuffled by a 10,000-row buffer. Each size runs in a
 * child JVM with a fixed, pre-touched 256 MB heap, so that resident memory differs only by what
 * the data path holds outside the heap; a table that was held in memory would not fit the heap at
 * 1,000,000 rows of boxed values.
 *
 * <pre>
 * java [-Dorg.bytedeco.javacpp.maxPhysicalBytes=0] -cp $CP dev.tfkeras.bench.CsvStreamingBenchmark [rows=100000,1000000] [passes=3]
 * </pre>
 *
 * JavaCPP settings ({@code -Dorg.bytedeco.javacpp.*}) given to this JVM are passed on to the child
 * JVMs: {@code maxPhysicalBytes=0} stops JavaCPP from checking the process's resident memory at
 * every native allocation, one per value of a string tensor.
 *
 * Prints, per run: the file's size, the time (wall and process CPU) to make the dataset (one
 * checking read of the file), then rows/s, process CPU seconds (and those of the calling thread,
 * which makes the batches' tensors while the prefetch thread parses, shuffles and gathers), VmRSS
 * and used heap after each pass, and the heap a pass holds half-way through (one more, untimed pass); the parent prints a
 * summary line per run. On a shared machine the CPU seconds are the steadier figure: wall time
 * also counts the time other processes hold the cores.
 */
public final class CsvStreamingBenchmark {

  private static final Path DIRECTORY = Path.of("/tmp/tfkeras-csv-bench");
  private static final String SUMMARY = "summary: ";
  /** System properties given to this JVM under this prefix are given to the child JVMs too. */
  private static final String JAVACPP_PROPERTIES = "org.bytedeco.javacpp.";

  private CsvStreamingBenchmark() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("child")) {
      child(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
      return;
    }
    String sizes = args.length > 0 ? args[0] : "100000,1000000";
    int passes = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    List<String> summaries = new ArrayList<>();
    for (String size : sizes.split(",")) {
      int rows = Integer.parseInt(size);
      write(rows);
      List<String> command = new ArrayList<>(List.of(
          ProcessHandle.current().info().command().orElse("java"), "-Xms256m", "-Xmx256m",
          "-XX:+AlwaysPreTouch"));
      for (String name : System.getProperties().stringPropertyNames()) {
        if (name.startsWith(JAVACPP_PROPERTIES)) {
          command.add("-D" + name + "=" + System.getProperty(name)); // e.g. maxPhysicalBytes, to compare
        }
      }
      command.addAll(List.of("-cp", System.getProperty("java.class.path"),
          CsvStreamingBenchmark.class.getName(), "child", Integer.toString(rows), Integer.toString(passes)));
      Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(child.getInputStream()))) {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          System.out.println(line);
          if (line.startsWith(SUMMARY)) {
            summaries.add(line.substring(SUMMARY.length()));
          }
        }
      }
      if (child.waitFor() != 0) {
        throw new IllegalStateException("the child run for " + rows + " rows failed: " + child.exitValue());
      }
    }
    System.out.printf(Locale.ROOT, "%n%-12s %8s %6s %6s %s%n", "rows", "file MB", "made s", "CPU s",
        "rows/s CPU-s caller-CPU-s RSS-MB heap-MB, per pass");
    summaries.forEach(System.out::println);
  }

  private static Path file(int rows) {
    return DIRECTORY.resolve("table-" + rows + ".csv");
  }

  /** A deterministic table, written once and reused. */
  private static void write(int rows) throws IOException {
    Files.createDirectories(DIRECTORY);
    Path path = file(rows);
    if (Files.exists(path)) {
      return;
    }
    String[] cities = {"Paris", "Lyon, FR", "Berlin", "Zürich", "New \"York\""};
    SplittableRandom random = new SplittableRandom(rows);
    Path part = DIRECTORY.resolve(path.getFileName() + ".part");
    try (BufferedWriter out = Files.newBufferedWriter(part, StandardCharsets.UTF_8)) {
      out.write("age,visits,income,score,city,label\n");
      for (int i = 0; i < rows; i++) {
        String city = cities[random.nextInt(cities.length)].replace("\"", "\"\"");
        out.write(String.format(Locale.ROOT, "%d,%d,%.2f,%.5f,\"%s\",%d%n", 18 + random.nextInt(70),
            random.nextInt(1000), random.nextDouble() * 1e5, random.nextGaussian(), city, random.nextInt(2)));
      }
    }
    Files.move(part, path, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  private static void child(int rows, int passes) throws IOException {
    Path path = file(rows);
    long start = System.nanoTime();
    long startCpu = cpuNanos();
    Dataset data = Utils.csvDataset(path, new CsvOptions().labelName("label").numEpochs(1).batchSize(256).shuffleSeed(1));
    double made = (System.nanoTime() - start) / 1e9;
    double madeCpu = (cpuNanos() - startCpu) / 1e9;
    System.out.printf(Locale.ROOT, "%,d rows, %.1f MB, dataset made (checking read) in %.2f s, %.2f CPU s: %s%n",
        rows, Files.size(path) / 1e6, made, madeCpu, data);
    StringBuilder summary = new StringBuilder(
        String.format(Locale.ROOT, "%-12d %8.1f %6.2f %6.2f ", rows, Files.size(path) / 1e6, made, madeCpu));
    for (int pass = 0; pass < passes; pass++) {
      long begin = System.nanoTime();
      long beginCpu = cpuNanos();
      long beginCaller = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
      long seen = 0;
      for (Batch batch : data) {
        try (batch) {
          seen += batch.size();
        }
      }
      double seconds = (System.nanoTime() - begin) / 1e9;
      double cpu = (cpuNanos() - beginCpu) / 1e9;
      double caller = (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - beginCaller) / 1e9;
      System.gc();
      long heap = (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20;
      long rss = vmRss();
      System.out.printf(Locale.ROOT, "pass %d: %,d rows in %.2f s (%,.0f rows/s), %.2f CPU s (%.2f s on the"
              + " calling thread, which makes the tensors), VmRSS %d MB, heap used %d MB%n",
          pass + 1, seen, seconds, seen / seconds, cpu, caller, rss, heap);
      summary.append(String.format(Locale.ROOT, "| %,.0f %.2f %.2f %d %d ", seen / seconds, cpu, caller, rss, heap));
    }
    long midPass = heapMidPass(data, rows);
    System.out.printf(Locale.ROOT, "heap used mid-pass (after a collection half-way through an untimed pass) %d MB%n", midPass);
    summary.append(String.format(Locale.ROOT, "| mid-pass heap %d MB", midPass));
    System.out.println(SUMMARY + summary);
  }

  /**
   * The heap a pass holds while it runs (the shuffle buffer and whatever its rows keep alive): used
   * heap after a collection half-way through one more, untimed pass.
   */
  private static long heapMidPass(Dataset data, int rows) {
    long used = -1;
    long seen = 0;
    for (Batch batch : data) {
      try (batch) {
        seen += batch.size();
        if (used < 0 && seen >= rows / 2) {
          System.gc();
          used = (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20;
        }
      }
    }
    return used;
  }

  /** CPU time of this process (every thread: the pipeline's, the caller's, the collector's, the compiler's). */
  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private static long vmRss() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", "")) >> 10;
      }
    }
    return -1;
  }
}
