package dev.tfkeras.models;

import dev.tfkeras.autodiff.GradientTape;
import dev.tfkeras.callbacks.Callback;
import dev.tfkeras.callbacks.History;
import dev.tfkeras.data.Dataset;
import dev.tfkeras.function.TfFunction;
import dev.tfkeras.layers.Layer;
import dev.tfkeras.losses.Loss;
import dev.tfkeras.metrics.Mean;
import dev.tfkeras.metrics.PredictionMetric;
import dev.tfkeras.optimizers.Optimizer;
import dev.tfkeras.runtime.GraphRuntime;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

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
 * <p>A model owns the {@link GraphRuntime} it is built in: {@link #close()} frees its graph and
 * session, and with them the optimizers, metrics and functions used with it.
 */
public abstract class Model extends Layer implements AutoCloseable {

  private Trainer trainer;
  private TfFunction<TFloat32> predictFunction;
  private Map<String, org.tensorflow.types.family.TType> pendingOptimizerState;
  private boolean stopTraining;

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

  /** Trains for {@code epochs} over batched {@code train} data, printing Keras's progress bar. */
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
    Objects.requireNonNull(train, "train");
    return trainer("fit").fit(train, epochs, validation, verbose, System.out, List.of(callbacks));
  }

  /** The loss and metrics over batched {@code data}, keyed {@code loss}, then metric names. */
  public Map<String, Double> evaluate(Dataset data) {
    Objects.requireNonNull(data, "data");
    return trainer("evaluate").evaluate(data);
  }

  /**
   * One training step, traced once per input signature by {@link #fit}: Keras's {@code
   * train_step}. Override it to customise what {@code fit} does; the default runs the model under a
   * {@link GradientTape}, applies the gradients of the compiled loss and updates the metrics.
   */
  protected void trainStep(Operand<TFloat32> x, Operand<TInt32> y) {
    var tape = new GradientTape();
    Operand<TFloat32> predictions;
    Operand<TFloat32> loss;
    try (tape) {
      predictions = apply(x, true);
      loss = compiledLoss().call(y, predictions);
    }
    var gradients = tape.gradient(loss, trainableVariables());
    optimizer().applyGradients(gradients, trainableVariables());
    updateMetrics(loss, y, predictions);
  }

  /** One evaluation step, traced once by {@link #fit}/{@link #evaluate}: Keras's {@code test_step}. */
  protected void testStep(Operand<TFloat32> x, Operand<TInt32> y) {
    Operand<TFloat32> predictions = apply(x, false);
    updateMetrics(compiledLoss().call(y, predictions), y, predictions);
  }

  /**
   * Adds a batch's loss and predictions to the compiled loss tracker and metrics. The loss counts
   * once per example (weighted by the batch size, as Keras's fit does), so a last partial batch
   * weighs what it holds.
   */
  protected final void updateMetrics(Operand<TFloat32> loss, Operand<TInt32> y, Operand<TFloat32> predictions) {
    Compiled compiled = trainer("updateMetrics").compiled();
    var tf = TfFunction.ops();
    Operand<TFloat32> batchSize =
        tf.dtypes.cast(
            tf.gather(tf.shape(predictions), tf.constant(0), tf.constant(0)), TFloat32.class);
    compiled.lossTracker().update(loss, batchSize);
    compiled.metrics().forEach(m -> m.update(y, predictions));
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

  /** The outputs for host data {@code x} of shape (N, ...), one row per example, in order. */
  public float[][] predict(FloatNdArray x) {
    return Predictor.predictRows(this::predictFunction, x, 32);
  }

  /** The outputs for every batch of {@code data} (labels ignored), one row per example, in order. */
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

  TfFunction<TFloat32> predictFunction() {
    if (predictFunction == null) {
      predictFunction = TfFunction.returning(TFloat32.class, x -> apply(x, false)).named("predict");
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
   * (NumPy's npz: one array per weight path, optimizer state under {@code optimizer/}); nothing
   * else in {@code directory} is touched. The write is atomic: a crash while saving leaves the
   * previous save intact, and the next save removes the {@code .part} file it left.
   *
   * @throws IOException naming the path if it cannot be written (full disk, permission denied, a
   *     parent that is a file); the previous save is then intact
   */
  public void saveWeights(Path directory) throws IOException {
    requireBuilt();
    Saving.saveWeights(this, directory);
  }

  /**
   * Restores weights saved by {@link #saveWeights} or {@link #save}, checking every name and shape
   * first (the message lists each mismatch), and the optimizer's state: now if compiled, else at
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
   * plus {@code weights.npz} for {@link #loadWeights} and a {@code .tfkeras-export} marker.
   *
   * <p>{@code directory} must be new, empty, or an earlier export (recognised by its marker): a
   * regular file or a directory holding anything else is refused, never deleted. The export is
   * written beside the target and swapped in crash-safely: a kill at any point leaves the old or
   * the new export, or both beside the target, from which the next save or load restores the
   * newest (see {@link dev.tfkeras.saving.ExportDirectory}).
   *
   * @throws IOException saying why the directory is refused, or naming the path that cannot be
   *     written (full disk, permission denied); the previous export is then intact
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
