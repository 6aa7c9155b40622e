package dev.tfkeras.metrics;

import dev.tfkeras.function.Trace;
import dev.tfkeras.runtime.GraphRuntime;
import dev.tfkeras.saving.Config;
import dev.tfkeras.saving.Configurable;
import dev.tfkeras.variables.Variable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A streaming metric with Keras semantics: {@code update} inside traced steps accumulates state in
 * graph variables; {@link #result()} and {@link #resetState()} are called between steps, from the
 * host.
 *
 * <p>Lifecycle: the constructor declares the state with {@link #addVariable}; the first update
 * binds the metric to the runtime of the function being traced and creates the variables there
 * (zeros, in the runtime's init scope); every update adds to them through {@link #assignAdd},
 * which runs on each call of the traced function; {@link #computeResult} turns them into the
 * value.
 *
 * <p>Written here rather than wrapping tensorflow-framework's metrics, which count the static
 * batch size (-1 when unknown) instead of the real number of samples.
 */
public abstract class Metric implements Configurable {

  /** A float32 state variable of a metric, declared in the constructor, created on first update. */
  public static final class State {
    private final String name;
    private final Shape shape;
    private Variable<TFloat32> variable;

    private State(String name, Shape shape) {
      this.name = name;
      this.shape = shape;
    }

    /** The state's name inside its metric, e.g. {@code total}. */
    public String name() {
      return name;
    }

    /** Its static shape: {@code ()} for a scalar, {@code (thresholds,)} for confusion counts. */
    public Shape shape() {
      return shape;
    }

    /** The current value inside a traced function or a result computation. */
    public Operand<TFloat32> read(Ops tf) {
      if (variable == null) {
        throw new IllegalStateException(
            "State '" + name + "' is created on the metric's first update; read it after that.");
      }
      return variable.read(tf);
    }
  }

  private final String name;
  private final String scopeName;
  private final List<State> states = new ArrayList<>();
  private GraphRuntime runtime;
  private Ops tf;
  private Operand<TFloat32> resultOp;
  private Op resetOp;

  protected Metric(String name) {
    this.name = Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException(
          "A metric name must not be blank, received: \"" + name + "\".");
    }
    this.scopeName = scopeName(name);
  }

  /**
   * Refuses to change {@code option} once the first update traced the metric, whose ops keep the
   * settings they were built with.
   */
  protected final void checkNotUpdated(String option) {
    if (runtime != null) {
      throw new IllegalStateException(
          "Metric '" + name + "' has already been updated in a traced function, which fixed its"
              + " settings: set " + option + " before the first update, or create a new metric.");
    }
  }

  /** The metric's name, e.g. {@code train_loss}: the key of its value in training logs. */
  public String name() {
    return name;
  }

  /**
   * Declares a float32 state variable of {@code shape}, starting at zero and reset to zero by
   * {@link #resetState()}. Call it from the constructor.
   *
   * @throws IllegalStateException after the first update, when the variables already exist
   */
  protected final State addVariable(String stateName, Shape shape) {
    Objects.requireNonNull(stateName, "stateName");
    Objects.requireNonNull(shape, "shape");
    if (runtime != null) {
      throw new IllegalStateException(
          "Metric '" + name + "' cannot add state '" + stateName + "' after its first update:"
              + " declare all state in the constructor.");
    }
    if (shape.isUnknown() || shape.hasUnknownDimension()) {
      throw new IllegalArgumentException(
          "State '" + stateName + "' of metric '" + name + "' needs a fully known shape, received "
              + shape + ".");
    }
    for (State state : states) {
      if (state.name.equals(stateName)) {
        throw new IllegalArgumentException(
            "Metric '" + name + "' already has a state named '" + stateName + "'.");
      }
    }
    State state = new State(stateName, shape);
    states.add(state);
    return state;
  }

  /**
   * Ops of the function being traced, scoped under this metric's name, for an update's maths.
   *
   * @throws IllegalStateException outside a traced function
   */
  protected final Ops updateOps() {
    return Trace.current().ops().withSubScope(scopeName);
  }

  /**
   * Adds {@code delta} to {@code state} on every call of the function being traced; the first call
   * binds the metric to that function's runtime and creates its variables.
   */
  protected final void assignAdd(State state, Operand<TFloat32> delta) {
    Trace trace = Trace.current();
    bind(trace.runtime());
    if (!states.contains(state)) {
      throw new IllegalArgumentException(
          "State '" + state.name + "' does not belong to metric '" + name + "'.");
    }
    trace.addUpdate(trace.ops().withSubScope(scopeName).assignAdd(state.variable.handle(), delta));
  }

  /**
   * The metric's value from its state, built once in the runtime's graph: a float32 scalar, or a
   * vector of {@link #resultSize()} values (one per threshold, say).
   */
  protected abstract Operand<TFloat32> computeResult(Ops tf);

  /** How many values {@link #computeResult} returns: 1 for a scalar. */
  protected int resultSize() {
    return 1;
  }

  /**
   * The current value: e.g. the mean of everything accumulated since the last reset; what an
   * empty state gives (0 for every metric here) before any update.
   *
   * @throws IllegalStateException if the metric has several values; read them with {@link
   *     #resultValues()}
   */
  public double result() {
    return results(List.of(this)).get(name);
  }

  /** The current value element by element, e.g. one precision per threshold. */
  public double[] resultValues() {
    if (runtime == null) {
      return new double[resultSize()];
    }
    runtime.checkOpen();
    try (Result result = runtime.run(runtime.session().runner().fetch(hostResult()))) {
      TFloat32 value = (TFloat32) result.get(0);
      double[] values = new double[(int) value.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = value.rank() == 0 ? value.getFloat() : value.getFloat(i);
      }
      return values;
    }
  }

  /**
   * The current values of several metrics, fetched in one session run, keyed by name in the given
   * order; metrics never updated read 0.
   *
   * @throws IllegalArgumentException if a metric has several values or the metrics live in
   *     different runtimes
   */
  public static Map<String, Double> results(List<? extends Metric> metrics) {
    Map<String, Double> values = new LinkedHashMap<>();
    double[] fetched = resultsInOrder(metrics);
    for (int i = 0; i < metrics.size(); i++) {
      Metric metric = metrics.get(i);
      values.put(metric.name, fetched[i]);
    }
    return values;
  }

  /**
   * The current values of several metrics in the given order, fetched in one session run; unlike
   * {@link #results}, metrics may share a name (an "accuracy" per output of a model).
   */
  public static double[] resultsInOrder(List<? extends Metric> metrics) {
    double[] values = new double[metrics.size()];
    GraphRuntime shared = null;
    List<Integer> bound = new ArrayList<>();
    for (int i = 0; i < metrics.size(); i++) {
      Metric metric = metrics.get(i);
      if (metric.resultSize() != 1) {
        throw new IllegalArgumentException(
            "Metric '" + metric.name + "' has " + metric.resultSize() + " values (one per"
                + " threshold) and cannot be reported as one number: read it with resultValues(),"
                + " or give it a single threshold.");
      }
      if (metric.runtime != null) {
        metric.runtime.checkOpen();
        if (shared != null && shared != metric.runtime) {
          Metric first = metrics.get(bound.get(0));
          throw new IllegalArgumentException(
              "Metrics '" + first.name + "' and '" + metric.name + "' live in"
                  + " different runtimes; read them separately.");
        }
        shared = metric.runtime;
        bound.add(i);
      }
    }
    if (bound.isEmpty()) {
      return values;
    }
    var runner = shared.session().runner();
    for (int i : bound) {
      Metric metric = metrics.get(i);
      runner.fetch(metric.hostResult());
    }
    try (Result result = shared.run(runner)) {
      for (int k = 0; k < bound.size(); k++) {
        values[bound.get(k)] = ((TFloat32) result.get(k)).getFloat();
      }
    }
    return values;
  }

  /** The current value of one state, copied from the session (0 before the first update). */
  protected final double stateValue(State state) {
    if (runtime == null) {
      return 0.0;
    }
    runtime.checkOpen();
    try (TFloat32 value = state.variable.value()) {
      if (value.rank() != 0) {
        throw new IllegalArgumentException(
            "State '" + state.name + "' of metric '" + name + "' is not a scalar: "
                + value.shape() + ".");
      }
      return value.getFloat();
    }
  }

  /**
   * The current value inside a traced function, as Keras's {@code m.result()} in a {@code
   * train_step}: read after every update the function registered so far, so a step that updates the
   * metric and returns this sees the value with this batch included, in the same session call. The
   * first use binds the metric to the function's runtime (a metric never updated reads 0).
   *
   * @throws IllegalStateException outside a traced function
   */
  public final Operand<TFloat32> resultOperand() {
    Trace trace = Trace.current();
    bind(trace.runtime());
    return computeResult(trace.afterUpdates().withSubScope(scopeName).withSubScope("result"));
  }

  /** The value op read from the host between steps, built once. */
  private Operand<TFloat32> hostResult() {
    if (resultOp == null) {
      resultOp = computeResult(tf.withSubScope("result"));
    }
    return resultOp;
  }

  /** Sets every state back to zero, as at the start of an epoch. */
  public void resetState() {
    if (runtime == null) {
      return;
    }
    runtime.checkOpen();
    if (resetOp == null) {
      Ops reset = tf.withSubScope("reset");
      List<Op> assigns = new ArrayList<>();
      for (State state : states) {
        assigns.add(reset.assign(state.variable.handle(), zeros(reset, state.shape)));
      }
      resetOp = reset.withControlDependencies(assigns).noOp();
    }
    runtime.run(runtime.session().runner().addTarget(resetOp)).close();
  }

  private static Operand<TFloat32> zeros(Ops tf, Shape shape) {
    return tf.zeros(tf.constant(shape.asArray()), TFloat32.class);
  }

  private void bind(GraphRuntime traceRuntime) {
    if (runtime == null) {
      runtime = traceRuntime;
      tf = runtime.ops().withSubScope(scopeName);
      Ops init = tf.withInitScope();
      for (State state : states) {
        state.variable =
            Variable.createLocal(
                runtime, tf, state.name, name + "/" + state.name, zeros(init, state.shape));
      }
    } else if (runtime != traceRuntime) {
      throw new IllegalStateException(
          "Metric '" + name + "' was first updated in another runtime"
              + (runtime.isClosed() ? ", which is closed" : "")
              + ". Create a new metric for a new model.");
    }
  }

  /** A TensorFlow scope name for any metric name: other characters become underscores. */
  private static String scopeName(String name) {
    String scope = name.replaceAll("[^A-Za-z0-9_.\\-]", "_");
    boolean validStart = Character.isLetterOrDigit(scope.charAt(0)) || scope.charAt(0) == '.';
    return validStart ? scope : "m" + scope;
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + name + "]";
  }

  /**
   * Keras's config of a metric: {@code name} and {@code dtype} ({@code "float32"}, the dtype of
   * every metric's state here); metrics with settings add them ({@code threshold}, {@code k}...).
   */
  @Override
  public Config getConfig() {
    return new Config().put("name", name).put("dtype", "float32");
  }

  /**
   * Accepts Keras's {@code dtype} (float32 or null), then checks that no key of {@code config} is
   * left unread; returns {@code metric}, built by a subclass's {@code fromConfig} from its keys.
   *
   * @throws IllegalArgumentException for another dtype or an unknown key
   */
  protected static <M extends Metric> M configure(M metric, Config config) {
    String dtype = config.getString("dtype", "float32");
    if (!dtype.equals("float32")) {
      throw config.invalid("dtype", "'float32' or null: tfkeras's metrics keep float32 state");
    }
    config.checkAllRead();
    return metric;
  }
}
