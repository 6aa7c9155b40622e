package dev.tfkeras.bench;

import dev.tfkeras.runtime.GraphRuntime;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.image.DecodeImage;
import org.tensorflow.types.TString;
import org.tensorflow.types.TUint8;

/**
 * The measurement behind {@code imageDatasetFromDirectory}'s choice of decoder: JPEG decoding
 * throughput of {@code javax.imageio} ({@code ImageIO.read} and the pixels as RGB) against
 * TensorFlow's {@code DecodeImage} run through a session, on the same in-memory 64 × 64 JPEGs,
 * with 1 and 2 threads, alternating rounds.
 *
 * <pre>
 * java -cp $CP dev.tfkeras.bench.ImageDecoderBenchmark [images=2000] [rounds=3]
 * </pre>
 */
public final class ImageDecoderBenchmark {

  private ImageDecoderBenchmark() {}

  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    Random random = new Random(1);
    List<byte[]> jpegs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
      Graphics2D g = image.createGraphics();
      g.setColor(new Color(random.nextInt(0x1000000)));
      g.fillRect(0, 0, 64, 64);
      g.setColor(new Color(random.nextInt(0x1000000)));
      g.fillOval(random.nextInt(40), random.nextInt(40), 30, 30);
      g.dispose();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ImageIO.write(image, "jpg", out);
      jpegs.add(out.toByteArray());
    }
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Placeholder<TString> input = tf.placeholder(TString.class);
      Operand<TUint8> decoded =
          tf.image.decodeImage(input, TUint8.class, DecodeImage.channels(3L), DecodeImage.expandAnimations(false));
      try (Session session = GraphRuntime.openSession(graph)) {
        for (int round = 1; round <= rounds; round++) {
          for (int threads : new int[] {1, 2}) {
            double imageIo = rate(jpegs, threads, jpeg -> () -> {
              BufferedImage image = ImageIO.read(new ByteArrayInputStream(jpeg));
              return image.getRGB(0, 0, 64, 64, null, 0, 64).length;
            });
            double tensorFlow = rate(jpegs, threads, jpeg -> () -> {
              try (TString bytes = TString.tensorOfBytes(NdArrays.scalarOfObject(jpeg));
                  Result result = session.runner().feed(input, bytes).fetch(decoded).run()) {
                return (int) result.get(0).shape().size();
              }
            });
            System.out.printf(Locale.ROOT, "round %d, %d thread(s): javax.imageio %.0f images/s, TensorFlow DecodeImage %.0f images/s%n",
                round, threads, imageIo, tensorFlow);
          }
        }
      }
    }
  }

  interface Task {
    Callable<Integer> of(byte[] jpeg) throws IOException;
  }

  private static double rate(List<byte[]> jpegs, int threads, Task task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      long start = System.nanoTime();
      List<Future<Integer>> results = new ArrayList<>();
      for (byte[] jpeg : jpegs) {
        results.add(pool.submit(task.of(jpeg)));
      }
      for (Future<Integer> result : results) {
        result.get();
      }
      return jpegs.size() / ((System.nanoTime() - start) / 1e9);
    } finally {
      pool.shutdown();
    }
  }
}
