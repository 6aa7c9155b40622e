package dev.tfkeras.metrics;

import dev.tfkeras.function.Trace;
import dev.tfkeras.runtime.GraphRuntime;
import dev.tfkeras.variables.Variable;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A streaming metric with Keras semantics: {@code update} inside traced steps accumulates a
 * running total and count in graph variables; {@link #result()} and {@link #resetState()} are
 * called between steps, from the host.
 *
 * <p>Written here rather than wrapping tensorflow-framework's metrics, which count the static
 * batch size (-1 when unknown) instead of the real number of samples.
 */
public abstract class Metric {

  private final String name;
  private GraphRuntime runtime;
  private Ops tf;
  private Variable<TFloat32> total;
  private Variable<TFloat32> count;
  private Operand<TFloat32> resultOp;
  private Op resetOp;

  protected Metric(String name) {
    this.name = Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("A metric name must not be blank, received: \"" + name + "\".");
    }
  }

  /** The metric's name, e.g. {@code train_loss}: the key of its value in training logs. */
  public String name() {
    return name;
  }

  /**
   * Adds per-sample values to the running mean in the function being traced; the update runs on
   * every call of that function.
   */
  protected final void accumulate(Operand<TFloat32> values) {
    accumulate(values, null);
  }

  /**
   * Adds {@code values} weighted by {@code weights} (broadcast to the values' shape): the running
   * mean becomes sum(values × weights) / sum(weights). A null weight counts every value once.
   */
  protected final void accumulate(Operand<TFloat32> values, Operand<TFloat32> weights) {
    Trace trace = Trace.current();
    bind(trace.runtime());
    Ops t = trace.ops().withSubScope(name);
    Operand<TFloat32> w =
        weights == null ? t.onesLike(values) : t.math.mul(t.onesLike(values), weights);
    trace.addUpdate(t.assignAdd(total.handle(), sumAll(t, t.math.mul(values, w))));
    trace.addUpdate(t.assignAdd(count.handle(), sumAll(t, w)));
  }

  private static Operand<TFloat32> sumAll(Ops t, Operand<TFloat32> x) {
    return t.sum(x, t.range(t.constant(0), t.rank(x), t.constant(1)));
  }

  /** The current value: the mean of everything accumulated since the last reset (0 if nothing). */
  public double result() {
    return results(java.util.List.of(this)).get(name);
  }

  /**
   * The current values of several metrics, fetched in one session run, keyed by name in the given
   * order; metrics never updated read 0.
   */
  public static java.util.Map<String, Double> results(java.util.List<? extends Metric> metrics) {
    java.util.Map<String, Double> values = new java.util.LinkedHashMap<>();
    GraphRuntime shared = null;
    java.util.List<Metric> bound = new java.util.ArrayList<>();
    for (Metric metric : metrics) {
      values.put(metric.name, 0.0);
      if (metric.runtime != null) {
        metric.runtime.checkOpen();
        if (shared != null && shared != metric.runtime) {
          throw new IllegalArgumentException(
              "Metrics '" + bound.get(0).name + "' and '" + metric.name + "' live in different"
                  + " runtimes; read them separately.");
        }
        shared = metric.runtime;
        bound.add(metric);
      }
    }
    if (bound.isEmpty()) {
      return values;
    }
    var runner = shared.session().runner();
    for (Metric metric : bound) {
      runner.fetch(metric.resultOperand());
    }
    try (Result result = runner.run()) {
      for (int i = 0; i < bound.size(); i++) {
        values.put(bound.get(i).name, (double) ((TFloat32) result.get(i)).getFloat());
      }
    }
    return values;
  }

  private Operand<TFloat32> resultOperand() {
    if (resultOp == null) {
      resultOp = tf.math.divNoNan(total.read(tf), count.read(tf));
    }
    return resultOp;
  }

  /** Clears the accumulated state, as at the start of an epoch. */
  public void resetState() {
    if (runtime == null) {
      return;
    }
    runtime.checkOpen();
    if (resetOp == null) {
      resetOp =
          tf.withControlDependencies(
                  java.util.List.of(
                      tf.assign(total.handle(), tf.constant(0f)),
                      tf.assign(count.handle(), tf.constant(0f))))
              .noOp();
    }
    runtime.session().runner().addTarget(resetOp).run().close();
  }

  private void bind(GraphRuntime traceRuntime) {
    if (runtime == null) {
      runtime = traceRuntime;
      tf = runtime.ops().withSubScope(name);
      Ops init = tf.withInitScope();
      total = Variable.create(runtime, tf, "total", name + "/total", init.constant(0f), false);
      count = Variable.create(runtime, tf, "count", name + "/count", init.constant(0f), false);
    } else if (runtime != traceRuntime) {
      throw new IllegalStateException(
          "Metric '" + name + "' was first updated in another runtime"
              + (runtime.isClosed() ? ", which is closed" : "")
              + ". Create a new metric for a new model.");
    }
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + name + "]";
  }
}
