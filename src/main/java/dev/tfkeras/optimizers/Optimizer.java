package dev.tfkeras.optimizers;

import dev.tfkeras.constraints.Constraints;
import dev.tfkeras.function.Trace;
import dev.tfkeras.optimizers.schedules.LearningRateSchedule;
import dev.tfkeras.runtime.GraphRuntime;
import dev.tfkeras.saving.Config;
import dev.tfkeras.saving.Configurable;
import dev.tfkeras.saving.Serialization;
import dev.tfkeras.variables.Variable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
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
 * <p>Lifecycle: constructed with its hyperparameters and a learning rate or a {@link
 * LearningRateSchedule} ({@code new Adam(schedule)}, or {@link
 * #setLearningRate(LearningRateSchedule)} before the first step), then configured with Keras's
 * options common to every optimizer ({@link #clipnorm}, {@link #clipvalue}, {@link #globalClipnorm}, {@link
 * #weightDecay}, {@link #useEma}), all before its first step; bound lazily to the runtime of the
 * first step that uses it; slots (moments, velocities) are created per variable on first use and
 * named after it, in a deterministic order, and saved with the model's weights.
 *
 * <p>A step runs as Keras 3's {@code BaseOptimizer.apply}: gradients that are null are skipped, the
 * others clipped, each variable decayed then updated (only once every gradient of the step is
 * computed), moving averages updated, then the iteration counter incremented. The learning rate is
 * read from a variable, so {@link #setLearningRate(double)} takes effect on the next step without
 * retracing, or computed from the iteration counter by a {@link LearningRateSchedule} inside the
 * traced graph. Only the variables passed in are touched.
 *
 * <p>Subclasses implement {@link #applyDense}, with TensorFlow's fused training ops ({@code
 * tf.train.apply*}) where they compute exactly Keras's formula from the learning rate they are
 * given, else with raw ops and {@link #assignAll}. tensorflow-framework's optimizer classes are not
 * used: they bind to one graph with a fixed learning rate and find variables by op type.
 */
public abstract class Optimizer implements Configurable {

  private static final Logger LOG = LogManager.getLogger(Optimizer.class);

  private static final Pattern SCOPE_NAME = Pattern.compile("[A-Za-z0-9.][A-Za-z0-9_.\\-]*");

  private String name;
  private float learningRateValue;
  private LearningRateSchedule schedule;
  private GraphRuntime runtime;
  private Ops tf;
  private Variable<TFloat32> learningRate;
  private Variable<TInt64> iterations;
  // variables() and so saved archives list state in the order steps create it
  private final Map<String, Variable<TFloat32>> stateVariables = new LinkedHashMap<>();
  private final Map<Variable<TFloat32>, Map<String, Variable<TFloat32>>> slots = new HashMap<>();
  private final List<Variable<TFloat32>> slotsInOrder = new ArrayList<>();
  private final Map<String, TType> pendingState = new HashMap<>();
  private final GradientClipping clipping = new GradientClipping();
  private final WeightDecay weightDecay = new WeightDecay();
  // the EMA settings are kept when use_ema is off, as Keras keeps (and writes) ema_momentum
  private final ExponentialMovingAverage emaSettings = new ExponentialMovingAverage();
  private ExponentialMovingAverage ema;

  protected Optimizer(String name, double learningRate) {
    this.name = checkName(name);
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
    List<Operand<TFloat32>> present = new ArrayList<>();
    List<Variable<TFloat32>> updated = new ArrayList<>();
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
      present.add(gradient);
      updated.add(variable);
    }
    if (updated.isEmpty()) {
      if (variables.isEmpty()) {
        return;
      }
      throw new IllegalArgumentException(
          "No gradients provided for any variable: the loss depends on none of " + skipped
              + ". Check that the loss is computed from the model's output inside the tape.");
    }
    if (!skipped.isEmpty()) {
      LOG.warn("Gradients do not exist for variables {}; applyGradients leaves them unchanged.",
          skipped);
    }
    var distribution = trace.runtime().distribution();
    if (distribution == null) {
      trace.addUpdate(update(t, present, updated, variables));
    } else {
      // Distributed: this worker's gradients meet the others' before (or instead of) the update.
      List<org.tensorflow.Output<TFloat32>> handles = new ArrayList<>();
      updated.forEach(v -> handles.add(v.handle()));
      trace.addUpdate(
          distribution.synchronize(
              t, present, handles, iterations.read(t), averaged -> update(t, averaged, updated, variables)));
    }
  }

  /**
   * The ops that update {@code updated} from {@code present} (their gradients), then count the
   * step; the returned op completes when all of them have.
   */
  private Op update(
      Ops t,
      List<Operand<TFloat32>> present,
      List<Variable<TFloat32>> updated,
      List<Variable<TFloat32>> variables) {
    // Keras's build creates the averages before the optimizer's own slots, for every variable.
    List<Variable<TFloat32>> averages = new ArrayList<>();
    if (ema != null) {
      variables.forEach(v -> averages.add(slot(v, "average")));
    }
    // Variables are updated in place, and an op that reads a variable (through Identity) sees
    // the buffer as it is when that op runs: without this ordering the executor may update one
    // variable while the gradient of another still reads it. Every update waits for every gradient.
    Ops afterGradients = t.withControlDependencies(new ArrayList<Op>(present));
    Operand<TInt64> applied = iterations.read(afterGradients);
    Operand<TFloat32> lr =
        schedule != null
            ? schedule.call(afterGradients.withSubScope("learning_rate"), applied)
            : learningRate.read(afterGradients);
    Operand<TFloat32> step =
        afterGradients.dtypes.cast(
            afterGradients.math.add(applied, afterGradients.constant(1L)), TFloat32.class);
    List<Operand<TFloat32>> clipped = clipping.apply(afterGradients, present);
    List<Op> stepOps = new ArrayList<>(prepareStep(afterGradients, step));
    List<Op> updates = new ArrayList<>();
    for (int i = 0; i < updated.size(); i++) {
      Variable<TFloat32> variable = updated.get(i);
      Ops afterDecay = decayed(afterGradients, variable, lr);
      updates.add(applyDense(afterDecay, variable, clipped.get(i), lr, step));
    }
    stepOps.addAll(updates);
    List<Op> afterUpdates = new ArrayList<>(updates);
    if (ema != null) {
      List<Op> averaging = ema.update(t.withControlDependencies(updates), variables, averages, applied);
      stepOps.addAll(averaging);
      afterUpdates.addAll(averaging);
    }
    // Keras: constrained variables are projected after the update and the moving averages
    Ops constrain = t.withControlDependencies(afterUpdates);
    for (int i = 0; i < updated.size(); i++) {
      if (updated.get(i).constraint() != null) {
        stepOps.add(Constraints.afterUpdate(constrain, updated.get(i), updates.get(i)));
      }
    }
    return t.withControlDependencies(stepOps).assignAdd(iterations.handle(), t.constant(1L));
  }

  /** {@code tf}, after {@code variable}'s weight decay if it has one (Keras decays, then updates). */
  private Ops decayed(Ops tf, Variable<TFloat32> variable, Operand<TFloat32> lr) {
    if (!weightDecay.appliesTo(variable)) {
      return tf;
    }
    return tf.withControlDependencies(List.of(weightDecay.apply(tf, variable, lr)));
  }

  /**
   * Adds the op that updates one variable.
   *
   * @param tf ops that run after every gradient of the step is computed (and after the variable's
   *     weight decay)
   * @param gradient the gradient, clipped as configured
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
   * Adds ops that run once per step, before the variables' updates, for state that all variables
   * share (Nadam's running product of momentum factors); returns the ops that must run. By default
   * there are none.
   *
   * @param step the 1-based number of this step, as a float
   */
  protected List<Op> prepareStep(Ops tf, Operand<TFloat32> step) {
    return List.of();
  }

  /**
   * Assigns new values to a variable and its slots once all of them are computed, for updates
   * written with raw ops: a read of a variable shares its buffer, so no assignment may run while
   * another new value is still being computed from the old state.
   *
   * @return an op that completes when every assignment has
   */
  protected static Op assignAll(Ops tf, Map<Variable<TFloat32>, Operand<TFloat32>> newValues) {
    Ops afterValues = tf.withControlDependencies(new ArrayList<Op>(newValues.values()));
    List<Op> assignments = new ArrayList<>();
    newValues.forEach((v, value) -> assignments.add(afterValues.assign(v.handle(), value)));
    return tf.withControlDependencies(assignments).noOp();
  }

  /**
   * The slot {@code slotName} of {@code variable} (e.g. Adam's {@code m}), created zero-filled on
   * first use. Call from {@link #applyDense}.
   */
  protected final Variable<TFloat32> slot(Variable<TFloat32> variable, String slotName) {
    return slot(variable, slotName, 0f);
  }

  /**
   * The slot {@code slotName} of {@code variable}, created filled with {@code initialValue} on
   * first use (Adagrad's accumulators start at 0.1).
   */
  protected final Variable<TFloat32> slot(
      Variable<TFloat32> variable, String slotName, float initialValue) {
    return slots
        .computeIfAbsent(variable, v -> new LinkedHashMap<>())
        .computeIfAbsent(
            slotName,
            s -> {
              Ops init = tf.withInitScope();
              String path = name + "/" + variable.path() + "/" + s;
              Operand<TFloat32> fresh =
                  init.fill(init.constant(variable.shape().asArray()), init.constant(initialValue));
              Variable<TFloat32> created =
                  Variable.create(
                      runtime, tf, variable.path().replace('/', '_') + "_" + s, path,
                      initialValue(init, path, fresh), false);
              slotsInOrder.add(created);
              return created;
            });
  }

  /**
   * A scalar of the optimizer's own (not tied to a variable), created with {@code initialValue} on
   * first use and saved with the slots. Call from {@link #prepareStep} or {@link #applyDense}.
   */
  protected final Variable<TFloat32> stateVariable(String stateName, float initialValue) {
    return stateVariables.computeIfAbsent(
        stateName,
        s -> {
          Ops init = tf.withInitScope();
          String path = name + "/" + s;
          return Variable.create(
              runtime, tf, s, path, initialValue(init, path, init.constant(initialValue)), false);
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
      boolean isLearningRate = entry.getKey().equals(name + "/learning_rate");
      if (isLearningRate && schedule != null) {
        continue; // the schedule sets the rate; there is no variable to restore it into
      }
      if (variable != null) {
        variable.assign(entry.getValue());
      } else {
        TType previous = pendingState.put(entry.getKey(), copy(entry.getValue()));
        if (previous != null) {
          previous.close();
        }
      }
      if (isLearningRate) {
        learningRateValue = ((TFloat32) entry.getValue()).getFloat();
      }
    }
  }

  /**
   * The value {@link #restoreState} holds for a variable not created yet (a slot before the first
   * step), as a copy the caller closes; empty if none. Saving a restored optimizer before it steps
   * writes these, so its state is not lost.
   */
  public Optional<TType> restoredValue(String path) {
    TType pending = pendingState.get(path);
    return pending == null ? Optional.empty() : Optional.of(copy(pending));
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

  /**
   * The optimizer's state variables (step count, learning rate unless a schedule sets it, its own
   * state, slots), for saving.
   */
  public List<Variable<?>> variables() {
    List<Variable<?>> all = new ArrayList<>();
    if (runtime != null) {
      all.add(iterations);
      if (learningRate != null) {
        all.add(learningRate);
      }
      all.addAll(stateVariables.values());
      all.addAll(slotsInOrder);
    }
    return all;
  }

  /** The optimizer's name, used in variable paths. */
  public String name() {
    return name;
  }

  /**
   * Keras's {@code name} (by default the class's name in snake case, {@code "adam"}): the first
   * part of the paths of the optimizer's variables; returns this.
   *
   * @throws IllegalArgumentException for a name that is not letters, digits, {@code _ . -}
   * @throws IllegalStateException after the optimizer's first step
   */
  public Optimizer name(String name) {
    checkNotBuilt("name");
    this.name = checkName(name);
    return this;
  }

  private static String checkName(String name) {
    if (name == null || !SCOPE_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "An optimizer name must be letters, digits, '_', '.' or '-' (it names a TensorFlow scope"
              + " and the paths of its variables), received '" + name + "'.");
    }
    return name;
  }

  /**
   * Keras's config of the options every optimizer has: {@code name}, {@code learning_rate} (the
   * current value, as the training loop may have changed it, or the serialized schedule), {@code
   * weight_decay}, {@code clipnorm}, {@code global_clipnorm}, {@code clipvalue}, {@code use_ema},
   * {@code ema_momentum}, {@code ema_overwrite_frequency}, {@code loss_scale_factor} and {@code
   * gradient_accumulation_steps} (always null: tfkeras has neither); subclasses add their own.
   */
  @Override
  public Config getConfig() {
    return new Config()
        .put("name", name)
        // as Keras reads it from the float32 variable: 1e-3 is written 0.0010000000474974513
        .put("learning_rate", schedule != null ? Serialization.serialize(schedule) : (Object) (double) learningRateValue)
        .put("weight_decay", weightDecay.rate())
        .put("clipnorm", clipping.clipnorm())
        .put("global_clipnorm", clipping.globalClipnorm())
        .put("clipvalue", clipping.clipvalue())
        .put("use_ema", ema != null)
        .put("ema_momentum", emaSettings.momentum())
        .put("ema_overwrite_frequency", emaSettings.overwriteFrequency())
        .putNull("loss_scale_factor", "gradient_accumulation_steps");
  }

  /**
   * Reads the keys every optimizer has ({@link #getConfig()}'s) into {@code optimizer}, built by a
   * subclass's {@code fromConfig} from its own keys, then checks that no key is left unread; returns
   * {@code optimizer}. A key left out keeps the optimizer's default, as in Keras.
   *
   * @throws IllegalArgumentException for a setting tfkeras does not support ({@code
   *     loss_scale_factor}, {@code gradient_accumulation_steps}) or an unknown key
   */
  protected static <O extends Optimizer> O configure(O optimizer, Config config) {
    String name = config.getString("name", null);
    if (name != null) {
      optimizer.name(name);
    }
    Object rate = config.get("learning_rate");
    if (rate instanceof Number value) {
      optimizer.setLearningRate(value.doubleValue());
    } else if (rate instanceof Config || rate instanceof String) {
      optimizer.setLearningRate(Serialization.deserialize(rate, LearningRateSchedule.class));
    } else if (rate != null) {
      throw config.invalid("learning_rate", "a number or a serialized LearningRateSchedule");
    }
    if (config.has("weight_decay")) {
      optimizer.weightDecay(config.getDouble("weight_decay", 0));
    }
    if (config.has("clipnorm")) {
      optimizer.clipnorm(config.getDouble("clipnorm", 0));
    }
    if (config.has("global_clipnorm")) {
      optimizer.globalClipnorm(config.getDouble("global_clipnorm", 0));
    }
    if (config.has("clipvalue")) {
      optimizer.clipvalue(config.getDouble("clipvalue", 0));
    }
    boolean useEma = config.getBoolean("use_ema", false);
    ExponentialMovingAverage ema = ((Optimizer) optimizer).emaSettings;
    ema.momentum(config.getFloat("ema_momentum", 0.99f));
    if (config.has("ema_overwrite_frequency")) {
      ema.overwriteFrequency(config.getInt("ema_overwrite_frequency", 1));
    }
    optimizer.useEma(useEma);
    config.requireDefault("loss_scale_factor", "gradient_accumulation_steps");
    config.checkAllRead();
    return optimizer;
  }

  /**
   * The learning rate used by the next step; with a schedule, the schedule's value at the current
   * iteration count.
   */
  public float learningRate() {
    return schedule != null ? schedule.valueAt(iterations()) : learningRateValue;
  }

  /** The schedule that sets the learning rate, if any. */
  public Optional<LearningRateSchedule> learningRateSchedule() {
    return Optional.ofNullable(schedule);
  }

  /**
   * Changes the learning rate from the next step on, without retracing.
   *
   * @throws IllegalStateException if a schedule sets the learning rate, as Keras refuses
   */
  public void setLearningRate(double value) {
    if (schedule != null) {
      throw new IllegalStateException(
          "Optimizer '" + name + "' was given a LearningRateSchedule (" + schedule + "), hence its"
              + " learning rate is not settable. If you need the learning rate to be settable,"
              + " create the optimizer with a float learning rate.");
    }
    learningRateValue = checkLearningRate(value);
    if (learningRate != null) {
      try (TFloat32 t = TFloat32.scalarOf(learningRateValue)) {
        learningRate.assign(t);
      }
    }
  }

  /**
   * Makes {@code schedule} set the learning rate from the first step on, as assigning a schedule to
   * Keras's {@code optimizer.learning_rate} does.
   *
   * @throws IllegalStateException after the optimizer's first step, which traced a learning rate
   */
  public final void setLearningRate(LearningRateSchedule schedule) {
    Objects.requireNonNull(schedule, "schedule");
    checkNotBuilt("a learning-rate schedule");
    this.schedule = schedule;
  }

  /**
   * Sets the learning rate (Keras's {@code learning_rate}), as {@link #setLearningRate(double)}
   * does; returns this, so that it chains: {@code new Adam().learningRate(1e-3)}. Subclasses
   * return their own type.
   *
   * @throws IllegalArgumentException if {@code value} is not positive and finite
   * @throws IllegalStateException if a schedule sets the learning rate
   */
  public Optimizer learningRate(double value) {
    setLearningRate(value);
    return this;
  }

  /**
   * Makes {@code schedule} set the learning rate, as {@link
   * #setLearningRate(LearningRateSchedule)} does; returns this.
   *
   * @throws IllegalStateException after the optimizer's first step
   */
  public Optimizer learningRate(LearningRateSchedule schedule) {
    setLearningRate(schedule);
    return this;
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

  /**
   * Keras's {@code clipnorm}: each gradient is rescaled so that its L2 norm is at most {@code
   * value}. Exclusive with {@link #clipvalue} and {@link #globalClipnorm}.
   *
   * @throws IllegalArgumentException if {@code value} is not positive or another clipping is set
   * @throws IllegalStateException after the optimizer's first step
   */
  public final Optimizer clipnorm(double value) {
    checkNotBuilt("clipnorm");
    clipping.clipnorm((float) value);
    return this;
  }

  /**
   * Keras's {@code clipvalue}: each gradient element is clipped to {@code [-value, value]}.
   * Exclusive with {@link #clipnorm} and {@link #globalClipnorm}.
   *
   * @throws IllegalArgumentException if {@code value} is not positive or another clipping is set
   * @throws IllegalStateException after the optimizer's first step
   */
  public final Optimizer clipvalue(double value) {
    checkNotBuilt("clipvalue");
    clipping.clipvalue((float) value);
    return this;
  }

  /**
   * Keras's {@code global_clipnorm}: all gradients of a step are rescaled together so that their
   * global L2 norm is at most {@code value}. Exclusive with {@link #clipnorm} and {@link
   * #clipvalue}.
   *
   * @throws IllegalArgumentException if {@code value} is not positive or another clipping is set
   * @throws IllegalStateException after the optimizer's first step
   */
  public final Optimizer globalClipnorm(double value) {
    checkNotBuilt("global_clipnorm");
    clipping.globalClipnorm((float) value);
    return this;
  }

  /**
   * Keras's decoupled {@code weight_decay}: before its update, each variable not {@linkplain
   * #excludeFromWeightDecay excluded} loses {@code variable · value · learningRate}.
   *
   * @throws IllegalArgumentException if {@code value} is negative or not finite
   * @throws IllegalStateException after the optimizer's first step
   */
  public final Optimizer weightDecay(double value) {
    checkNotBuilt("weight_decay");
    weightDecay.rate((float) value);
    return this;
  }

  /** The weight decay rate, if weight decay is on. */
  public final Optional<Float> weightDecay() {
    return Optional.ofNullable(weightDecay.rate());
  }

  /**
   * Excludes from weight decay the variables whose name (the last part of the path, e.g. {@code
   * bias}) contains a match of one of {@code names}, regular expressions as Keras's {@code
   * var_names}. Replaces earlier exclusions, as Keras does.
   *
   * @throws IllegalStateException after the optimizer's first step
   */
  public final Optimizer excludeFromWeightDecay(String... names) {
    return excludeFromWeightDecay(List.of(), Arrays.asList(names));
  }

  /**
   * Keras's {@code exclude_from_weight_decay(var_list, var_names)}: excludes {@code variables} and
   * the variables whose name matches one of {@code names}. Replaces earlier exclusions.
   *
   * @throws IllegalStateException after the optimizer's first step
   */
  public final Optimizer excludeFromWeightDecay(
      Collection<? extends Variable<?>> variables, Collection<String> names) {
    checkNotBuilt("excludeFromWeightDecay");
    weightDecay.exclude(variables, names);
    return this;
  }

  /**
   * Keras's {@code use_ema}: keeps an exponential moving average of every variable the optimizer
   * updates, which {@link #finalizeVariableValues} (called by {@code fit} at its end) or {@link
   * #emaOverwriteFrequency} copies into the variables.
   *
   * @throws IllegalStateException after the optimizer's first step
   */
  public final Optimizer useEma(boolean use) {
    checkNotBuilt("use_ema");
    ema = use ? emaSettings : null;
    return this;
  }

  /** Whether the optimizer keeps moving averages of the variables (Keras's {@code use_ema}). */
  public final boolean useEma() {
    return ema != null;
  }

  /**
   * Keras's {@code ema_momentum} (default 0.99): {@code average = momentum · average + (1 -
   * momentum) · variable}. Turns {@link #useEma} on.
   *
   * @throws IllegalArgumentException if {@code momentum} is outside [0, 1]
   * @throws IllegalStateException after the optimizer's first step
   */
  public final Optimizer emaMomentum(double momentum) {
    useEma(true);
    ema.momentum((float) momentum);
    return this;
  }

  /**
   * Keras's {@code ema_overwrite_frequency}: every {@code steps} steps the variables take their
   * moving averages. Turns {@link #useEma} on.
   *
   * @throws IllegalArgumentException if {@code steps} is less than 1
   * @throws IllegalStateException after the optimizer's first step
   */
  public final Optimizer emaOverwriteFrequency(int steps) {
    useEma(true);
    ema.overwriteFrequency(steps);
    return this;
  }

  /**
   * Keras's {@code finalize_variable_values}: with {@link #useEma}, overwrites each variable with
   * its moving average (fit calls it after its last epoch); otherwise does nothing.
   *
   * @throws IllegalArgumentException if the optimizer keeps no average of one of {@code variables}
   */
  public void finalizeVariableValues(List<Variable<TFloat32>> variables) {
    if (ema == null) {
      return;
    }
    for (Variable<TFloat32> variable : variables) {
      Map<String, Variable<TFloat32>> own = slots.get(variable);
      Variable<TFloat32> average = own == null ? null : own.get("average");
      if (average == null) {
        throw new IllegalArgumentException(
            "Optimizer '" + name + "' keeps no moving average of variable '" + variable.path()
                + "': pass the variables it updated in its train steps (averages exist after the"
                + " first step).");
      }
      try (TFloat32 value = average.value()) {
        variable.assign(value);
      }
    }
  }

  void checkNotBuilt(String option) {
    if (runtime != null) {
      throw new IllegalStateException(
          "Optimizer '" + name + "' has already been used in a train step, which fixed its options:"
              + " set " + option + " before the first step, or create a new optimizer.");
    }
  }

  private void bind(GraphRuntime traceRuntime) {
    if (runtime == null) {
      runtime = traceRuntime;
      tf = runtime.ops().withSubScope(name);
      Ops init = tf.withInitScope();
      if (schedule == null) {
        learningRate =
            Variable.create(
                runtime, tf, "learning_rate", name + "/learning_rate",
                initialValue(init, name + "/learning_rate", init.constant(learningRateValue)),
                false);
      }
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

  static float checkLearningRate(double requested) {
    float value = (float) requested;
    if (!(value > 0f) || Float.isInfinite(value)) {
      throw new IllegalArgumentException(
          "Received an invalid value for `learning_rate`, expected a positive finite number."
              + " Received: learning_rate=" + value);
    }
    return value;
  }

  static float checkPositive(String what, double requested) {
    float value = (float) requested;
    if (!(value > 0f) || Float.isInfinite(value)) {
      throw new IllegalArgumentException(
          "Received an invalid value for `" + what + "`, expected a positive number. Received: "
              + what + "=" + value);
    }
    return value;
  }

  static float checkRange(String what, double requested, float min, float max) {
    float value = (float) requested;
    if (!(value >= min && value < max)) {
      throw new IllegalArgumentException(
          "Received an invalid value for `" + what + "`, expected a value in [" + min + ", " + max
              + "). Received: " + what + "=" + value);
    }
    return value;
  }

  static float checkNonNegative(String what, double requested) {
    float value = (float) requested;
    if (!(value >= 0f) || Float.isInfinite(value)) {
      throw new IllegalArgumentException(
          "Received an invalid value for `" + what + "`, expected a finite number >= 0. Received: "
              + what + "=" + value);
    }
    return value;
  }

  /** As {@link #checkRange} with both ends included: {@code [min, max]}. */
  static float checkClosedRange(String what, double requested, float min, float max) {
    float value = (float) requested;
    if (!(value >= min && value <= max)) {
      throw new IllegalArgumentException(
          "Received an invalid value for `" + what + "`, expected a value in [" + min + ", " + max
              + "]. Received: " + what + "=" + value);
    }
    return value;
  }
}
