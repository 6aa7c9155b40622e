package dev.tfkeras.optimizers;

import dev.tfkeras.constraints.Constraints;
import dev.tfkeras.function.Trace;
import dev.tfkeras.runtime.GraphRuntime;
import dev.tfkeras.variables.Variable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TType;

/**
 * Updates variables from their gradients, like a Keras optimizer: {@code
 * optimizer.applyGradients(gradients, variables)} inside a traced train step.
 *
 * <p>Bound lazily to the runtime of the first step that uses it; slots (moments, velocities) are
 * created per variable on first use and named after it. The learning rate lives in a variable, so
 * {@link #setLearningRate} takes effect on the next step without retracing. Only the variables
 * passed in are touched.
 *
 * <p>Subclasses implement {@link #applyDense} with TensorFlow's fused training ops.
 */
public abstract class Optimizer {

  private static final Logger LOG = LogManager.getLogger(Optimizer.class);

  private final String name;
  private float learningRateValue;
  private GraphRuntime runtime;
  private Ops tf;
  private Variable<TFloat32> learningRate;
  private Variable<TInt64> iterations;
  // insertion-ordered: variables() and so saved archives list slots in the order steps create them
  private final Map<Variable<TFloat32>, Map<String, Variable<TFloat32>>> slots = new LinkedHashMap<>();
  private final Map<String, TType> pendingState = new HashMap<>();

  protected Optimizer(String name, float learningRate) {
    this.name = name;
    this.learningRateValue = checkLearningRate(learningRate);
  }

  /**
   * Adds ops that apply {@code gradients} to {@code variables}, pairwise, in the function being
   * traced; they run on every call of that function.
   *
   * <p>A {@code null} gradient (a variable the loss does not depend on) is skipped with a warning
   * that names the variable, as Keras does.
   *
   * @throws IllegalArgumentException if the lists differ in length, or if every gradient is null
   */
  public final void applyGradients(
      List<Operand<TFloat32>> gradients, List<Variable<TFloat32>> variables) {
    if (gradients.size() != variables.size()) {
      throw new IllegalArgumentException(
          "applyGradients needs one gradient per variable: received " + gradients.size()
              + " gradients for " + variables.size() + " variables.");
    }
    Trace trace = Trace.current();
    bind(trace.runtime());
    Ops t = trace.ops().withSubScope(name);
    Operand<TFloat32> lr = learningRate.read(t);
    Operand<TFloat32> step =
        t.dtypes.cast(t.math.add(iterations.read(t), t.constant(1L)), TFloat32.class);
    // Variables are updated in place, and an op that reads a variable (through Identity) sees
    // the buffer as it is when that op runs: without this ordering the executor may update one
    // variable while the gradient of another still reads it. Every update waits for every gradient.
    List<Op> computedGradients = new ArrayList<>();
    for (Operand<TFloat32> gradient : gradients) {
      if (gradient != null) {
        computedGradients.add(gradient);
      }
    }
    Ops afterGradients = t.withControlDependencies(computedGradients);
    List<Op> updates = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    for (int i = 0; i < variables.size(); i++) {
      Variable<TFloat32> variable = variables.get(i);
      Operand<TFloat32> gradient = gradients.get(i);
      if (gradient == null) {
        skipped.add(variable.path());
        continue;
      }
      if (!gradient.shape().isCompatibleWith(variable.shape())) {
        throw new IllegalArgumentException(
            "Gradient for variable '" + variable.path() + "' has shape " + gradient.shape()
                + ", expected the variable's shape " + variable.shape() + ".");
      }
      // Keras: a constrained variable is projected right after its update
      Op update = applyDense(afterGradients, variable, gradient, lr, step);
      updates.add(Constraints.afterUpdate(afterGradients, variable, update));
    }
    if (updates.isEmpty() && !variables.isEmpty()) {
      throw new IllegalArgumentException(
          "No gradients provided for any variable: the loss depends on none of " + skipped
              + ". Check that the loss is computed from the model's output inside the tape.");
    }
    if (!skipped.isEmpty()) {
      LOG.warn("Gradients do not exist for variables {}; applyGradients leaves them unchanged.",
          skipped);
    }
    if (updates.isEmpty()) {
      return;
    }
    trace.addUpdate(t.withControlDependencies(updates).assignAdd(iterations.handle(), t.constant(1L)));
  }

  /**
   * Adds the op that updates one variable.
   *
   * @param lr the current learning rate
   * @param step the 1-based number of this step (iterations + 1), as a float
   */
  protected abstract Op applyDense(
      Ops tf,
      Variable<TFloat32> variable,
      Operand<TFloat32> gradient,
      Operand<TFloat32> lr,
      Operand<TFloat32> step);

  /**
   * The slot {@code slotName} of {@code variable} (e.g. Adam's {@code m}), created zero-filled on
   * first use. Call from {@link #applyDense}.
   */
  protected final Variable<TFloat32> slot(Variable<TFloat32> variable, String slotName) {
    return slots
        .computeIfAbsent(variable, v -> new LinkedHashMap<>())
        .computeIfAbsent(
            slotName,
            s -> {
              Ops init = tf.withInitScope();
              String path = name + "/" + variable.path() + "/" + s;
              return Variable.create(
                  runtime,
                  tf,
                  variable.path().replace('/', '_') + "_" + s,
                  path,
                  initialValue(init, path, init.zeros(init.constant(variable.shape().asArray()), TFloat32.class)),
                  false);
            });
  }

  /**
   * Restores state saved from {@link #variables()} (keyed by path): variables that exist are
   * overwritten now; slots not created yet start from the saved value when the first step creates
   * them, so training resumes where it stopped.
   *
   * <p>State saved by another optimizer (its paths start with another name, e.g. {@code sgd/}
   * for this {@code adam}) is skipped with a warning, as Keras does: the weights are still loaded,
   * this optimizer starts afresh.
   *
   * @throws IllegalArgumentException if a saved value has another dtype or shape than its variable
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public void restoreState(Map<String, ? extends TType> state) {
    java.util.Set<String> others = new java.util.TreeSet<>();
    state.keySet().forEach(k -> {
      if (!k.startsWith(name + "/")) {
        others.add(k.contains("/") ? k.substring(0, k.indexOf('/')) : k);
      }
    });
    if (!others.isEmpty()) {
      LOG.warn(
          "Skipping the saved optimizer state: it was saved by optimizer {} ({} variables), this optimizer"
              + " is '{}'. The weights are loaded; '{}' starts from its initial state (iterations 0)."
              + " Compile with the optimizer that was saved to resume its state.",
          others.stream().map(o -> "'" + o + "'").collect(java.util.stream.Collectors.joining(", ")),
          state.size(), name, name);
      return;
    }
    Map<String, Variable<?>> existing = new HashMap<>();
    variables().forEach(v -> existing.put(v.path(), v));
    for (Map.Entry<String, ? extends TType> entry : state.entrySet()) {
      Variable variable = existing.get(entry.getKey());
      if (variable != null) {
        variable.assign(entry.getValue());
        if (variable == learningRate) {
          learningRateValue = ((TFloat32) entry.getValue()).getFloat();
        }
      } else {
        TType previous = pendingState.put(entry.getKey(), copy(entry.getValue()));
        if (previous != null) {
          previous.close();
        }
        if (entry.getKey().equals(name + "/learning_rate")) {
          learningRateValue = ((TFloat32) entry.getValue()).getFloat();
        }
      }
    }
  }

  private static TType copy(TType tensor) {
    return dev.tfkeras.saving.WeightsArchive.toTensor(dev.tfkeras.saving.WeightsArchive.toArray(tensor));
  }

  @SuppressWarnings("unchecked")
  private <T extends TType> Operand<T> initialValue(Ops init, String path, Operand<T> fresh) {
    TType saved = pendingState.remove(path);
    if (saved == null) {
      return fresh;
    }
    try (saved) {
      if (saved.type() != fresh.type() || !saved.shape().equals(fresh.shape())) {
        throw new IllegalArgumentException(
            "Saved optimizer state '" + path + "' is " + saved.type().getSimpleName() + " "
                + saved.shape() + ", expected " + fresh.type().getSimpleName() + " " + fresh.shape() + ".");
      }
      return init.constantOf((T) saved);
    }
  }

  /** The optimizer's state variables (step count, learning rate, slots), for saving. */
  public List<Variable<?>> variables() {
    List<Variable<?>> all = new ArrayList<>();
    if (runtime != null) {
      all.add(iterations);
      all.add(learningRate);
      slots.values().forEach(m -> all.addAll(m.values()));
    }
    return all;
  }

  /** The optimizer's name, used in variable paths. */
  public String name() {
    return name;
  }

  /** The learning rate used by the next step. */
  public float learningRate() {
    return learningRateValue;
  }

  /** Changes the learning rate from the next step on, without retracing. */
  public void setLearningRate(float value) {
    learningRateValue = checkLearningRate(value);
    if (learningRate != null) {
      try (TFloat32 t = TFloat32.scalarOf(value)) {
        learningRate.assign(t);
      }
    }
  }

  /**
   * Number of steps applied so far (0 before the first), counting those of a state restored by
   * {@link #restoreState} (e.g. through {@code Model.loadWeights}) even before the next step.
   */
  public long iterations() {
    if (iterations == null) {
      // not used yet: the count restored for its first step, if any
      TType restored = pendingState.get(name + "/iterations");
      return restored instanceof TInt64 count ? count.getLong() : 0;
    }
    try (TInt64 value = iterations.value()) {
      return value.getLong();
    }
  }

  private void bind(GraphRuntime traceRuntime) {
    if (runtime == null) {
      runtime = traceRuntime;
      tf = runtime.ops().withSubScope(name);
      Ops init = tf.withInitScope();
      learningRate =
          Variable.create(
              runtime, tf, "learning_rate", name + "/learning_rate",
              initialValue(init, name + "/learning_rate", init.constant(learningRateValue)), false);
      iterations =
          Variable.create(
              runtime, tf, "iterations", name + "/iterations",
              initialValue(init, name + "/iterations", init.constant(0L)), false);
    } else if (runtime != traceRuntime) {
      throw new IllegalStateException(
          "Optimizer '" + name + "' was first used in another runtime"
              + (runtime.isClosed() ? ", which is closed" : "")
              + ". Create a new optimizer for a new model.");
    }
  }

  static float checkLearningRate(float value) {
    if (!(value > 0f) || Float.isInfinite(value)) {
      throw new IllegalArgumentException(
          "Received an invalid value for `learning_rate`, expected a positive finite number."
              + " Received: learning_rate=" + value);
    }
    return value;
  }

  static float checkPositive(String what, float value) {
    if (!(value > 0f) || Float.isInfinite(value)) {
      throw new IllegalArgumentException(
          "Received an invalid value for `" + what + "`, expected a positive number. Received: "
              + what + "=" + value);
    }
    return value;
  }

  static float checkRange(String what, float value, float min, float max) {
    if (!(value >= min && value < max)) {
      throw new IllegalArgumentException(
          "Received an invalid value for `" + what + "`, expected a value in [" + min + ", " + max
              + "). Received: " + what + "=" + value);
    }
    return value;
  }
}
