package dev.tfkeras.variables;

import dev.tfkeras.constraints.Constraint;
import dev.tfkeras.runtime.GraphRuntime;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TType;

/**
 * A named piece of state in a {@link GraphRuntime}: a layer weight, an optimizer slot or a metric
 * accumulator.
 *
 * <p>Its {@link #path()} is readable and deterministic ({@code d1/kernel}). Inside a traced
 * function it is read with {@link #read(Ops)}; outside, {@link #value()} copies it to the host and
 * {@link #assign} overwrites it.
 *
 * @param <T> element type
 */
public final class Variable<T extends TType> {

  private final String path;
  private final GraphRuntime runtime;
  private final org.tensorflow.op.core.Variable<T> handle;
  private final boolean trainable;
  private final Constraint constraint;
  private Placeholder<T> assignValue;
  private Op assignOp;

  private Variable(
      String path,
      GraphRuntime runtime,
      org.tensorflow.op.core.Variable<T> handle,
      boolean trainable,
      Constraint constraint) {
    this.path = path;
    this.runtime = runtime;
    this.handle = handle;
    this.trainable = trainable;
    this.constraint = constraint;
  }

  /**
   * Creates a variable whose initial value is computed once, before the first run that needs it.
   *
   * @param scope ops scoped where the variable op should be named
   * @param name op name inside {@code scope}, e.g. {@code kernel}
   * @param path the user-facing path, e.g. {@code d1/kernel}
   * @param initialValue initial value; its ops become one-time initializers
   */
  public static <T extends TType> Variable<T> create(
      GraphRuntime runtime,
      Ops scope,
      String name,
      String path,
      Operand<T> initialValue,
      boolean trainable) {
    Objects.requireNonNull(initialValue, "initialValue");
    org.tensorflow.op.core.Variable<T> handle =
        runtime.placeVariable(scope).withName(name).variable(initialValue);
    return new Variable<>(path, runtime, handle, trainable, null);
  }

  /**
   * Creates a variable local to this process, never shared in distributed training: a metric's
   * accumulator, which each worker keeps for its own logs (Keras's local variables). In a runtime
   * that trains alone it is {@link #create(GraphRuntime, Ops, String, String, Operand, boolean)}.
   */
  public static <T extends TType> Variable<T> createLocal(
      GraphRuntime runtime, Ops scope, String name, String path, Operand<T> initialValue) {
    Objects.requireNonNull(initialValue, "initialValue");
    org.tensorflow.op.core.Variable<T> handle = scope.withName(name).variable(initialValue);
    return new Variable<>(path, runtime, handle, false, null);
  }

  /**
   * Creates a float variable that optimizers project with {@code constraint} after each update, as
   * a Keras variable's {@code constraint}.
   *
   * @param constraint applied after each optimizer update, or null for none
   */
  public static Variable<TFloat32> create(
      GraphRuntime runtime,
      Ops scope,
      String name,
      String path,
      Operand<TFloat32> initialValue,
      boolean trainable,
      Constraint constraint) {
    Objects.requireNonNull(initialValue, "initialValue");
    org.tensorflow.op.core.Variable<TFloat32> handle =
        runtime.placeVariable(scope).withName(name).variable(initialValue);
    return new Variable<>(path, runtime, handle, trainable, constraint);
  }

  /** Readable, deterministic path such as {@code d1/kernel}. */
  public String path() {
    return path;
  }

  /** Static shape. */
  public Shape shape() {
    return handle.shape();
  }

  /** Element type. */
  public Class<T> type() {
    return handle.type();
  }

  /** Whether optimizers update this variable. */
  public boolean trainable() {
    return trainable;
  }

  /** The constraint optimizers apply after updating this variable, or null. */
  public Constraint constraint() {
    return constraint;
  }

  /** Number of scalars held. */
  public long size() {
    return shape().size();
  }

  /** The runtime holding this variable. */
  public GraphRuntime runtime() {
    return runtime;
  }

  /**
   * The variable's value inside a traced function. Reads go through an identity op: maths and
   * gradients must not be built on the variable op directly.
   */
  public Operand<T> read(Ops tf) {
    return tf.identity(handle);
  }

  /** The underlying variable op, for training ops and gradients. */
  public Output<T> handle() {
    return handle.asOutput();
  }

  /**
   * Copies the current value to the host; the caller closes the tensor. The copy is a snapshot:
   * later assignments and training steps do not change it.
   */
  @SuppressWarnings("unchecked")
  public T value() {
    runtime.checkOpen();
    // Fetching a (reference) variable returns a tensor that shares the variable's buffer, and
    // Assign and the training ops write into that buffer in place: copy it so the caller keeps
    // the value of now.
    try (Result result = runtime.run(runtime.session().runner().fetch(handle))) {
      Tensor fetched = result.get(0);
      return Tensor.of(type(), fetched.shape(), fetched.asRawTensor().data());
    }
  }

  /**
   * Overwrites the value from the host.
   *
   * @throws IllegalArgumentException if the dtype or shape differs from the variable's
   */
  public void assign(T value) {
    runtime.checkOpen();
    if (value.type() != type() || !value.shape().equals(shape())) {
      throw new IllegalArgumentException(
          "Cannot assign to variable '" + path + "': expected " + type().getSimpleName() + " "
              + shape() + ", received " + value.type().getSimpleName() + " " + value.shape() + ".");
    }
    if (assignOp == null) {
      Ops tf = runtime.ops().withSubScope("assign");
      assignValue = tf.placeholder(type(), Placeholder.shape(shape()));
      assignOp = tf.assign(handle, assignValue);
    }
    runtime.run(runtime.session().runner().feed(assignValue, value).addTarget(assignOp)).close();
  }

  @Override
  public String toString() {
    return "Variable[" + path + " " + type().getSimpleName() + " " + shape() + "]";
  }
}
