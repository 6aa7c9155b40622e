package dev.tfkeras.bench;

import dev.tfkeras.autodiff.GradientTape;
import dev.tfkeras.function.TfFunction;
import dev.tfkeras.layers.Dense;
import dev.tfkeras.layers.GRU;
import dev.tfkeras.layers.LSTM;
import dev.tfkeras.layers.Layer;
import dev.tfkeras.losses.MeanSquaredError;
import dev.tfkeras.optimizers.Adam;
import dev.tfkeras.runtime.GraphRuntime;
import java.util.Locale;
import java.util.Random;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * Times a recurrent layer's traced train step (layer, Dense(1), MSE, Adam): the first call, which
 * traces the unrolled loop, adds its gradients and runs once, then the mean of later steps.
 * Defaults: LSTM(32) over 200 steps of 8 features at batch 32.
 *
 * <p>Run: {@code mvn -q -o test-compile exec:exec -Ddemo.main=dev.tfkeras.bench.RecurrentBenchmark
 * -Dexec.classpathScope=test} (arguments: steps, units, batch, repetitions, lstm|gru).
 */
public final class RecurrentBenchmark {

  public static void main(String[] args) {
    int steps = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int units = args.length > 1 ? Integer.parseInt(args[1]) : 32;
    int batch = args.length > 2 ? Integer.parseInt(args[2]) : 32;
    int repetitions = args.length > 3 ? Integer.parseInt(args[3]) : 50;
    String kind = args.length > 4 ? args[4] : "lstm";
    int features = 8;
    Random random = new Random(1);
    float[] x = new float[batch * steps * features];
    float[] y = new float[batch];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) random.nextGaussian();
    }
    for (int i = 0; i < y.length; i++) {
      y[i] = random.nextFloat();
    }
    Layer rnn = kind.equals("gru") ? new GRU(units) : new LSTM(units);
    Dense head = new Dense(1);
    var loss = new MeanSquaredError();
    var optimizer = new Adam();
    var trainStep =
        TfFunction.of(
            TFloat32.class,
            TFloat32.class,
            (inputs, targets) -> {
              var tape = new GradientTape();
              Operand<TFloat32> value;
              try (tape) {
                value = loss.call(targets, head.apply(rnn.apply(inputs, true), true));
              }
              var variables = new java.util.ArrayList<>(rnn.trainableVariables());
              variables.addAll(head.trainableVariables());
              optimizer.applyGradients(tape.gradient(value, variables), variables);
            });
    try (TFloat32 xs = TFloat32.tensorOf(Shape.of(batch, steps, features), DataBuffers.of(x, true, false));
        TFloat32 ys = TFloat32.tensorOf(Shape.of(batch, 1), DataBuffers.of(y, true, false))) {
      var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
      long cpu = os.getProcessCpuTime();
      long start = System.nanoTime();
      trainStep.call(xs, ys);
      double first = (System.nanoTime() - start) / 1e6;
      double firstCpu = (os.getProcessCpuTime() - cpu) / 1e6;
      int ops = 0;
      java.util.Map<String, Integer> types = new java.util.TreeMap<>();
      for (var it = GraphRuntime.current().graph().operations(); it.hasNext(); ) {
        types.merge(it.next().type(), 1, Integer::sum);
        ops++;
      }
      if (System.getProperty("bench.ops") != null) {
        System.out.println(types);
      }
      for (int i = 0; i < 5; i++) {
        trainStep.call(xs, ys);
      }
      cpu = os.getProcessCpuTime();
      start = System.nanoTime();
      for (int i = 0; i < repetitions; i++) {
        trainStep.call(xs, ys);
      }
      double ms = (System.nanoTime() - start) / 1e6 / repetitions;
      double msCpu = (os.getProcessCpuTime() - cpu) / 1e6 / repetitions;
      System.out.printf(
          Locale.ROOT,
          "%s(%d), %d steps, batch %d: first call (trace + gradients + first run) %.0f ms (%.0f ms CPU),"
              + " graph %d ops; train step %.1f ms (%.1f ms CPU, mean of %d)%n",
          kind.toUpperCase(Locale.ROOT), units, steps, batch, first, firstCpu, ops, ms, msCpu, repetitions);
    }
  }
}
