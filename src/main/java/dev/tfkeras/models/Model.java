package dev.tfkeras.models;

import dev.tfkeras.autodiff.GradientTape;
import dev.tfkeras.callbacks.Callback;
import dev.tfkeras.callbacks.History;
import dev.tfkeras.data.Dataset;
import dev.tfkeras.function.TfFunction;
import dev.tfkeras.layers.Layer;
import dev.tfkeras.losses.Loss;
import dev.tfkeras.losses.Losses;
import dev.tfkeras.metrics.Mean;
import dev.tfkeras.metrics.Metrics;
import dev.tfkeras.metrics.PredictionMetric;
import dev.tfkeras.optimizers.Optimizer;
import dev.tfkeras.optimizers.Optimizers;
import dev.tfkeras.runtime.GraphRuntime;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

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
 * function, by {@link #buildFor}, or by the first {@code fit}/{@code predict} batch (layers named after
 * their fields, weights created from the input shape, in call order) → {@link #compile} for {@code
 * fit}/{@code evaluate} → trained, saved, restored → {@link #close()}. From outside, use {@code
 * apply}, not {@code call}: {@code apply} owns naming, building and checks.
 *
 * <p>Threads: a model may be built and used for inference ({@code predict}, {@code apply} in traced
 * functions) from several threads at once: tracing and variable creation are serialized per
 * runtime, and inference on a built model runs concurrently. One model trains in one thread at a
 * time: a second concurrent {@code fit} is refused with an {@link IllegalStateException}.
 *
 * <p>A model owns the {@link GraphRuntime} it is built in: {@link #close()} frees its graph and
 * session, and with them the optimizers, metrics and functions used with it.
 */
public abstract class Model extends Layer implements AutoCloseable {

  private Trainer trainer;
  private TfFunction<TFloat32> predictFunction;
  private Map<String, org.tensorflow.types.family.TType> pendingOptimizerState;
  private boolean stopTraining;
  private final java.util.concurrent.atomic.AtomicBoolean training = new java.util.concurrent.atomic.AtomicBoolean();

  @Override
  protected boolean isContainer() {
    return true;
  }

  // ---- compile / fit / evaluate ---------------------------------------------------------------

  /**
   * Configures training: the optimizer, the loss, and the metrics reported next to {@code loss}
   * in the logs of {@link #fit} and {@link #evaluate}.
   */
  public void compile(Optimizer optimizer, Loss loss, PredictionMetric... metrics) {
    Objects.requireNonNull(optimizer, "optimizer");
    Objects.requireNonNull(loss, "loss");
    trainer = new Trainer(this, new Compiled(optimizer, loss, List.of(metrics), new Mean("loss")));
    if (pendingOptimizerState != null) {
      optimizer.restoreState(pendingOptimizerState);
      pendingOptimizerState.values().forEach(org.tensorflow.types.family.TType::close);
      pendingOptimizerState = null;
    }
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
    Trainer trainer = trainer("fit");
    if (options.validationSplit > 0 && options.validationDataset == null && options.validationX == null) {
      throw new IllegalArgumentException(
          "validationSplit is only supported for array data, received a Dataset; split it yourself"
              + " (Utils.splitDataset, or take/skip) and pass validationData.");
    }
    Dataset validation = validationOf(options, options.batchSize);
    return train(trainer, train, validation, options);
  }

  /** Runs the trainer, refusing a second fit of this model from another thread meanwhile. */
  private History train(Trainer trainer, Dataset train, Dataset validation, FitOptions options) {
    if (!training.compareAndSet(false, true)) {
      throw new IllegalStateException(
          "Model '" + name() + "' is already being trained by fit in another thread; a model trains"
              + " in one thread at a time (its weights and optimizer state are shared). Wait for"
              + " that fit to end, or build one model per thread.");
    }
    try {
      return trainer.fit(train, validation, run(options), System.out);
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
   * @param y targets in the same forms (class indices, one-hot rows, regression values...)
   * @throws IllegalArgumentException for data of an unsupported type, shape or length
   */
  public History fit(Object x, Object y, FitOptions options) {
    Objects.requireNonNull(options, "options");
    if (x instanceof Dataset) {
      throw new IllegalArgumentException(
          "x is a Dataset, which carries its own targets: call fit(dataset, options) or"
              + " fit(dataset, epochs).");
    }
    if (y == null) {
      throw new IllegalArgumentException("y must not be null: fit needs targets for the loss.");
    }
    Trainer trainer = trainer("fit");
    Dataset all =
        options.sampleWeight == null
            ? Dataset.fromTensorSlices(x, y)
            : Dataset.fromTensorSlices(x, y, options.sampleWeight);
    Dataset train = all;
    Dataset validation = validationOf(options, options.batchSize);
    if (validation == null && options.validationSplit > 0) {
      long count = all.cardinality();
      long splitAt = (long) Math.floor(count * (1.0 - options.validationSplit));
      if (splitAt == 0 || splitAt == count) {
        throw new IllegalArgumentException(
            "validationSplit=" + options.validationSplit + " of " + count + " examples leaves no"
                + " example for " + (splitAt == 0 ? "training" : "validation") + "; use more data or"
                + " a split that leaves examples on both sides.");
      }
      train = all.take(splitAt);
      validation = all.skip(splitAt).batch(validationBatch(options));
    }
    if (options.shuffle) {
      long count = train.cardinality();
      // Keras shuffles the whole array every epoch; reproducible after GraphRuntime.setRandomSeed.
      long seed = GraphRuntime.randomSeed().orElseGet(() -> java.util.concurrent.ThreadLocalRandom.current().nextLong());
      train = train.shuffle((int) count, seed);
    }
    return train(trainer, train.batch(options.batchSize).prefetch(2), validation, options);
  }

  private static int validationBatch(FitOptions options) {
    return options.validationBatchSize != null ? options.validationBatchSize : options.batchSize;
  }

  private static Dataset validationOf(FitOptions options, int batchSize) {
    Dataset validation = options.validationDataset;
    if (validation == null && options.validationX != null) {
      validation =
          (options.validationSampleWeight == null
                  ? Dataset.fromTensorSlices(options.validationX, options.validationY)
                  : Dataset.fromTensorSlices(
                      options.validationX, options.validationY, options.validationSampleWeight))
              .batch(validationBatch(options));
    }
    if (validation != null && options.validationSteps != null) {
      validation = validation.take(options.validationSteps);
    }
    return validation;
  }

  private static Trainer.Run run(FitOptions options) {
    return new Trainer.Run(
        options.epochs,
        options.initialEpoch,
        options.stepsPerEpoch,
        options.validationFreq,
        options.verbose,
        options.classWeight == null ? null : new ClassWeights(options.classWeight),
        List.copyOf(options.callbacks));
  }

  /** The loss and metrics over batched {@code data}, keyed {@code loss}, then metric names. */
  public Map<String, Double> evaluate(Dataset data) {
    Objects.requireNonNull(data, "data");
    return trainer("evaluate").evaluate(data, null);
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
        sampleWeight == null
            ? Dataset.fromTensorSlices(x, y)
            : Dataset.fromTensorSlices(x, y, sampleWeight);
    return trainer("evaluate").evaluate(data.batch(batchSize).prefetch(2), null);
  }

  /**
   * One training step, traced once per input signature by {@link #fit}: Keras's {@code
   * train_step(data)}. Override it to customise what {@code fit} does; the default runs the model
   * under a {@link GradientTape}, applies the gradients of the compiled loss plus the
   * regularization penalties ({@link #losses()}) and updates the metrics.
   */
  protected void trainStep(StepData data) {
    var tape = new GradientTape();
    Operand<TFloat32> predictions;
    Operand<TFloat32> loss;
    try (tape) {
      predictions = apply(data.inputs(), true);
      loss = plusPenalties(compiledLoss().call(data.y(), predictions, data.sampleWeight()));
    }
    var gradients = tape.gradient(loss, trainableVariables());
    optimizer().applyGradients(gradients, trainableVariables());
    updateMetrics(loss, data, predictions);
  }

  /** One evaluation step, traced once by {@link #fit}/{@link #evaluate}: Keras's {@code test_step}. */
  protected void testStep(StepData data) {
    Operand<TFloat32> predictions = apply(data.inputs(), false);
    updateMetrics(plusPenalties(compiledLoss().call(data.y(), predictions, data.sampleWeight())), data, predictions);
  }

  /** {@code loss} plus the regularization penalties of {@link #losses()}, as Keras's {@code compute_loss}. */
  private Operand<TFloat32> plusPenalties(Operand<TFloat32> loss) {
    List<Operand<TFloat32>> penalties = losses();
    return penalties.isEmpty() ? loss : TfFunction.ops().math.add(loss, TfFunction.ops().math.addN(penalties));
  }

  /**
   * Adds a batch's loss and predictions to the compiled loss tracker and metrics. The loss counts
   * once per example (weighted by the batch size, as Keras's fit does), so a last partial batch
   * weighs what it holds.
   */
  protected final void updateMetrics(Operand<TFloat32> loss, StepData data, Operand<TFloat32> predictions) {
    Compiled compiled = trainer("updateMetrics").compiled();
    var tf = TfFunction.ops();
    Operand<TFloat32> batchSize =
        tf.dtypes.cast(
            tf.gather(tf.shape(predictions), tf.constant(0), tf.constant(0)), TFloat32.class);
    compiled.lossTracker().update(loss, batchSize);
    compiled.metrics().forEach(m -> m.update(data.y(), predictions, data.sampleWeight()));
  }

  /** The compiled optimizer. */
  public final Optimizer optimizer() {
    return trainer("optimizer").compiled().optimizer();
  }

  /** The compiled loss. */
  protected final Loss compiledLoss() {
    return trainer("loss").compiled().loss();
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
  }

  private Trainer trainer(String what) {
    if (trainer == null) {
      throw new IllegalStateException(
          "You must call compile() before " + what + "(): model.compile(optimizer, loss, metrics...),"
              + " e.g. model.compile(new Adam(), new SparseCategoricalCrossentropy(true),"
              + " new SparseCategoricalAccuracy(\"accuracy\")).");
    }
    return trainer;
  }

  boolean isCompiled() {
    return trainer != null;
  }

  // ---- predict / build ------------------------------------------------------------------------

  /** The model's outputs for {@code x} (inference mode), batched internally; the caller closes them. */
  public TFloat32 predict(TFloat32 x) {
    return Predictor.predict(this::predictFunction, x, 32);
  }

  /**
   * The outputs for host data {@code x} (inference mode), in batches of 32: one row per example, in
   * order, each the example's output flattened.
   *
   * @param x an {@code NdArray}, a Java array ({@code float[][]}, {@code int[]}...) or a {@code
   *     List} of them for several inputs; any numeric dtype or bool
   */
  public float[][] predict(Object x) {
    return predict(x, 32);
  }

  /** Like {@link #predict(Object)} in batches of {@code batchSize}. */
  public float[][] predict(Object x, int batchSize) {
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batchSize must be a positive integer, received: " + batchSize);
    }
    if (x instanceof Dataset data) {
      return predict(data);
    }
    return Predictor.predictRows(this::predictFunction, Dataset.fromTensorSlices(x).batch(batchSize).prefetch(2));
  }

  /** The outputs for every batch of {@code data} (targets ignored), one row per example, in order. */
  public float[][] predict(Dataset data) {
    return Predictor.predictRows(this::predictFunction, data);
  }

  /**
   * Builds the model for inputs of {@code inputShape} (batch axis first, may be -1) by running it
   * once on zeros, as Keras's {@code model.build(input_shape)} (named apart from the {@link
   * #build} hook that layers override). Needed before {@link #summary} or {@link #loadWeights} on
   * a model that has not seen data.
   */
  public void buildFor(Shape inputShape) {
    Predictor.build(this::predictFunction, inputShape);
  }

  synchronized TfFunction<TFloat32> predictFunction() {
    if (predictFunction == null) {
      predictFunction = TfFunction.<TFloat32>returningAny(inputs -> apply(inputs, false)).named("predict");
    }
    return predictFunction;
  }

  @Override
  protected void requireBuilt() {
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

  /** Prints the Keras summary table: layers, output shapes, parameter counts and totals. */
  public void summary(PrintStream out) {
    requireBuilt();
    out.print(Summary.render(this));
    out.flush();
  }

  /**
   * Saves the weights, and the optimizer's state if compiled, to {@code directory/weights.npz}
   * (NumPy's npz: one array per weight path, optimizer state under {@code optimizer/}). The write
   * is atomic: a crash while saving leaves the previous save intact.
   */
  public void saveWeights(Path directory) throws IOException {
    requireBuilt();
    Saving.saveWeights(this, directory);
  }

  /**
   * Restores weights saved by {@link #saveWeights}, checking every name and shape first (the
   * message lists each mismatch), and the optimizer's state: now if compiled, else at {@code
   * compile}.
   *
   * @throws IllegalArgumentException if names or shapes do not match; nothing is changed then
   */
  public void loadWeights(Path directory) throws IOException {
    requireBuilt();
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
   * Exports a TensorFlow SavedModel to {@code directory} with a {@code serving_default} signature
   * ({@code inputs} → {@code output_0}) that {@code SavedModelBundle} and TensorFlow Serving load,
   * plus {@code weights.npz} for {@link #loadWeights}. Written beside the target and moved into
   * place, so a failed export leaves the previous one intact.
   */
  public void save(Path directory) throws IOException {
    requireBuilt();
    Saving.saveModel(this, directory);
  }

  /** Frees the native graph and session this model was built in. Idempotent. */
  @Override
  public void close() {
    if (pendingOptimizerState != null) {
      pendingOptimizerState.values().forEach(org.tensorflow.types.family.TType::close);
      pendingOptimizerState = null;
    }
    GraphRuntime runtime = runtime();
    if (runtime != null) {
      runtime.close();
    }
  }
}
