package dev.tfkeras.models;

import dev.tfkeras.autodiff.GradientTape;
import dev.tfkeras.callbacks.Callback;
import dev.tfkeras.callbacks.History;
import dev.tfkeras.data.ArrayAdapter;
import dev.tfkeras.data.Dataset;
import dev.tfkeras.function.TfFunction;
import dev.tfkeras.layers.Layer;
import dev.tfkeras.losses.Loss;
import dev.tfkeras.losses.Losses;
import dev.tfkeras.metrics.Mean;
import dev.tfkeras.metrics.Metric;
import dev.tfkeras.metrics.Metrics;
import dev.tfkeras.metrics.PredictionMetric;
import dev.tfkeras.optimizers.Optimizer;
import dev.tfkeras.optimizers.Optimizers;
import dev.tfkeras.runtime.DistributedFiles;
import dev.tfkeras.runtime.GraphRuntime;
import dev.tfkeras.saving.Config;
import dev.tfkeras.saving.Configurable;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TType;

/**
 * A model written the Keras subclassing way: layers as fields, the forward pass in {@code call};
 * trained by a custom loop or by {@link #fit}.
 *
 * <pre>{@code
 * class MyModel extends Model {
 *   final Conv2D conv1 = new Conv2D(32, 3, Activation.RELU);
 *   final Flatten flatten = new Flatten();
 *   final Dense d1 = new Dense(128, Activation.RELU);
 *   final Dense d2 = new Dense(10);
 *
 *   @Override
 *   protected Operand<TFloat32> call(Operand<TFloat32> x, boolean training) {
 *     return d2.apply(d1.apply(flatten.apply(conv1.apply(x))));
 *   }
 * }
 *
 * model.compile(new Adam(), new SparseCategoricalCrossentropy(true), new SparseCategoricalAccuracy("accuracy"));
 * History history = model.fit(trainDs, 5, testDs);
 * }</pre>
 *
 * <p>Lifecycle: constructed with unbuilt layers → built by its first {@code apply} inside a traced
 * function, by {@link #buildFor}, by {@code apply(x)} on concrete data, or by the first {@code
 * fit}/{@code predict} batch (layers named after
 * their fields, weights created from the input shape, in call order) → {@link #compile} for {@code
 * fit}/{@code evaluate} → trained, saved, restored → {@link #close()}. From outside, use {@code
 * apply}, not {@code call}: {@code apply} owns naming, building and checks.
 *
 * <p>Threads: a model may be built and used for inference ({@code predict}, {@code apply} in traced
 * functions) from several threads at once: tracing and variable creation are serialized per
 * runtime, and inference on a built model runs concurrently. One model trains in one thread at a
 * time: a second concurrent {@code fit} is refused with an {@link IllegalStateException}.
 *
 * <p>Lifecycle of the native graph: a model built at top level owns a share of its {@link
 * GraphRuntime}, shared with everything traced with it (a custom loop's optimizer, metrics and
 * functions); {@link #close()} releases the share, and the runtime is freed when the last open model
 * releases it. Closing one model never breaks another.
 *
 * <p>Saving a subclassed model ({@code save("x.keras")}, {@link #toJson()}) takes Keras's two
 * methods and a registration, as Keras's {@code get_config}, {@code from_config} and {@code
 * @register_keras_serializable}: override {@link #getConfig()} to return the constructor's
 * arguments by name, add {@code public static MyModel fromConfig(Config config)}, and call {@code
 * CustomObjects.register("MyModel", MyModel::fromConfig)} before saving and loading. Its layers'
 * weights are filed under their names in the model ({@code conv1/vars/0}: the fields' names in
 * snake case), as Keras files a subclassed model's attributes.
 */
public abstract class Model extends Layer implements AutoCloseable, Configurable {

  private Compiled compiled;
  private TfFunction<Map<String, TType>> trainFunction;
  private TfFunction<Map<String, TType>> testFunction;
  private Map<String, org.tensorflow.types.family.TType> pendingOptimizerState;
  private boolean stopTraining;
  private int resumeEpoch = -1;
  private int resumeStep;
  private boolean ownsRuntime;
  private Boolean jitCompile;
  private volatile boolean closed;
  private final java.util.concurrent.atomic.AtomicBoolean training = new java.util.concurrent.atomic.AtomicBoolean();

  @Override
  protected boolean isContainer() {
    return true;
  }

  // ---- functional API -------------------------------------------------------------------------

  /**
   * A model from the functional API: {@code Model.of(input, output)} with {@code input} from {@link
   * dev.tfkeras.layers.Input#of} and {@code output} from layers applied to it. Built when defined.
   */
  public static Functional of(dev.tfkeras.layers.KerasTensor input, dev.tfkeras.layers.KerasTensor output) {
    return new Functional(null, List.of(input), List.of(output));
  }

  /** A functional model with several inputs (fed as a List of arrays, in this order) or outputs. */
  public static Functional of(
      List<dev.tfkeras.layers.KerasTensor> inputs, List<dev.tfkeras.layers.KerasTensor> outputs) {
    return new Functional(null, inputs, outputs);
  }

  /**
   * A named functional model, Keras's {@code keras.Model(inputs, outputs, name="encoder")}: the
   * name shows in {@code summary()} and names the model as a layer of another.
   */
  public static Functional of(
      String name, List<dev.tfkeras.layers.KerasTensor> inputs, List<dev.tfkeras.layers.KerasTensor> outputs) {
    return new Functional(java.util.Objects.requireNonNull(name, "name"), inputs, outputs);
  }

  // ---- compile / fit / evaluate ---------------------------------------------------------------

  /**
   * Configures training: the optimizer, the loss, and the metrics reported next to {@code loss}
   * in the logs of {@link #fit} and {@link #evaluate}. The metrics ignore sample weights, as
   * Keras's {@code metrics}; {@link #compile(CompileOptions)} takes weighted metrics too. As
   * Keras's flat {@code metrics=[...]}, a model with several outputs takes one metric per output.
   */
  public void compile(Optimizer optimizer, Loss loss, PredictionMetric... metrics) {
    Objects.requireNonNull(loss, "loss");
    compile(new CompileOptions().optimizer(optimizer).loss(loss).metrics(metrics));
  }

  /**
   * Configures training of a model with several outputs, as Keras's {@code compile(loss=[...],
   * loss_weights=[...], metrics=[[...], [...]])}: one loss per output (or one for all), each
   * weighted in the total loss (null: all 1), and the metrics of each output. The logs hold {@code
   * loss}, then {@code <output>_loss} and {@code <output>_<metric>} per output.
   */
  public void compile(
      Optimizer optimizer, List<? extends Loss> losses, List<Float> lossWeights,
      List<? extends List<? extends PredictionMetric>> metrics) {
    CompileOptions options = new CompileOptions().optimizer(optimizer).loss(losses).metrics(metrics);
    if (lossWeights != null) {
      options.lossWeights(lossWeights);
    }
    compile(options);
  }

  /**
   * Configures training with Keras's keyword arguments of {@code compile}: the optimizer, the
   * loss(es) and their weights, the metrics, and the weighted metrics, which are updated with the
   * sample weights (and class weights) given to {@code fit} and {@code evaluate} while the metrics
   * ignore them:
   *
   * <pre>{@code
   * model.compile(new CompileOptions().optimizer("adam").loss("mse").metrics("mae").weightedMetrics("mae"));
   * model.fit(x, y, new FitOptions().sampleWeight(w)); // logs loss, mae and weighted_mae
   * }</pre>
   *
   * @throws IllegalArgumentException for a map key that names no output, an output without a loss
   *     in a map of losses, or one metric object given twice
   * @throws IllegalStateException for arguments keyed by output name on a model not built yet
   */
  public void compile(CompileOptions options) {
    List<String> names = List.of();
    if (options.keyedByOutput()) {
      requireBuilt();
      names = outputNames();
    }
    compiled = new Compiled(
        options.optimizerToUse(), options.lossesFor(names), options.lossWeightsFor(names),
        options.metricsFor(names), options.weightedMetricsFor(names), options.metricsFlat(),
        options.weightedMetricsFlat());
    Optimizer optimizer = compiled.optimizer();
    trainFunction = null; // Keras's make_train_function: traced anew for the new configuration
    testFunction = null;
    if (pendingOptimizerState != null) {
      optimizer.restoreState(pendingOptimizerState);
      pendingOptimizerState.values().forEach(org.tensorflow.types.family.TType::close);
      pendingOptimizerState = null;
    }
  }

  /**
   * Configures training with an optimizer only, as Keras's {@code compile(optimizer="adam")}: for a
   * model whose {@link #trainStep} computes its own loss and returns its own logs (the default
   * {@code trainStep} then fails, having no loss to compute).
   */
  public void compile(Optimizer optimizer) {
    compile(optimizer, List.of(), null, List.of());
  }

  /**
   * Configures training with Keras's string identifiers: {@code compile("adam",
   * "sparse_categorical_crossentropy", "accuracy")}. {@code "accuracy"} picks binary, sparse
   * categorical or categorical accuracy from the shapes of targets and outputs, as Keras does.
   *
   * @throws IllegalArgumentException for an unknown identifier, listing the known ones
   */
  public void compile(String optimizer, String loss, String... metrics) {
    compile(Optimizers.get(optimizer), loss, metrics);
  }

  /** Configures training with an optimizer object and Keras's string identifiers for the rest. */
  public void compile(Optimizer optimizer, String loss, String... metrics) {
    Objects.requireNonNull(loss, "loss");
    PredictionMetric[] resolved = new PredictionMetric[metrics.length];
    for (int i = 0; i < metrics.length; i++) {
      resolved[i] = Metrics.get(metrics[i]);
    }
    compile(optimizer, Losses.get(loss), resolved);
  }

  /** Trains for {@code epochs} over batched {@code train} data, printing Keras's progress bar. */
  public History fit(Dataset train, int epochs) {
    return fit(train, epochs, null, 1);
  }

  /** Trains for {@code epochs} over batched {@code train} data, with callbacks. */
  public History fit(Dataset train, int epochs, Callback... callbacks) {
    return fit(train, epochs, null, 1, callbacks);
  }

  /** Trains, evaluating on batched {@code validation} data after each epoch ({@code val_} logs). */
  public History fit(Dataset train, int epochs, Dataset validation, Callback... callbacks) {
    return fit(train, epochs, validation, 1, callbacks);
  }

  /**
   * Trains the model: per batch one call of the traced {@link #trainStep}, per epoch the metrics'
   * results (and validation results) passed to the callbacks and recorded in the returned history.
   *
   * @param validation batched data evaluated after each epoch, or null
   * @param verbose 0 silent, 1 progress bar, 2 one line per epoch
   * @throws IllegalStateException if the model was not compiled
   */
  public History fit(Dataset train, int epochs, Dataset validation, int verbose, Callback... callbacks) {
    FitOptions options = new FitOptions().epochs(epochs).verbose(verbose).callbacks(callbacks);
    if (validation != null) {
      options.validationData(validation);
    }
    return fit(train, options);
  }

  /**
   * Trains on batched {@code train} data with Keras's {@code fit} options (epochs, validation data,
   * callbacks, initial epoch, steps per epoch, class weights...); batch size, shuffling and
   * validation split belong to the dataset and are not read.
   */
  public History fit(Dataset train, FitOptions options) {
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(options, "options");
    compiled("fit");
    return train(FitPlan.forDataset(train, options));
  }

  /** Runs the trainer, refusing a second fit of this model from another thread meanwhile. */
  private History train(FitPlan plan) {
    if (!training.compareAndSet(false, true)) {
      throw new IllegalStateException(
          "Model '" + name() + "' is already being trained by fit in another thread; a model trains"
              + " in one thread at a time (its weights and optimizer state are shared). Wait for"
              + " that fit to end, or build one model per thread.");
    }
    try {
      if (plan.classWeights() != null) {
        plan.classWeights().requireClassesOf(this, plan.train());
      }
      // Under a strategy whose replicas split the global batch, each trains on its part of it.
      GraphRuntime built = runtime();
      Dataset train =
          built != null && built.distribution() != null
              ? built.distribution().trainingData(plan.train())
              : plan.train();
      return new Trainer(this).fit(train, plan.validation(), plan.run(), System.out);
    } finally {
      training.set(false);
    }
  }

  /** Trains on arrays for one epoch in batches of 32, shuffled: Keras's {@code fit(x, y)}. */
  public History fit(Object x, Object y) {
    return fit(x, y, new FitOptions());
  }

  /**
   * Trains on arrays, as Keras's {@code fit(x, y, batch_size=..., epochs=..., ...)}.
   *
   * @param x inputs: an {@code NdArray} (a tensor included), a Java array ({@code float[][]},
   *     {@code int[]}, {@code byte[][]} as uint8...) or a {@code List} of them for several inputs;
   *     any numeric dtype or bool, any shape with the examples on the first axis
   * @param y targets in the same forms (class indices, one-hot rows, regression values...), a
   *     {@code List} of them for a model with several outputs
   * @throws IllegalArgumentException for data of an unsupported type, shape or length
   */
  public History fit(Object x, Object y, FitOptions options) {
    Objects.requireNonNull(options, "options");
    compiled("fit");
    return train(FitPlan.forArrays(inputsInOrder(x), targetsInOrder(y), options));
  }

  /**
   * The loss and metrics over batched {@code data}, keyed {@code loss}, then metric names; the
   * callbacks' {@code onTest*} hooks run around the loop, as Keras's {@code evaluate(callbacks=)}.
   */
  public Map<String, Double> evaluate(Dataset data, Callback... callbacks) {
    Objects.requireNonNull(data, "data");
    compiled("evaluate");
    List<Callback> list = List.of(callbacks);
    list.forEach(c -> c.setModel(this));
    return new Trainer(this).evaluate(data, null, list);
  }

  /** The loss and metrics over arrays, in batches of 32: Keras's {@code evaluate(x, y)}. */
  public Map<String, Double> evaluate(Object x, Object y) {
    return evaluate(x, y, null, 32);
  }

  /** The loss and metrics over arrays, in batches of {@code batchSize}. */
  public Map<String, Double> evaluate(Object x, Object y, int batchSize) {
    return evaluate(x, y, null, batchSize);
  }

  /** The weighted loss and metrics over arrays; {@code sampleWeight} may be null. */
  public Map<String, Double> evaluate(Object x, Object y, Object sampleWeight, int batchSize) {
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batchSize must be a positive integer, received: " + batchSize);
    }
    if (y == null) {
      throw new IllegalArgumentException("y must not be null: evaluate needs targets for the loss.");
    }
    Dataset data =
        ArrayAdapter.slices(
            "evaluate", "", inputsInOrder(x), targetsInOrder(y), sampleWeight,
            "fix the data, or pass a Dataset (Dataset.fromTensorSlices(x, y).batch(32)) to skip this check.");
    compiled("evaluate");
    return new Trainer(this).evaluate(data.batch(batchSize).prefetch(2), null, List.of());
  }

  /**
   * One training step, traced once per input signature by {@link #fit}: Keras's {@code
   * train_step(data)}. Override it to customise what {@code fit} does; the default runs the model
   * under a {@link GradientTape}, applies the gradients of the compiled loss plus the
   * regularization penalties ({@link #losses()}), updates the metrics and returns their results.
   *
   * @return the logs, Keras's {@code {m.name: m.result() for m in self.metrics}}: names to scalar
   *     operands (such as {@link #getMetricsResult()} or a metric's {@code resultOperand()}),
   *     computed in the same session call as the step's updates; the progress bar, callbacks and
   *     {@link History} see them in this order
   */
  protected Map<String, Operand<?>> trainStep(StepData data) {
    var tape = new GradientTape();
    List<Operand<TFloat32>> predictions;
    Operand<TFloat32> loss;
    try (tape) {
      predictions = applyAll(data.inputs(), true);
      loss = computeLoss(data, predictions);
    }
    var gradients = tape.gradient(loss, trainableVariables());
    optimizer().applyGradients(gradients, trainableVariables());
    updateMetrics(loss, data, predictions);
    return getMetricsResult();
  }

  /**
   * One evaluation step, traced once by {@link #fit}/{@link #evaluate}: Keras's {@code test_step};
   * returns the logs as {@link #trainStep} does.
   */
  protected Map<String, Operand<?>> testStep(StepData data) {
    List<Operand<TFloat32>> predictions = applyAll(data.inputs(), false);
    updateMetrics(computeLoss(data, predictions), data, predictions);
    return getMetricsResult();
  }

  /**
   * The metrics {@code fit} and {@code evaluate} track, Keras's {@code model.metrics}: the compiled
   * loss tracker ({@code loss}), the per-output loss trackers and the compiled metrics. {@code fit}
   * resets every one of them at each epoch's start and before evaluating. A model whose {@link
   * #trainStep} updates its own trackers overrides this to list them, as Keras's guide does:
   *
   * <pre>{@code
   * final Mean lossTracker = new Mean("loss");
   * final MeanAbsoluteError maeMetric = new MeanAbsoluteError("mae");
   *
   * public List<Metric> metrics() {
   *   return List.of(lossTracker, maeMetric);
   * }
   * }</pre>
   */
  public List<Metric> metrics() {
    return compiled == null ? List.of() : compiled.all();
  }

  /**
   * The current results of {@link #metrics()} inside a traced step, read after the step's updates:
   * Keras's {@code get_metrics_result()}, what the default steps return as their logs. Compiled
   * metrics of a model with several outputs are named {@code <output>_<metric>}.
   *
   * @throws IllegalArgumentException if two metrics share a log name
   * @throws IllegalStateException outside a traced function
   */
  protected final Map<String, Operand<?>> getMetricsResult() {
    Map<String, Operand<?>> logs = new java.util.LinkedHashMap<>();
    for (Metric metric : metrics()) {
      String name = compiled == null ? null : compiled.logName(metric);
      String key = name != null ? name : metric.name();
      if (logs.put(key, metric.resultOperand()) != null) {
        throw new IllegalArgumentException(
            "Two metrics of model '" + name() + "' are named '" + key + "'; give each metric in"
                + " metrics() a distinct name (the key of its value in the logs).");
      }
    }
    return logs;
  }

  /** The traced {@link #trainStep} of {@code fit}, Keras's {@code train_function}, made on first use. */
  synchronized TfFunction<Map<String, TType>> trainFunction() {
    if (trainFunction == null) {
      trainFunction = stepFunction("train_step", this::trainStep);
    }
    return trainFunction;
  }

  /** The traced {@link #testStep} of {@code evaluate}, Keras's {@code test_function}. */
  synchronized TfFunction<Map<String, TType>> testFunction() {
    if (testFunction == null) {
      testFunction = stepFunction("test_step", this::testStep);
    }
    return testFunction;
  }

  private TfFunction<Map<String, TType>> stepFunction(
      String name, java.util.function.Function<StepData, Map<String, Operand<?>>> step) {
    TfFunction<Map<String, TType>> function = namedStepFunction(name, step);
    // A model built in a strategy's scope trains there, whatever runtime is current at fit.
    GraphRuntime built = runtime();
    return built != null && built.distribution() != null ? function.in(built) : function;
  }

  private TfFunction<Map<String, TType>> namedStepFunction(
      String name, java.util.function.Function<StepData, Map<String, Operand<?>>> step) {
    return TfFunction.returningNamed(
            groups -> {
              Map<String, Operand<?>> logs = step.apply(StepData.of(TfFunction.ops(), groups));
              if (logs == null) {
                throw new IllegalStateException(
                    "The " + name + " of model '" + name() + "' returned null; a step returns its"
                        + " logs, e.g. return getMetricsResult(), or Map.of() for none.");
              }
              return logs;
            })
        .named(name);
  }

  /**
   * The compiled loss of a batch, Keras's {@code compute_loss}: each output's loss against its
   * target, weighted by the data's sample weights, times its loss weight, summed, plus the
   * regularization penalties of {@link #losses()}.
   */
  protected Operand<TFloat32> computeLoss(StepData data, List<Operand<TFloat32>> predictions) {
    Compiled compiled = compiled("computeLoss");
    compiled.bindOutputs(outputNames(predictions.size()));
    if (!compiled.hasLoss()) {
      List<Operand<TFloat32>> penalties = losses();
      if (penalties.isEmpty()) {
        throw new IllegalStateException(
            "No loss to compute. Provide a loss argument in compile(), e.g. model.compile(optimizer,"
                + " new MeanSquaredError()), or override trainStep to compute the loss yourself.");
      }
      return TfFunction.ops().math.addN(penalties);
    }
    if (data.targets().size() != predictions.size()) {
      throw new IllegalArgumentException(
          "The model has " + predictions.size() + " output(s) but the data has "
              + data.targets().size() + " target(s); give one target array per output (a List of"
              + " arrays for several outputs).");
    }
    var tf = TfFunction.ops();
    Operand<TFloat32> total = null;
    for (int i = 0; i < predictions.size(); i++) {
      Operand<TFloat32> loss = compiled.loss(i).call(data.y(i), predictions.get(i), data.sampleWeight());
      Mean tracker = compiled.outputLossTracker(i);
      if (tracker != null) {
        tracker.update(loss, batchSize(tf, predictions.get(i)));
      }
      float weight = compiled.lossWeight(i);
      Operand<TFloat32> weighted = weight == 1f ? loss : tf.math.mul(loss, tf.constant(weight));
      total = total == null ? weighted : tf.math.add(total, weighted);
    }
    return plusPenalties(total);
  }

  /** Names of the outputs in logs: a functional model's output layers, else output_1, output_2... */
  List<String> outputNames(int count) {
    List<String> names = new java.util.ArrayList<>();
    for (int i = 0; i < count; i++) {
      names.add("output_" + (i + 1));
    }
    return names;
  }

  /** {@code loss} plus the regularization penalties of {@link #losses()}, as Keras's {@code compute_loss}. */
  private Operand<TFloat32> plusPenalties(Operand<TFloat32> loss) {
    List<Operand<TFloat32>> penalties = losses();
    return penalties.isEmpty() ? loss : TfFunction.ops().math.add(loss, TfFunction.ops().math.addN(penalties));
  }

  /**
   * Adds a batch's loss and predictions to the compiled loss tracker and metrics: the metrics
   * without the data's sample weights, the weighted metrics with them, as Keras's {@code
   * CompileMetrics.update_state}. The loss counts once per example (weighted by the batch size, as
   * Keras's fit does), so a last partial batch weighs what it holds.
   */
  protected final void updateMetrics(Operand<TFloat32> loss, StepData data, Operand<TFloat32> predictions) {
    updateMetrics(loss, data, List.of(predictions));
  }

  /** {@link #updateMetrics(Operand, StepData, Operand)} for a model with several outputs. */
  protected final void updateMetrics(Operand<TFloat32> loss, StepData data, List<Operand<TFloat32>> predictions) {
    Compiled compiled = compiled("updateMetrics");
    var tf = TfFunction.ops();
    compiled.lossTracker().update(loss, batchSize(tf, predictions.get(0)));
    for (int i = 0; i < predictions.size(); i++) {
      Operand<TFloat32> prediction = predictions.get(i);
      var target = data.y(i);
      compiled.metrics(i).forEach(m -> m.update(target, prediction));
      compiled.weightedMetrics(i).forEach(m -> m.update(target, prediction, data.sampleWeight()));
    }
  }

  private static Operand<TFloat32> batchSize(org.tensorflow.op.Ops tf, Operand<TFloat32> predictions) {
    return tf.dtypes.cast(tf.gather(tf.shape(predictions), tf.constant(0), tf.constant(0)), TFloat32.class);
  }

  /** The compiled optimizer. */
  public final Optimizer optimizer() {
    return compiled("optimizer").optimizer();
  }

  /** The compiled loss. */
  protected final Loss compiledLoss() {
    return compiled("loss").loss();
  }

  /** Asks {@link #fit} to stop after the current batch, as callbacks do ({@code stop_training}). */
  public void stopTraining() {
    stopTraining = true;
  }

  /** Whether a stop was requested during the current {@code fit}. */
  public boolean isStopTrainingRequested() {
    return stopTraining;
  }

  void resetStopTraining() {
    stopTraining = false;
    resumeEpoch = -1;
    resumeStep = 0;
  }

  /**
   * Makes the {@code fit} being started resume at {@code epoch} (0-based), skipping the first
   * {@code step} batches of that epoch's data order, which an earlier run already trained on: Keras's
   * {@code model._initial_epoch}, set by {@link dev.tfkeras.callbacks.BackupAndRestore} from its
   * backup. Call it from a callback's {@code onTrainBegin}: fit reads it once, after every
   * callback's {@code onTrainBegin}, and forgets it when the next fit starts.
   *
   * @throws IllegalStateException outside {@code fit}
   * @throws IllegalArgumentException for a negative epoch or step
   */
  public void setInitialEpoch(int epoch, int step) {
    if (!training.get()) {
      throw new IllegalStateException(
          "setInitialEpoch is read by fit after the callbacks' onTrainBegin, received a call outside"
              + " fit: call it from a callback's onTrainBegin, or pass new FitOptions().initialEpoch(n).");
    }
    if (epoch < 0 || step < 0) {
      throw new IllegalArgumentException(
          "setInitialEpoch expects a zero or positive epoch and step, received: epoch=" + epoch
              + ", step=" + step + ".");
    }
    resumeEpoch = epoch;
    resumeStep = step;
  }

  /** The epoch a callback asked this fit to resume at, or -1. */
  int resumeEpoch() {
    return resumeEpoch;
  }

  /** The batches of {@link #resumeEpoch()} already trained. */
  int resumeStep() {
    return resumeStep;
  }

  /** What compile configured, Keras's compile state kept on the model. */
  private Compiled compiled(String what) {
    requireOpen();
    if (compiled == null) {
      throw new IllegalStateException(
          "You must call compile() before " + what + "(): model.compile(optimizer, loss, metrics...),"
              + " e.g. model.compile(new Adam(), new SparseCategoricalCrossentropy(true),"
              + " new SparseCategoricalAccuracy(\"accuracy\")).");
    }
    return compiled;
  }

  /**
   * The rows of {@link #summary}: the layers in call order once built, then any field layer the
   * call never used (shown unbuilt, as Keras lists it); before the build, the field layers as
   * declared.
   */
  List<Summary.Row> summaryRows() {
    if (isBuilt()) {
      List<Summary.Row> rows = new java.util.ArrayList<>(layers().stream().map(Summary.Row::of).toList());
      java.util.Set<Layer> called = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
      called.addAll(layers());
      for (Summary.Row declared : declaredRows()) {
        if (!called.contains(declared.layer())) {
          rows.add(declared);
        }
      }
      return rows;
    }
    return declaredRows();
  }

  /** A row per field that holds a layer, in declaration order (superclass fields first). */
  private List<Summary.Row> declaredRows() {
    List<Summary.Row> rows = new java.util.ArrayList<>();
    List<Class<?>> hierarchy = new java.util.ArrayList<>();
    for (Class<?> type = getClass(); type != Model.class && type != null; type = type.getSuperclass()) {
      hierarchy.add(0, type);
    }
    for (Class<?> type : hierarchy) {
      for (java.lang.reflect.Field field : type.getDeclaredFields()) {
        if (java.lang.reflect.Modifier.isStatic(field.getModifiers()) || !Layer.class.isAssignableFrom(field.getType())) {
          continue;
        }
        try {
          field.setAccessible(true);
          Object value = field.get(this);
          if (value instanceof Layer layer) {
            rows.add(Summary.Row.of(layer, Layer.snakeCaseName(field.getName())));
          }
        } catch (ReflectiveOperationException | RuntimeException e) {
          // an inaccessible field is left out of the unbuilt listing
        }
      }
    }
    return rows;
  }

  boolean isCompiled() {
    return compiled != null;
  }

  /** Whether compile was given a loss, which needs targets in the data. */
  boolean hasCompiledLoss() {
    return compiled != null && compiled.hasLoss();
  }

  // ---- structure: names, layers ---------------------------------------------------------------

  /** Names this model (Keras's {@code name=}), before it is first built. Returns this. */
  @Override
  public Model name(String name) {
    super.name(name);
    return this;
  }

  /**
   * Keras's {@code model.get_layer(name)}: the layer of this model with that name (a functional
   * model's input layers included).
   *
   * @throws IllegalArgumentException if no layer has that name, listing the names there are
   */
  public Layer getLayer(String name) {
    Objects.requireNonNull(name, "name");
    List<Layer> layers = layers();
    for (Layer layer : layers) {
      if (layer.name().equals(name)) {
        return layer;
      }
    }
    throw new IllegalArgumentException(
        "No such layer: " + name + ". Existing layers are: "
            + layers.stream().map(l -> "'" + l.name() + "'").toList() + ".");
  }

  /**
   * Keras's {@code model.get_layer(index=i)}: the {@code i}-th of {@link #layers()}.
   *
   * @throws IllegalArgumentException if the model has fewer layers
   */
  public Layer getLayer(int index) {
    List<Layer> layers = layers();
    if (index < 0 || index >= layers.size()) {
      throw new IllegalArgumentException(
          "Was asked to retrieve layer at index " + index + " but model only has " + layers.size()
              + " layers.");
    }
    return layers.get(index);
  }

  /** {@code x} itself, or a {@code Map} keyed by input names put in the model's input order. */
  final Object inputsInOrder(Object x) {
    return NamedData.inOrder(x, inputNames(), "input");
  }

  /** {@code data} itself, or, if its features are named, the features of the model's inputs in order. */
  final Dataset featuresInOrder(Dataset data) {
    return NamedData.inOrder(data, inputNames());
  }

  /** {@code y} itself, or a {@code Map} keyed by output names put in the model's output order. */
  final Object targetsInOrder(Object y) {
    return y instanceof Map<?, ?> ? NamedData.inOrder(y, outputNames(), "output") : y;
  }

  /**
   * Configures training of a model with named outputs, as Keras's {@code compile(loss={"priority":
   * ..., "department": ...}, loss_weights={...}, metrics={...})}: each map is keyed by output names
   * ({@link #outputNames()}); a missing loss weight is 1, an output without metrics has none.
   *
   * @throws IllegalArgumentException for a key that names no output, or an output without a loss
   */
  public void compile(
      Optimizer optimizer, Map<String, ? extends Loss> losses, Map<String, ? extends Number> lossWeights,
      Map<String, ? extends List<? extends PredictionMetric>> metrics) {
    CompileOptions options = new CompileOptions().optimizer(optimizer).loss(losses);
    if (lossWeights != null) {
      options.lossWeights(lossWeights);
    }
    if (metrics != null) {
      options.metrics(metrics);
    }
    compile(options);
  }

  /**
   * The names of the model's inputs, the keys of {@code Map}-keyed input data: a functional model's
   * input layers, a Sequential's {@code Input}; empty for a model whose inputs have no names.
   */
  public List<String> inputNames() {
    return List.of();
  }

  /**
   * The names of the model's outputs, which prefix their logs ({@code priority_loss}) and key
   * {@code Map}-keyed targets: a functional model's output layers, else {@code output_1}...
   * once built.
   */
  public List<String> outputNames() {
    return isBuilt() ? outputNames(outputShapes().size()) : List.of();
  }

  // ---- predict / build ------------------------------------------------------------------------

  /** The model's outputs for {@code x} (inference mode), batched internally; the caller closes them. */
  public TFloat32 predict(TFloat32 x) {
    return Predictor.predict(predictFunction(), x, 32);
  }

  /**
   * The outputs for host data {@code x} (inference mode), in batches of 32: one row per example, in
   * order, each the example's output flattened. {@link #predictArray(Object)} keeps the output's
   * full shape.
   *
   * @param x an {@code NdArray}, a Java array ({@code float[][]}, {@code int[]}...) or a {@code
   *     List} of them for several inputs; any numeric dtype or bool
   */
  public float[][] predict(Object x) {
    return predict(x, 32);
  }

  /** Like {@link #predict(Object)} in batches of {@code batchSize}. */
  public float[][] predict(Object x, int batchSize) {
    return Predictor.rows(predictArray(x, batchSize));
  }

  /**
   * The outputs for every batch of {@code data} (targets ignored), one row per example, in order;
   * the callbacks' {@code onPredict*} hooks run around the loop.
   */
  public float[][] predict(Dataset data, Callback... callbacks) {
    return Predictor.rows(predictArray(data, callbacks));
  }

  /**
   * The outputs for host data {@code x} with their full shape, Keras's {@code predict(x)}: examples
   * on the first axis, then the output's own axes, e.g. (n, 28, 28, 1) for an autoencoder, where
   * {@link #predict(Object)} gives flattened rows. In batches of 32.
   *
   * @throws IllegalStateException for a model with several outputs: use {@link #predictArrays}
   */
  public FloatNdArray predictArray(Object x) {
    return predictArray(x, 32);
  }

  /** Like {@link #predictArray(Object)} in batches of {@code batchSize}. */
  public FloatNdArray predictArray(Object x, int batchSize) {
    return single(predictArrays(x, batchSize));
  }

  /**
   * The outputs for every batch of {@code data} (targets ignored) with their full shape; the
   * callbacks' {@code onPredict*} hooks run around the loop.
   */
  public FloatNdArray predictArray(Dataset data, Callback... callbacks) {
    List<Callback> list = List.of(callbacks);
    list.forEach(c -> c.setModel(this));
    return single(floats(Predictor.predictAll(predictFunction(), featuresInOrder(data), list)));
  }

  /**
   * Every output for host data {@code x} with its full shape, as Keras's {@code predict} returns a
   * list for a model with several outputs; the model runs once per batch of 32 for all of them.
   */
  public List<FloatNdArray> predictArrays(Object x) {
    return predictArrays(x, 32);
  }

  /** Like {@link #predictArrays(Object)} in batches of {@code batchSize}. */
  public List<FloatNdArray> predictArrays(Object x, int batchSize) {
    return floats(predictNdArrays(x, batchSize));
  }

  /**
   * Every output for host data {@code x} (or a batched {@code Dataset}) with its full shape and its
   * own dtype, as Keras's {@code predict} returns arrays of the outputs' dtypes: a {@code
   * FloatNdArray} for float32 outputs, a {@code LongNdArray} for int64 ones (a {@code StringLookup}'s
   * indices), an {@code IntNdArray} for int32 ones, an {@code NdArray<String>} for strings (a
   * {@code StringLookup} with {@code invert}). In batches of 32.
   *
   * <pre>{@code
   * KerasTensor ids = Input.of(TInt64.class, 5);
   * Model decode = Model.of(ids, new StringLookup().vocabulary(chars).maskToken(null).invert(true).apply(ids));
   * NdArray<String> text = (NdArray<String>) decode.predictNdArrays(new long[][] {...}).get(0);
   * }</pre>
   */
  public List<NdArray<?>> predictNdArrays(Object x) {
    return predictNdArrays(x, 32);
  }

  /** Like {@link #predictNdArrays(Object)} in batches of {@code batchSize}. */
  public List<NdArray<?>> predictNdArrays(Object x, int batchSize) {
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batchSize must be a positive integer, received: " + batchSize);
    }
    if (x instanceof Dataset data) {
      return Predictor.predictAll(predictFunction(), featuresInOrder(data), List.of());
    }
    return Predictor.predictAll(predictFunction(), predictData(inputsInOrder(x)).batch(batchSize).prefetch(2), List.of());
  }

  /**
   * The string output of a model for host data {@code x} (a model ending in a {@code StringLookup}
   * with {@code invert}), one row per example, each the example's strings flattened, in batches
   * of 32.
   *
   * @throws IllegalStateException if the model has several outputs or its output is not strings
   */
  @SuppressWarnings("unchecked")
  public String[][] predictStrings(Object x) {
    List<NdArray<?>> outputs = predictNdArrays(x, 32);
    if (outputs.size() != 1) {
      throw new IllegalStateException(
          "Model '" + name() + "' has " + outputs.size() + " outputs; predictStrings returns one."
              + " Use predictNdArrays(x) for all of them.");
    }
    NdArray<?> output = outputs.get(0);
    if (output instanceof org.tensorflow.ndarray.FloatNdArray || output instanceof org.tensorflow.ndarray.LongNdArray
        || output instanceof org.tensorflow.ndarray.IntNdArray || output.shape().numDimensions() == 0) {
      throw new IllegalStateException(
          "Model '" + name() + "' returns no strings; predictStrings is for a string output (a"
              + " StringLookup with invert). Use predict(x) for numbers.");
    }
    NdArray<String> strings = (NdArray<String>) output;
    int n = (int) strings.shape().get(0);
    String[][] rows = new String[n][];
    for (int i = 0; i < n; i++) {
      NdArray<String> row = strings.get(i);
      String[] values = new String[(int) row.size()];
      int[] next = {0};
      row.scalars().forEach(s -> values[next[0]++] = s.getObject());
      rows[i] = values;
    }
    return rows;
  }

  /** The float API's view of the outputs: integer outputs copied as floats, strings refused. */
  private List<FloatNdArray> floats(List<NdArray<?>> outputs) {
    List<FloatNdArray> out = new ArrayList<>(outputs.size());
    for (int i = 0; i < outputs.size(); i++) {
      out.add(Predictor.floats(outputs.get(i), name(), i));
    }
    return out;
  }

  /**
   * The outputs of a model with several outputs for host data {@code x}, as Keras's {@code predict}
   * returns a list: one {@code float[][]} per output (rows in example order, each flattened), in
   * batches of 32, the model run once per batch for all outputs. Works for one output too.
   */
  public List<float[][]> predictOutputs(Object x) {
    if (x instanceof Dataset) {
      throw new IllegalArgumentException("predictOutputs takes arrays; for a dataset call predict(dataset).");
    }
    return predictArrays(x).stream().map(Predictor::rows).toList();
  }

  /** Keras's array adapter for predict: the inputs, refused if empty or not finite. */
  private static Dataset predictData(Object x) {
    return ArrayAdapter.slices(
        "predict", "", x, null, null,
        "fix the data, or pass a Dataset (Dataset.fromTensorSlices(x).batch(32)) to skip this check.");
  }

  /**
   * The output for {@code x} run as one batch, Keras's {@code predict_on_batch}: {@link
   * #apply(Object)} copied to the host, so there is nothing to close.
   *
   * @param x an {@code NdArray} (a tensor included), a Java array or a {@code List} of them
   */
  public FloatNdArray predictOnBatch(Object x) {
    requireOpen();
    try (TFloat32 out = apply(x)) {
      return dev.tfkeras.function.EagerCall.copyOf(out);
    }
  }

  private FloatNdArray single(List<FloatNdArray> outputs) {
    if (outputs.size() != 1) {
      throw new IllegalStateException(
          "Model '" + name() + "' has " + outputs.size() + " outputs; this predict returns one. Use"
              + " predictOutputs(x) (rows per output) or predictArrays(x) (full shapes).");
    }
    return outputs.get(0);
  }

  /**
   * Builds the model for inputs of {@code inputShape} (batch axis first, may be -1) by running it
   * once on zeros, as Keras's {@code model.build(input_shape)} (named apart from the {@link
   * #build} hook that layers override). Needed before {@link #summary} or {@link #loadWeights} on
   * a model that has not seen data.
   */
  public void buildFor(Shape inputShape) {
    Predictor.build(predictFunction(), inputShape);
  }

  /**
   * Builds a model of several inputs for inputs of {@code inputShapes} (one per input, in order,
   * batch axis first), running it once on zeros of each, as Keras's {@code model.build([shape_a,
   * shape_b])}. The inputs are float32, as Keras builds from shapes alone.
   */
  public void buildFor(List<Shape> inputShapes) {
    Predictor.build(predictFunction(), inputShapes);
  }

  /**
   * Keras's {@code model.build(input_shape)}: builds the model for inputs of {@code inputShape}
   * (batch axis first, may be -1), as {@link #buildFor}. Inside the layer lifecycle (a model
   * nested in another, built by its first call) this hook has nothing to do.
   */
  @Override
  public void build(Shape inputShape) {
    if (!isBuilding()) {
      buildFor(inputShape);
    }
  }

  /** The traced inference function returning every output: predict's and {@code apply(x)}'s. */
  TfFunction<List<TType>> predictFunction() {
    requireOpen();
    return eagerCall().function(false);
  }

  /** Builds the model from an input it declared (a Sequential's {@code Input}); else nothing. */
  void buildFromDeclaredInput() {}

  @Override
  protected void requireBuilt() {
    buildFromDeclaredInput();
    if (!isBuilt()) {
      throw new IllegalStateException(
          "Model '" + name() + "' has not been built yet. Build it by calling buildFor(inputShape),"
              + " e.g. model.buildFor(Shape.of(-1, 28, 28, 1)), or by running it on data (fit,"
              + " predict, or apply inside a TfFunction); a model called through call() directly is"
              + " never built: use apply().");
    }
  }

  // ---- summary / saving -----------------------------------------------------------------------

  /** Prints the Keras summary table to standard output. */
  public void summary() {
    summary(System.out);
  }

  /**
   * Prints Keras 3's summary table: layers, output shapes, parameter counts and totals (and the
   * optimizer's state once it has trained). Before the model is built its layers show {@code ?} and
   * {@code 0 (unbuilt)}, as Keras shows them.
   */
  public void summary(PrintStream out) {
    buildFromDeclaredInput();
    out.print(Summary.render(this));
    out.flush();
  }

  /**
   * Saves the weights, and the optimizer's state if compiled. A path ending in {@code .weights.h5}
   * gets Keras 3's weights-only file ({@code model.save_weights("x.weights.h5")}; see {@link
   * dev.tfkeras.saving.keras.KerasFiles#saveWeights}). Any other path is a directory: writes
   * {@code directory/weights.npz}
   * (NumPy's npz: one array per weight path, optimizer state under {@code optimizer/}); nothing
   * else in {@code directory} is touched. The write is atomic: a crash while saving leaves the
   * previous save intact, and the next save removes the {@code .part} file it left.
   *
   * <p>In distributed training only the chief writes to {@code directory}; the other tasks write to
   * a temporary directory beside it that is then deleted, as Keras's {@code distributed_file_utils}
   * (see {@link DistributedFiles}).
   *
   * @throws IOException naming the path if it cannot be written (full disk, permission denied, a
   *     parent that is a file); the previous save is then intact
   */
  public void saveWeights(Path directory) throws IOException {
    requireBuilt();
    Path target = DistributedFiles.writeFilePath(runtime(), directory);
    try {
      if (dev.tfkeras.saving.keras.KerasFiles.isWeightsFile(target)) {
        dev.tfkeras.saving.keras.KerasFiles.saveWeights(this, target);
      } else {
        Saving.saveWeights(this, target);
      }
    } finally {
      DistributedFiles.removeTempFilePath(runtime(), directory);
    }
  }

  /**
   * Restores weights. A path ending in {@code .weights.h5} is Keras 3's weights-only file ({@code
   * model.load_weights("x.weights.h5")}, placed by Keras's structure; see {@link
   * dev.tfkeras.saving.keras.KerasFiles#loadWeights}). Any other path is a directory:
   * restores weights saved by {@link #saveWeights} or {@link #save}, checking every name and shape
   * first (the message lists each mismatch); names that differ while the count and every shape
   * match in order (the same architecture built again in this process, its layers named {@code
   * dense_2}...) load by order, as Keras 3 matches by structure. Then the optimizer's state: now if compiled, else at
   * {@code compile}; {@code optimizer().iterations()} counts the restored steps at once. State
   * saved by another optimizer is skipped with a warning (as Keras does). A save to {@code
   * directory} that a crash interrupted is completed or rolled back first.
   *
   * @throws IllegalArgumentException if names or shapes do not match; nothing is changed then
   * @throws IOException naming the file if it is missing, truncated or damaged (every entry's
   *     CRC-32 is checked); nothing is changed then
   */
  public void loadWeights(Path directory) throws IOException {
    requireBuilt();
    if (dev.tfkeras.saving.keras.KerasFiles.isWeightsFile(directory)) {
      dev.tfkeras.saving.keras.KerasFiles.loadWeights(this, directory);
      return;
    }
    Map<String, org.tensorflow.types.family.TType> optimizerState = Saving.loadWeights(this, directory);
    if (optimizerState.isEmpty()) {
      return;
    }
    if (isCompiled()) {
      try {
        optimizer().restoreState(optimizerState);
      } finally {
        optimizerState.values().forEach(org.tensorflow.types.family.TType::close);
      }
    } else {
      pendingOptimizerState = optimizerState;
    }
  }

  /**
   * Saves the model. A path ending in {@code .keras} gets Keras 3's format (a zip that Python's
   * {@code keras.models.load_model} reads; see {@link dev.tfkeras.saving.keras.KerasFiles#save}); a
   * path ending in {@code .h5} is refused (the legacy HDF5 format is not written). Any other path
   * is a directory: exports a TensorFlow SavedModel there (as {@link #export}) with a {@code serving_default} signature
   * ({@code inputs} → {@code output_0}) that {@code SavedModelBundle} and TensorFlow Serving load,
   * plus {@code weights.npz} for {@link #loadWeights} and a {@code .tfkeras-export} marker.
   *
   * <p>{@code directory} must be new, empty, or an earlier export (recognised by its marker): a
   * regular file or a directory holding anything else is refused, never deleted. The export is
   * written beside the target and swapped in crash-safely: a kill at any point leaves the old or
   * the new export, or both beside the target, from which the next save or load restores the
   * newest (see {@link dev.tfkeras.saving.ExportDirectory}). In distributed training only the chief
   * writes it, as {@link #saveWeights}.
   *
   * @throws IOException saying why the directory is refused, or naming the path that cannot be
   *     written (full disk, permission denied); the previous export is then intact
   */
  public void save(Path directory) throws IOException {
    requireBuilt();
    Path target = DistributedFiles.writeFilePath(runtime(), directory);
    try {
      if (dev.tfkeras.saving.keras.KerasFiles.dispatchesSave(target)) {
        dev.tfkeras.saving.keras.KerasFiles.save(this, target);
      } else {
        Saving.saveModel(this, target);
      }
    } finally {
      DistributedFiles.removeTempFilePath(runtime(), directory);
    }
  }

  /**
   * Keras 3's {@code model.export(path)}: the TensorFlow SavedModel export that {@link #save}
   * writes for a path not ending in {@code .keras} or {@code .h5}, with the same guarantees.
   */
  public void export(Path directory) throws IOException {
    requireBuilt();
    Path target = DistributedFiles.writeFilePath(runtime(), directory);
    try {
      Saving.saveModel(this, target);
    } finally {
      DistributedFiles.removeTempFilePath(runtime(), directory);
    }
  }

  /**
   * Keras's {@code model.get_compile_config()}: what {@code compile} was given, or empty when the
   * model is not compiled.
   */
  public java.util.Optional<CompileConfig> compileConfig() {
    return compiled == null ? java.util.Optional.empty() : java.util.Optional.of(compiled.config());
  }

  @Override
  protected void attachedAtTopLevel(GraphRuntime runtime) {
    runtime.retain();
    ownsRuntime = true;
    if (jitCompile != null) {
      runtime.setJitCompile(jitCompile);
    }
  }

  /**
   * Whether the model runs compiled by XLA, Keras's {@code jit_compile}: what {@link
   * #setJitCompile} set, else Keras's {@code "auto"}, which on CPU means no XLA.
   */
  public final boolean jitCompile() {
    if (jitCompile != null) {
      return jitCompile;
    }
    return runtime() != null && runtime().jitCompile();
  }

  /**
   * Compiles the model's traced steps with XLA (TensorFlow's auto-clustering), as Keras's {@code
   * model.jit_compile = True} or {@code compile(..., jit_compile=True)}. XLA is set for the
   * model's whole runtime (everything traced with it runs in one session), so set it before the
   * model first runs: after {@code compile}, before {@code fit}, {@code evaluate} or {@code
   * predict}. On the CPU machines measured here XLA was slower (benchmarks/README.md); it pays on
   * models with long chains of elementwise ops.
   *
   * @throws IllegalStateException if the model's runtime already runs with the other setting
   */
  public final void setJitCompile(boolean enabled) {
    requireOpen();
    if (runtime() != null && !runtime().isClosed()) {
      runtime().setJitCompile(enabled);
    }
    jitCompile = enabled;
  }

  @Override
  protected void adopted() {
    // Now part of another model, which owns the runtime for both.
    if (ownsRuntime) {
      ownsRuntime = false;
      runtime().release();
    }
  }

  /**
   * Releases this model: its runtime's graph and session are freed once no other open model owns
   * them (models built together in one runtime, as in a custom loop, share it; a model closed here
   * leaves the others working). The model cannot be used afterwards. Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (pendingOptimizerState != null) {
      pendingOptimizerState.values().forEach(org.tensorflow.types.family.TType::close);
      pendingOptimizerState = null;
    }
    if (ownsRuntime) {
      ownsRuntime = false;
      runtime().release();
    }
  }

  /** Fails with a clear message once the model was closed. */
  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException(
          "Model '" + name() + "' was closed and can no longer run; build a new model.");
    }
  }

  // ---- config ---------------------------------------------------------------------------------

  /**
   * Keras's {@code get_config()}: what rebuilds this model with its class's {@code fromConfig}.
   * Sequential and functional models give Keras's keys; a subclassed model overrides this to give
   * its constructor's arguments by name (see the class comment), else has none.
   *
   * @throws UnsupportedOperationException for a subclassed model that does not override it,
   *     showing the methods to write and the registration
   */
  @Override
  public Config getConfig() {
    throw new UnsupportedOperationException(dev.tfkeras.saving.keras.KerasConfigWriter.howToSave(this,
        "Model '" + name() + "' is a subclassed model (" + getClass().getName() + ") without a config"));
  }

  /**
   * Keras's {@code get_build_config()}: {@code {"input_shape": [null, ...]}} once the model is
   * built (the input shape, batch axis first; a list of shapes for several inputs), else null.
   * Loading builds the model from it before placing the weights.
   */
  @Override
  public Config getBuildConfig() {
    if (!isBuilt()) {
      return null;
    }
    List<Object> shapes = inputShapes().stream().map(Model::unknownBatch).toList();
    return new Config().put("input_shape", shapes.size() == 1 ? shapes.get(0) : shapes);
  }

  private static Object unknownBatch(Shape shape) {
    List<Object> dims = new java.util.ArrayList<>();
    for (long dim : shape.asArray()) {
      dims.add(dims.isEmpty() || dim < 0 ? null : dim);
    }
    return dims;
  }

  /**
   * Keras's {@code model.to_json()}: the model serialized as JSON ({@code module}, {@code
   * class_name}, {@code config}, {@code registered_name}, {@code build_config} and, when compiled,
   * {@code compile_config}), what a {@code .keras} file's {@code config.json} holds; no weights.
   *
   * @throws IllegalArgumentException for a custom class (subclassed model, custom layer) not
   *     registered or without a config, saying what to write
   */
  public String toJson() {
    return dev.tfkeras.saving.keras.KerasConfigWriter.model(this).toJson();
  }

  /**
   * Keras's {@code keras.models.model_from_json}: a new model from {@link #toJson()}'s JSON, with
   * new weights, built when the JSON gives its input shape and compiled when it has a {@code
   * compile_config}. Subclassed models and custom layers are found through {@link
   * dev.tfkeras.saving.CustomObjects}.
   *
   * @throws IllegalArgumentException for JSON that is not a serialized model, an unknown or
   *     unregistered class, naming it
   */
  public static Model fromJson(String json) {
    return dev.tfkeras.saving.keras.KerasModelReader.deserialize(Config.fromJson(json));
  }

  /**
   * Keras's {@code Model.from_config(config)}: a functional model from a functional config ({@code
   * name}, {@code layers}, {@code input_layers}, {@code output_layers}); see {@link
   * Sequential#fromConfig} for a Sequential's and {@link #fromJson} for a serialized model of any
   * class.
   *
   * @throws IllegalArgumentException for a config that is not a functional model's
   */
  public static Model fromConfig(Config config) {
    for (String key : List.of("name", "layers", "input_layers", "output_layers")) {
      if (!config.has(key)) {
        throw new IllegalArgumentException(
            "Model.fromConfig rebuilds a functional model, whose config has `name`, `layers`,"
                + " `input_layers` and `output_layers`; this one lacks `" + key + "`. Use"
                + " Sequential.fromConfig for a Sequential's config, your class's fromConfig for a"
                + " subclassed model's, or Model.fromJson for a serialized model of any class.");
      }
    }
    return Functional.fromConfig(config);
  }

  /**
   * Keras's {@code keras.models.load_model}: a {@code .keras} file (Keras 3, tf.keras 2.13+) or a
   * legacy HDF5 {@code .h5} full model, told apart by its first bytes (see {@link
   * dev.tfkeras.saving.keras.KerasFiles#load}).
   */
  public static Model load(java.nio.file.Path file) throws IOException {
    return dev.tfkeras.saving.keras.KerasFiles.load(file);
  }
}
