package dev.tfkeras.bench;

import dev.tfkeras.data.Batch;
import dev.tfkeras.data.Dataset;
import dev.tfkeras.utils.ImageDatasetOptions;
import dev.tfkeras.utils.Utils;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Throughput and resident memory of {@code Utils.imageDatasetFromDirectory} over a folder of
 * 10,000 small generated JPEGs (10 class folders; 64 × 64 pictures of a few random shapes),
 * read for 3 epochs with 1 decode thread and then with one per core. Each setting runs in a child
 * JVM with a fixed, pre-touched heap ({@code -Xms512m -Xmx512m -XX:+AlwaysPreTouch}), so that the
 * VmRSS figures show what the pipeline holds outside the heap, epoch after epoch.
 *
 * <pre>
 * java -cp $CP dev.tfkeras.bench.ImageFolderBenchmark [images=10000] [epochs=3] [threads=1,N] [size=128]
 * </pre>
 *
 * Per epoch it prints images/s, the CPU time the process used per second of wall time (cores
 * busy), and VmRSS from /proc/self/status. The images are written once under {@code
 * /tmp/tfkeras-imagefolder-bench} and reused.
 */
public final class ImageFolderBenchmark {

  private static final Path DIRECTORY = Path.of("/tmp/tfkeras-imagefolder-bench");

  private ImageFolderBenchmark() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("child")) {
      child(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]));
      return;
    }
    int images = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    String threads = args.length > 2 ? args[2] : "1," + Runtime.getRuntime().availableProcessors();
    int size = args.length > 3 ? Integer.parseInt(args[3]) : 128;
    Path folder = DIRECTORY.resolve(Integer.toString(images));
    long t0 = System.nanoTime();
    int written = writeImages(folder, images);
    System.out.printf(Locale.ROOT, "%d JPEGs in %s (%d written now, %.1f s)%n", images, folder, written,
        (System.nanoTime() - t0) / 1e9);
    for (String n : threads.split(",")) {
      List<String> command = new ArrayList<>();
      command.add(ProcessHandle.current().info().command().orElse("java"));
      command.addAll(List.of("-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch", "-cp", System.getProperty("java.class.path")));
      command.add(ImageFolderBenchmark.class.getName());
      command.addAll(List.of("child", folder.toString(), n, Integer.toString(epochs), Integer.toString(size)));
      System.out.printf(Locale.ROOT, "%n== numParallelCalls=%s, imageSize %dx%d, batch 32, child JVM, fixed 512 MB heap ==%n", n, size, size);
      Process process = new ProcessBuilder(command).inheritIO().start();
      if (process.waitFor() != 0) {
        throw new IllegalStateException("the run with " + n + " threads failed");
      }
    }
  }

  private static void child(Path folder, int threads, int epochs, int size) throws IOException {
    System.out.printf(Locale.ROOT, "start: VmRSS %d MB%n", rssMegabytes());
    Dataset dataset =
        Utils.imageDatasetFromDirectory(folder,
            new ImageDatasetOptions().imageSize(size, size).numParallelCalls(threads).seed(1337));
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    for (int epoch = 1; epoch <= epochs; epoch++) {
      long cpu0 = os.getProcessCpuTime();
      long t0 = System.nanoTime();
      int count = 0;
      double checksum = 0;
      for (Batch batch : dataset) {
        try (batch) {
          count += batch.size();
          checksum += ((org.tensorflow.types.TFloat32) batch.features()).getFloat(0, 0, 0, 0);
        }
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      double cores = (os.getProcessCpuTime() - cpu0) / 1e9 / seconds;
      System.out.printf(Locale.ROOT, "epoch %d: %d images in %.2f s, %.0f images/s, %.2f cores busy, VmRSS %d MB (checksum %.0f)%n",
          epoch, count, seconds, count / seconds, cores, rssMegabytes(), checksum);
    }
  }

  /** Writes the images that are not there yet; returns how many it wrote. */
  private static int writeImages(Path folder, int images) throws IOException {
    Random random = new Random(42);
    int written = 0;
    for (int i = 0; i < images; i++) {
      int label = i % 10;
      Path file = folder.resolve("class_" + label).resolve("image_" + i + ".jpg");
      if (Files.exists(file)) {
        continue;
      }
      Files.createDirectories(file.getParent());
      BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
      Graphics2D g = image.createGraphics();
      g.setColor(new Color(random.nextInt(0x1000000)));
      g.fillRect(0, 0, 64, 64);
      for (int s = 0; s < 4; s++) {
        g.setColor(new Color(random.nextInt(0x1000000)));
        g.fillOval(random.nextInt(48), random.nextInt(48), 8 + random.nextInt(24), 8 + random.nextInt(24));
      }
      g.dispose();
      ImageIO.write(image, "jpg", file.toFile());
      written++;
    }
    return written;
  }

  private static long rssMegabytes() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
      }
    }
    return -1;
  }
}
