package dev.tfkeras.bench;

import dev.tfkeras.runtime.GraphRuntime;
import java.util.Arrays;
import java.util.Locale;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * What one session call costs beyond its ops: a call that feeds a batch of MNIST images and labels
 * and runs one scalar update, i.e. what {@code stepsPerExecution} (several train steps per session
 * call) could save per step at most. Compare with the ms/step of {@link SideBySideBenchmark}.
 *
 * <p>Run: {@code java -cp target/test-classes:target/classes:$(cat cp.txt)
 * dev.tfkeras.bench.SessionCallBenchmark [calls per round, default 5000] [batch sizes, default 32 128]}
 */
public final class SessionCallBenchmark {

  public static void main(String[] args) {
    int calls = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
    int[] batches = args.length > 1
        ? Arrays.stream(args).skip(1).mapToInt(Integer::parseInt).toArray()
        : new int[] {32, 128};
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      var x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 28, 28, 1)));
      var y = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
      var sum = tf.variable(tf.constant(0f));
      var first = tf.gather(tf.reshape(x, tf.constant(new long[] {-1})), tf.constant(0), tf.constant(0));
      var label = tf.dtypes.cast(tf.gather(y, tf.constant(0), tf.constant(0)), TFloat32.class);
      var update = tf.assignAdd(sum, tf.math.add(first, label));
      try (Session session = GraphRuntime.openSession(graph)) {
        session.initialize();
        for (int batch : batches) {
          try (TFloat32 images = TFloat32.tensorOf(Shape.of(batch, 28, 28, 1));
              TInt32 labels = TInt32.tensorOf(Shape.of(batch))) {
            double[] rounds = new double[5];
            for (int r = 0; r < rounds.length; r++) {
              long start = System.nanoTime();
              for (int i = 0; i < calls; i++) {
                session.runner().feed(x, images).feed(y, labels).addTarget(update).run().close();
              }
              rounds[r] = (System.nanoTime() - start) / 1e3 / calls;
            }
            Arrays.sort(rounds);
            System.out.printf(Locale.ROOT,
                "batch %d: one session call (feed images and labels, one update) %.1f us (median of 5 rounds of %d"
                    + " calls; rounds %.1f-%.1f us)%n", batch, rounds[2], calls, rounds[0], rounds[4]);
          }
        }
      }
    }
  }
}
