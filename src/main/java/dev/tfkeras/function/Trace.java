package dev.tfkeras.function;

import dev.tfkeras.runtime.GraphRuntime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;

/**
 * The function being traced on this thread: where layers, losses, metrics and optimizers add their
 * ops, and where stateful updates register to run on every call.
 *
 * <p>A trace exists only while a {@link TfFunction} body runs for the first time with a given input
 * signature. Library code reaches it through {@link #current()}; user code inside a body or a
 * layer's {@code call} gets raw TensorFlow ops from {@link TfFunction#ops()}.
 */
public final class Trace {

  private static final ThreadLocal<Deque<Trace>> STACK = ThreadLocal.withInitial(ArrayDeque::new);

  private final String functionName;
  private final GraphRuntime runtime;
  private final Ops ops;
  private final List<Op> updates = new ArrayList<>();
  private final java.util.Map<Operand<?>, Operand<TBool>> masks = new java.util.IdentityHashMap<>();

  Trace(String functionName, GraphRuntime runtime, Ops ops) {
    this.functionName = functionName;
    this.runtime = runtime;
    this.ops = ops;
  }

  /**
   * The trace in progress on this thread.
   *
   * @throws IllegalStateException outside a traced function, naming what to do instead
   */
  public static Trace current() {
    Trace trace = STACK.get().peek();
    if (trace == null) {
      throw new IllegalStateException(
          "No function is being traced. Layers, losses, metric updates, GradientTape and"
              + " optimizer.applyGradients build TensorFlow graph ops and must run inside a"
              + " TfFunction body, e.g. TfFunction.of(TFloat32.class, x -> model.apply(x, false))."
              + " To run a layer or model on concrete data outside a function, pass the data itself:"
              + " model.apply(xBatch) with an NdArray, a tensor or a Java array returns a TFloat32"
              + " (close it), model.predictOnBatch(xBatch) a FloatNdArray, model.predict(x) rows.");
    }
    return trace;
  }

  /**
   * Runs {@code body} in a trace that is never run: the ops it adds to the runtime's graph only
   * build layers and tell output shapes (the functional API's symbolic calls); stateful updates it
   * registers are dropped.
   */
  public static <T> T symbolic(GraphRuntime runtime, String name, java.util.function.Supplier<T> body) {
    synchronized (runtime) {
      Trace trace = new Trace(name, runtime, runtime.ops().withSubScope(name));
      push(trace);
      try {
        return body.get();
      } finally {
        pop(trace);
      }
    }
  }

  /** Whether a function is being traced on this thread. */
  public static boolean isActive() {
    return !STACK.get().isEmpty();
  }

  static void push(Trace trace) {
    STACK.get().push(trace);
  }

  static void pop(Trace trace) {
    Trace top = STACK.get().pop();
    if (top != trace) {
      throw new IllegalStateException("Trace stack corrupted: expected " + trace + ", found " + top);
    }
  }

  /** Name of the function being traced, for messages and op names. */
  public String functionName() {
    return functionName;
  }

  /** The runtime whose graph this trace adds to. */
  public GraphRuntime runtime() {
    return runtime;
  }

  /** The graph this trace adds to. */
  public Graph graph() {
    return runtime.graph();
  }

  /** Ops scoped to this function. */
  public Ops ops() {
    return ops;
  }

  /**
   * Registers a stateful op (a variable update) that every call of the traced function must run,
   * like the automatic control dependencies of {@code tf.function}.
   */
  public void addUpdate(Op update) {
    updates.add(update);
  }

  /**
   * Ops whose ops run after every update registered so far in this trace, as {@code tf.function}'s
   * automatic control dependencies order a read after the writes before it: a metric's result read
   * with them sees this call's updates.
   */
  public Ops afterUpdates() {
    return updates.isEmpty() ? ops : ops.withControlDependencies(List.copyOf(updates));
  }

  /** The Keras mask attached to {@code x} in this trace (true = a real time step), or null. */
  public Operand<TBool> mask(Operand<?> x) {
    return masks.get(x);
  }

  /** Attaches a Keras mask to {@code x}, for the layers that consume masks (recurrent layers). */
  public void setMask(Operand<?> x, Operand<TBool> mask) {
    masks.put(x, mask);
  }

  List<Op> updates() {
    return Collections.unmodifiableList(updates);
  }

  @Override
  public String toString() {
    return "Trace[" + functionName + "]";
  }
}
