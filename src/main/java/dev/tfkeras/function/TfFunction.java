package dev.tfkeras.function;

import dev.tfkeras.runtime.GraphRuntime;
import java.util.ArrayList;
import java.util.concurrent.ConcurrentHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.exceptions.TFInvalidArgumentException;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.family.TType;

/**
 * A Java function traced once into a TensorFlow graph and then run per call, like Python's
 * {@code @tf.function}.
 *
 * <p>The body runs only on the first call for each input signature (dtype, rank and non-batch
 * dimensions of every argument): it receives symbolic {@link Operand}s, not data, and the ops it
 * builds are added to the {@link GraphRuntime}'s graph. Every later call feeds the argument tensors
 * into that graph and runs it in one {@link Session} call, together with the variable updates the
 * body registered (optimizer steps, metric updates). So Java side effects in the body (printing,
 * counting) happen at trace time only.
 *
 * <pre>{@code
 * var trainStep = TfFunction.of(TFloat32.class, TInt32.class, (images, labels) -> { ... });
 * trainStep.call(xBatch, yBatch);
 * var predict = TfFunction.returning(TFloat32.class, x -> model.apply(x, false));
 * try (TFloat32 logits = predict.call(xBatch)) { ... }
 * }</pre>
 *
 * <p>A body may return several tensors ({@link #returningAll}, e.g. every output of a model) or
 * named tensors ({@link #returningNamed}, e.g. a train step's logs) and take its arguments in
 * groups ({@link #callGroups}, e.g. Keras's {@code (x, y, sample_weight)}): all are fetched in the
 * one session call that runs the updates.
 *
 * <p>Thread-safe: tracing (which builds layers and creates variables) is serialized per {@link
 * GraphRuntime}, as is the first run of each trace; later calls run concurrently, since a TensorFlow
 * session runs concurrent calls safely. Stateful bodies (train steps) called from several threads
 * at once race on their variables as they would in TensorFlow; {@code Model.fit} refuses that.
 *
 * @param <R> what a call returns: a tensor type, {@code List<TType>} or {@code Map<String, TType>}
 *     for several outputs, {@link Void} for a procedure
 */
public final class TfFunction<R> {

  /** Body of a one-argument procedure. */
  @FunctionalInterface
  public interface Procedure1<A extends TType> {
    void run(Operand<A> a);
  }

  /** Body of a two-argument procedure, such as a train step. */
  @FunctionalInterface
  public interface Procedure2<A extends TType, B extends TType> {
    void run(Operand<A> a, Operand<B> b);
  }

  /** Body of a one-argument function that returns a tensor. */
  @FunctionalInterface
  public interface Function1<A extends TType, O extends TType> {
    Operand<O> apply(Operand<A> a);
  }

  /** Body of a two-argument function that returns a tensor. */
  @FunctionalInterface
  public interface Function2<A extends TType, B extends TType, O extends TType> {
    Operand<O> apply(Operand<A> a, Operand<B> b);
  }

  /** Body of a procedure over any number of arguments of any dtype, such as fit's train step. */
  @FunctionalInterface
  public interface ProcedureN {
    void run(List<Operand<?>> args);
  }

  /** Body of a function over any number of arguments of any dtype that returns a tensor. */
  @FunctionalInterface
  public interface FunctionN<O extends TType> {
    Operand<O> apply(List<Operand<?>> args);
  }

  /** Body of a function over any number of arguments that returns several tensors. */
  @FunctionalInterface
  public interface FunctionAllN {
    List<? extends Operand<?>> apply(List<Operand<?>> args);
  }

  /**
   * Body of a function over groups of arguments, such as Keras's {@code (x, y, sample_weight)}
   * tuple, that returns named tensors, such as a train step's logs.
   */
  @FunctionalInterface
  public interface NamedFunction {
    Map<String, ? extends Operand<?>> apply(List<List<Operand<?>>> groups);
  }

  @FunctionalInterface
  private interface Body {
    Outputs trace(List<List<Operand<?>>> groups);
  }

  /** What a body returned: nothing, one tensor, a list of tensors, or named tensors. */
  private record Outputs(List<Operand<?>> operands, List<String> names, boolean single) {
    static final Outputs NONE = new Outputs(List.of(), null, false);

    static Outputs one(Operand<?> output) {
      return output == null ? NONE : new Outputs(List.of(output), null, true);
    }
  }

  /** Declared argument types, or null when any number of arguments of any dtype is accepted. */
  private final List<Class<? extends TType>> argTypes;
  private final Body body;
  // Keyed by shape text: Shape.equals is false whenever a dimension is unknown.
  private final Map<List<String>, Concrete> traces = new ConcurrentHashMap<>();
  private String name = "function";
  private volatile GraphRuntime runtime;

  private TfFunction(List<Class<? extends TType>> argTypes, Body body) {
    this.argTypes = argTypes == null ? null : List.copyOf(argTypes);
    this.body = Objects.requireNonNull(body, "body");
  }

  /** A traced procedure of one argument of type {@code a}. */
  public static <A extends TType> TfFunction<Void> of(Class<A> a, Procedure1<A> body) {
    Objects.requireNonNull(body, "body");
    return new TfFunction<>(
        List.of(a),
        groups -> {
          body.run(cast(groups.get(0).get(0), a));
          return Outputs.NONE;
        });
  }

  /** A traced procedure of two arguments, such as a train or test step. */
  public static <A extends TType, B extends TType> TfFunction<Void> of(
      Class<A> a, Class<B> b, Procedure2<A, B> body) {
    Objects.requireNonNull(body, "body");
    return new TfFunction<>(
        List.of(a, b),
        groups -> {
          List<Operand<?>> args = groups.get(0);
          body.run(cast(args.get(0), a), cast(args.get(1), b));
          return Outputs.NONE;
        });
  }

  /** A traced function of one argument that returns a tensor. */
  public static <A extends TType, O extends TType> TfFunction<O> returning(
      Class<A> a, Function1<A, O> body) {
    Objects.requireNonNull(body, "body");
    return new TfFunction<>(List.of(a), groups -> Outputs.one(body.apply(cast(groups.get(0).get(0), a))));
  }

  /** A traced function of two arguments that returns a tensor. */
  public static <A extends TType, B extends TType, O extends TType> TfFunction<O> returning(
      Class<A> a, Class<B> b, Function2<A, B, O> body) {
    Objects.requireNonNull(body, "body");
    return new TfFunction<>(
        List.of(a, b),
        groups -> {
          List<Operand<?>> args = groups.get(0);
          return Outputs.one(body.apply(cast(args.get(0), a), cast(args.get(1), b)));
        });
  }

  /**
   * A traced procedure over any number of arguments of any dtypes, traced once per signature (the
   * count, dtypes, ranks and non-batch dimensions of the arguments), like a Python {@code
   * tf.function} given a list of tensors.
   */
  public static TfFunction<Void> ofAny(ProcedureN body) {
    Objects.requireNonNull(body, "body");
    return new TfFunction<>(
        null,
        groups -> {
          body.run(groups.get(0));
          return Outputs.NONE;
        });
  }

  /** A traced function over any number of arguments of any dtypes that returns a tensor. */
  public static <O extends TType> TfFunction<O> returningAny(FunctionN<O> body) {
    Objects.requireNonNull(body, "body");
    return new TfFunction<>(null, groups -> Outputs.one(body.apply(groups.get(0))));
  }

  /**
   * A traced function over any number of arguments that returns several tensors in one session
   * call, such as every output of a model; {@link #call} returns them in order.
   */
  public static TfFunction<List<TType>> returningAll(FunctionAllN body) {
    Objects.requireNonNull(body, "body");
    return new TfFunction<>(
        null,
        groups -> {
          List<? extends Operand<?>> outputs = body.apply(groups.get(0));
          return new Outputs(List.copyOf(outputs), null, false);
        });
  }

  /**
   * A traced function over groups of arguments, called with {@link #callGroups}, that returns named
   * tensors in one session call, like a {@code tf.function} taking a tuple of tensor lists and
   * returning a dict: {@code Model.fit}'s step takes {@code (inputs, targets, sample weights)} and
   * returns its logs. The number of arguments in each group is part of the signature.
   */
  public static TfFunction<Map<String, TType>> returningNamed(NamedFunction body) {
    Objects.requireNonNull(body, "body");
    return new TfFunction<>(
        null,
        groups -> {
          Map<String, ? extends Operand<?>> outputs = body.apply(groups);
          if (outputs == null) {
            throw new IllegalStateException(
                "The body of function returned null; it must return its named outputs, a Map"
                    + " (empty for none).");
          }
          return new Outputs(List.copyOf(outputs.values()), List.copyOf(outputs.keySet()), false);
        });
  }

  /**
   * Raw TensorFlow ops for the function being traced, for maths that no layer covers. Call it inside
   * a body or a layer's {@code call}.
   */
  public static Ops ops() {
    return Trace.current().ops();
  }

  /** Names this function in messages and op names; returns this. */
  public TfFunction<R> named(String name) {
    if (!traces.isEmpty()) {
      throw new IllegalStateException(
          "Cannot rename function '" + this.name + "' after it was traced; name it first.");
    }
    this.name = Objects.requireNonNull(name, "name");
    return this;
  }

  /**
   * Traces this function into {@code runtime} instead of the runtime current at its first call
   * (the objects it uses must be built there); returns this.
   *
   * @throws IllegalStateException if the function was already traced
   */
  public TfFunction<R> in(GraphRuntime runtime) {
    if (!traces.isEmpty()) {
      throw new IllegalStateException(
          "Cannot move function '" + name + "' to another runtime after it was traced; choose the"
              + " runtime first.");
    }
    this.runtime = Objects.requireNonNull(runtime, "runtime");
    return this;
  }

  /** The function's name. */
  public String name() {
    return name;
  }

  /** How many signatures were traced so far (each new signature traces the body once more). */
  public int traceCount() {
    return traces.size();
  }

  /**
   * Runs the function on {@code args}, tracing it first if their signature is new.
   *
   * @return the output tensor, which the caller must close, or {@code null} for a procedure
   * @throws IllegalArgumentException if the argument count or a dtype differs from the declaration
   */
  public R call(TType... args) {
    return callGroups(List.of(java.util.Arrays.asList(args)));
  }

  /**
   * Runs the function on groups of arguments (see {@link #returningNamed}), tracing it first if
   * their signature (the group sizes, and each argument's dtype and shape) is new.
   *
   * @return the outputs as the body returned them: null for a procedure, one tensor, a list, or a
   *     map by name; the caller closes every tensor
   */
  public R callGroups(List<? extends List<? extends TType>> groups) {
    Concrete concrete = concreteFor(groups);
    if (!concrete.ran) {
      // The first run initializes the variables the trace created: one thread at a time.
      synchronized (concrete.runtime) {
        R out = runOnce(concrete, groups);
        concrete.ran = true;
        return out;
      }
    }
    return runOnce(concrete, groups);
  }

  @SuppressWarnings("unchecked")
  private R runOnce(Concrete concrete, List<? extends List<? extends TType>> groups) {
    GraphRuntime runtime = concrete.runtime;
    Outputs outputs = concrete.outputs;
    if (outputs.operands().isEmpty() && concrete.updates.isEmpty()) {
      if (runtime.distribution() == null) {
        runtime.session().initialize(); // nothing to run but new variables
      } // distributed: the next run initializes what this task is responsible for
      return outputs == Outputs.NONE ? null : (R) (outputs.names() != null ? Map.of() : List.of());
    }
    Session.Runner runner = runtime.session().runner();
    int i = 0;
    for (List<? extends TType> group : groups) {
      for (TType arg : group) {
        runner.feed(concrete.placeholders.get(i++), arg);
      }
    }
    concrete.updates.forEach(runner::addTarget);
    outputs.operands().forEach(runner::fetch);
    Result result = run(runtime, runner);
    if (outputs == Outputs.NONE) {
      result.close();
      return null;
    }
    // A Result holds no native memory of its own: the caller owns the fetched tensors.
    if (outputs.single()) {
      return (R) result.get(0);
    }
    if (outputs.names() != null) {
      Map<String, TType> named = new LinkedHashMap<>();
      for (int k = 0; k < outputs.names().size(); k++) {
        named.put(outputs.names().get(k), (TType) result.get(k));
      }
      return (R) named;
    }
    List<TType> all = new ArrayList<>(outputs.operands().size());
    for (int k = 0; k < outputs.operands().size(); k++) {
      all.add((TType) result.get(k));
    }
    return (R) all;
  }

  /**
   * Runs the session, turning a failed check op ({@code tf.assertThat}, e.g. a label outside the
   * class range) into an {@link IllegalArgumentException} carrying the check's own message.
   */
  private static Result run(GraphRuntime runtime, Session.Runner runner) {
    try {
      return runtime.run(runner);
    } catch (TFInvalidArgumentException e) {
      String message = e.getMessage() == null ? "" : e.getMessage();
      int at = message.indexOf(ASSERTION_FAILED);
      if (at < 0) {
        throw e;
      }
      throw new IllegalArgumentException(assertionText(message.substring(at + ASSERTION_FAILED.length())), e);
    }
  }

  private static final String ASSERTION_FAILED = "assertion failed: ";

  /** {@code [Received a label value of] [12] [which is ...]\n\t [[{{node ...}}]]} to plain text. */
  static String assertionText(String bracketed) {
    int end = bracketed.indexOf('\n');
    String line = (end < 0 ? bracketed : bracketed.substring(0, end)).trim();
    if (line.startsWith("[") && line.endsWith("]")) {
      line = line.substring(1, line.length() - 1);
    }
    return String.join(" ", line.split("\\] \\["));
  }

  private Concrete concreteFor(List<? extends List<? extends TType>> groups) {
    List<TType> args = new ArrayList<>();
    List<Integer> groupSizes = new ArrayList<>(groups.size());
    for (List<? extends TType> group : groups) {
      args.addAll(group);
      groupSizes.add(group.size());
    }
    if (argTypes != null && groups.size() != 1) {
      throw new IllegalArgumentException(
          "Function '" + name + "' takes its arguments in one group, received " + groups.size()
              + " groups; call it with call(args...).");
    }
    if (argTypes != null && args.size() != argTypes.size()) {
      throw new IllegalArgumentException(
          "Function '" + name + "' expects " + argTypes.size() + " argument(s), received "
              + args.size() + ".");
    }
    List<Shape> signature = new ArrayList<>(args.size());
    for (int i = 0; i < args.size(); i++) {
      TType arg = args.get(i);
      if (arg == null) {
        throw new IllegalArgumentException("Function '" + name + "' argument " + i + " is null.");
      }
      if (argTypes != null && arg.type() != argTypes.get(i)) {
        throw new IllegalArgumentException(
            "Function '" + name + "' argument " + i + ": expected dtype "
                + argTypes.get(i).getSimpleName() + ", received " + arg.type().getSimpleName()
                + " with shape " + arg.shape() + ". Convert the tensor or declare the function"
                + " with the matching type.");
      }
      signature.add(batchAgnostic(arg.shape()));
    }
    GraphRuntime runtime = runtimeFor();
    List<Class<? extends TType>> types = new ArrayList<>(args.size());
    List<String> key = new ArrayList<>(args.size() + 1);
    key.add(groupSizes.toString());
    for (int i = 0; i < args.size(); i++) {
      types.add(args.get(i).type());
      key.add(args.get(i).type().getSimpleName() + signature.get(i));
    }
    Concrete concrete = traces.get(key);
    if (concrete == null) {
      // Tracing builds layers and creates variables in the shared graph: serialized per runtime.
      synchronized (runtime) {
        concrete = traces.get(key);
        if (concrete == null) {
          concrete = trace(runtime, types, signature, groupSizes);
          traces.put(key, concrete);
        }
      }
    }
    return concrete;
  }

  private synchronized GraphRuntime runtimeFor() {
    if (runtime == null || (runtime.isClosed() && traces.isEmpty())) {
      runtime = GraphRuntime.current();
    }
    runtime.checkOpen();
    return runtime;
  }

  private Concrete trace(
      GraphRuntime runtime, List<Class<? extends TType>> types, List<Shape> signature, List<Integer> groupSizes) {
    Ops fnOps = runtime.ops().withSubScope(name);
    List<Operand<?>> placeholders = new ArrayList<>(signature.size());
    for (int i = 0; i < signature.size(); i++) {
      placeholders.add(
          fnOps.withName("arg" + i).placeholder(types.get(i), Placeholder.shape(signature.get(i))));
    }
    List<List<Operand<?>>> groups = new ArrayList<>(groupSizes.size());
    int from = 0;
    for (int size : groupSizes) {
      groups.add(List.copyOf(placeholders.subList(from, from + size)));
      from += size;
    }
    Trace trace = new Trace(name, runtime, fnOps);
    Trace.push(trace);
    Outputs outputs;
    try {
      outputs = body.trace(List.copyOf(groups));
    } finally {
      Trace.pop(trace);
    }
    List<Operand<?>> fetched = new ArrayList<>(outputs.operands().size());
    for (Operand<?> output : outputs.operands()) {
      if (output == null) {
        throw new IllegalStateException("Function '" + name + "' returned a null output.");
      }
      // A session cannot fetch a tensor it is fed.
      fetched.add(placeholders.contains(output) ? fnOps.identity(output) : output);
    }
    outputs = outputs == Outputs.NONE ? outputs : new Outputs(fetched, outputs.names(), outputs.single());
    return new Concrete(runtime, placeholders, outputs, trace.updates());
  }

  private static Shape batchAgnostic(Shape shape) {
    if (shape.numDimensions() == 0) {
      return shape;
    }
    long[] dims = shape.asArray();
    dims[0] = Shape.UNKNOWN_SIZE;
    return Shape.of(dims);
  }

  /**
   * A serving signature of this function for arguments shaped like {@code args} (traced if new):
   * the arguments' placeholders named {@code inputNames}, the output named {@code outputName}. For
   * {@code Session.function} and SavedModel export.
   */
  public Signature signature(String key, List<String> inputNames, String outputName, TType... args) {
    if (inputNames.size() != args.length) {
      throw new IllegalArgumentException(
          "Function '" + name + "' is called with " + args.length + " argument(s), received "
              + inputNames.size() + " input names.");
    }
    Concrete concrete = concreteFor(List.of(java.util.Arrays.asList(args)));
    if (concrete.outputs.operands().size() != 1) {
      throw new IllegalStateException(
          "Function '" + name + "' returns " + concrete.outputs.operands().size() + " outputs; a"
              + " serving signature here needs exactly one.");
    }
    Signature.Builder builder = Signature.builder().key(key);
    for (int i = 0; i < inputNames.size(); i++) {
      builder.input(inputNames.get(i), concrete.placeholders.get(i));
    }
    return builder.output(outputName, concrete.outputs.operands().get(0)).build();
  }

  /** The runtime this function traces into, or null before its first call. */
  public GraphRuntime runtime() {
    return runtime;
  }

  @SuppressWarnings("unchecked")
  private static <T extends TType> Operand<T> cast(Operand<?> operand, Class<T> type) {
    return (Operand<T>) operand;
  }

  /** One traced signature: its placeholders, outputs and the updates each run performs. */
  private static final class Concrete {
    final GraphRuntime runtime;
    final List<Operand<?>> placeholders;
    final Outputs outputs;
    final List<Op> updates;
    volatile boolean ran;

    Concrete(GraphRuntime runtime, List<Operand<?>> placeholders, Outputs outputs, List<Op> updates) {
      this.runtime = runtime;
      this.placeholders = List.copyOf(placeholders);
      this.outputs = outputs;
      this.updates = List.copyOf(updates);
    }
  }
}
