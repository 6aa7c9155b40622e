package dev.tfkeras.callbacks;

import dev.tfkeras.layers.Layer;
import dev.tfkeras.models.Functional;
import dev.tfkeras.models.Model;
import dev.tfkeras.models.Sequential;
import dev.tfkeras.optimizers.Optimizer;
import dev.tfkeras.runtime.GraphRuntime;
import dev.tfkeras.summary.SummaryWriter;
import dev.tfkeras.variables.Variable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * Writes what {@code fit} and {@code evaluate} log for TensorBoard, as Keras 3's {@code
 * keras.callbacks.TensorBoard}: runs {@code logDir/train} and {@code logDir/validation}, epoch
 * values as {@code epoch_loss}, {@code epoch_accuracy}, {@code epoch_learning_rate} at step =
 * epoch, validation values under the same tags in the validation run, {@code
 * evaluation_<name>_vs_iterations} at step = the optimizer's iterations after each evaluation,
 * {@code batch_<name>} every {@code updateFreq} batches, weight histograms as {@code
 * <model name>/<weight path>/histogram} (Keras's weight path inside the model, e.g. {@code
 * sequential/conv1/kernel/histogram}). Checked against the event files Keras 3.15.1 writes for
 * the same model (TensorBoardKerasRunTest).
 *
 * <pre>{@code
 * model.fit(train, new FitOptions().epochs(5).validationData(test)
 *     .callbacks(new TensorBoard(Path.of("logs")).histogramFreq(1)));
 * // then: tensorboard --logdir logs
 * }</pre>
 *
 * <p>Values are written from Java between steps through {@link SummaryWriter} (not from inside
 * the traced step); event files are created on first use and flushed at every epoch's end, so a
 * crash keeps every finished epoch. Keras's {@code profile_batch} and {@code embeddings_freq} are
 * not offered.
 */
public final class TensorBoard extends Callback {

  private final Path logDir;
  private int histogramFreq;
  private static final org.apache.logging.log4j.Logger LOG =
      org.apache.logging.log4j.LogManager.getLogger(TensorBoard.class);

  private boolean writeGraph = true;
  private boolean writeImages;
  private boolean writeStepsPerSecond;
  private int updateFreq; // 0: "epoch"

  private SummaryWriter trainWriter;
  private SummaryWriter valWriter;
  private boolean training;
  private boolean shouldWriteTrainGraph;
  private long globalTrainBatch;
  private long globalTestBatch;
  private long batchStart;
  private long epochStart;
  private long epochStartIterations;

  /** Keras's default {@code log_dir="logs"}. */
  public TensorBoard() {
    this(Path.of("logs"));
  }

  /**
   * Writes under {@code logDir} (Keras's {@code log_dir}), which no other callback should use;
   * Keras's other defaults: no histograms, the graph written, update frequency {@code "epoch"}.
   */
  public TensorBoard(Path logDir) {
    this.logDir = Objects.requireNonNull(logDir, "logDir");
  }

  /** The directory holding the {@code train} and {@code validation} runs. */
  public Path logDir() {
    return logDir;
  }

  /**
   * Keras's {@code histogram_freq}: every how many epochs to write weight histograms (0, the
   * default, never); returns this.
   *
   * @throws IllegalArgumentException for a negative frequency
   */
  public TensorBoard histogramFreq(int histogramFreq) {
    if (histogramFreq < 0) {
      throw new IllegalArgumentException(
          "Received an invalid value for `histogram_freq`, expected a non-negative integer (0"
              + " disables histograms). Received: histogram_freq=" + histogramFreq);
    }
    this.histogramFreq = histogramFreq;
    return this;
  }

  /**
   * Keras's {@code write_graph}: write the traced graph (training step included) for the Graphs
   * dashboard after the first batch (default true); returns this.
   */
  public TensorBoard writeGraph(boolean writeGraph) {
    this.writeGraph = writeGraph;
    return this;
  }

  /**
   * Keras's {@code write_images}: with histograms, also write each weight as an image, as Keras
   * reshapes it (default false); returns this.
   */
  public TensorBoard writeImages(boolean writeImages) {
    this.writeImages = writeImages;
    return this;
  }

  /**
   * Keras's {@code write_steps_per_second}: also write {@code epoch_steps_per_second} (and {@code
   * batch_steps_per_second} with a batch update frequency); returns this.
   */
  public TensorBoard writeStepsPerSecond(boolean writeStepsPerSecond) {
    this.writeStepsPerSecond = writeStepsPerSecond;
    return this;
  }

  /**
   * Keras's {@code update_freq}: {@code "epoch"} (default) writes values once per epoch, {@code
   * "batch"} also after every batch; returns this.
   *
   * @throws IllegalArgumentException for any other string
   */
  public TensorBoard updateFreq(String updateFreq) {
    Objects.requireNonNull(updateFreq, "updateFreq");
    switch (updateFreq) {
      case "epoch" -> this.updateFreq = 0;
      case "batch" -> this.updateFreq = 1;
      default ->
          throw new IllegalArgumentException(
              "Received an invalid value for `update_freq`, expected \"epoch\", \"batch\" or a"
                  + " positive number of batches. Received: update_freq='" + updateFreq + "'");
    }
    return this;
  }

  /**
   * Keras's {@code update_freq} as an integer: also write {@code batch_<name>} values every {@code
   * batches} training batches (counted across epochs); returns this.
   *
   * @throws IllegalArgumentException if {@code batches < 1}
   */
  public TensorBoard updateFreq(int batches) {
    if (batches < 1) {
      throw new IllegalArgumentException(
          "Received an invalid value for `update_freq`, expected \"epoch\", \"batch\" or a positive"
              + " number of batches. Received: update_freq=" + batches);
    }
    this.updateFreq = batches;
    return this;
  }

  @Override
  public void setModel(Model model) {
    super.setModel(model);
    closeWriters();
    shouldWriteTrainGraph = writeGraph;
    if (writeGraph && (model instanceof Sequential || model instanceof Functional)) {
      writeKerasModelSummary(model);
    }
  }

  /**
   * Keras's {@code _write_keras_model_summary}: the model's JSON config under the tag {@code keras}
   * at step 0 of the train run, for the Graphs dashboard's conceptual graph; a model that cannot be
   * serialized is skipped with a warning, as Keras does.
   */
  private void writeKerasModelSummary(Model model) {
    String json;
    try {
      json = model.toJson();
    } catch (RuntimeException e) {
      LOG.warn("Model failed to serialize as JSON. Ignoring... {}", e.getMessage());
      return;
    }
    trainWriter().kerasModel("keras", json, 0);
  }

  @Override
  public void onTrainBegin() {
    training = true;
    globalTrainBatch = 0;
    epochStartIterations = 0;
  }

  @Override
  public void onTrainEnd(Map<String, Double> logs) {
    training = false;
    closeWriters();
  }

  @Override
  public void onEpochBegin(int epoch) {
    if (writeStepsPerSecond) {
      epochStartIterations = iterations();
      epochStart = System.nanoTime();
    }
  }

  @Override
  public void onTrainBatchBegin(int batch) {
    globalTrainBatch++;
    if (writeStepsPerSecond) {
      batchStart = System.nanoTime();
    }
  }

  @Override
  public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
    if (shouldWriteTrainGraph) {
      shouldWriteTrainGraph = false;
      GraphRuntime runtime = model().runtime();
      if (runtime != null && !runtime.isClosed()) {
        trainWriter().graph(runtime.graph().toGraphDef());
      }
    }
    if (updateFreq == 0 || globalTrainBatch % updateFreq != 0) {
      return;
    }
    if (writeStepsPerSecond) {
      double seconds = (System.nanoTime() - batchStart) / 1e9;
      trainWriter().scalar("batch_steps_per_second", 1.0 / seconds, globalTrainBatch);
    }
    logs.forEach((name, value) -> trainWriter().scalar("batch_" + name, value, globalTrainBatch));
  }

  @Override
  public void onTestBatchBegin(int batch) {
    globalTestBatch++;
  }

  @Override
  public void onTestEnd(Map<String, Double> logs) {
    if (model() != null && model().optimizer() != null) {
      long step = iterations();
      logs.forEach(
          (name, value) -> valWriter().scalar("evaluation_" + name + "_vs_iterations", value, step));
    }
    if (training) {
      valWriter().flush();
    } else {
      closeWriters(); // a stand-alone evaluate: nothing else comes
    }
  }

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs) {
    if (!logs.isEmpty()) {
      Map<String, Double> trainLogs = new LinkedHashMap<>();
      Map<String, Double> valLogs = new LinkedHashMap<>();
      logs.forEach((k, v) -> (k.startsWith("val_") ? valLogs : trainLogs).put(k, v));
      Optimizer optimizer = model().optimizer();
      if (optimizer != null) {
        trainLogs.put("learning_rate", (double) optimizer.learningRate());
      }
      if (writeStepsPerSecond) {
        double seconds = (System.nanoTime() - epochStart) / 1e9;
        trainLogs.put("steps_per_second", (iterations() - epochStartIterations) / seconds);
      }
      trainLogs.forEach((name, value) -> trainWriter().scalar("epoch_" + name, value, epoch));
      valLogs.forEach((name, value) -> valWriter().scalar("epoch_" + name.substring(4), value, epoch));
    }
    if (histogramFreq > 0 && epoch % histogramFreq == 0) {
      logWeights(epoch);
    }
    if (trainWriter != null) {
      trainWriter.flush();
    }
    if (valWriter != null) {
      valWriter.flush();
    }
  }

  /**
   * Keras's {@code _log_weights}: each layer's weights, tagged by their path as Keras 3 names it,
   * inside the model's name scope ({@code sequential/conv1/kernel}).
   */
  private void logWeights(int epoch) {
    String scope = model().name() + "/";
    for (Layer layer : model().layers()) {
      if (!layer.isBuilt()) {
        continue;
      }
      for (Variable<TFloat32> weight : layer.weights()) {
        String path = weight.path().startsWith(scope) ? weight.path() : scope + weight.path();
        String name = path.replace(":", "_");
        try (TFloat32 value = weight.value()) {
          trainWriter().histogram(name + "/histogram", value, epoch);
          if (writeImages) {
            FloatNdArray image = asImage(value);
            if (image != null) {
              trainWriter().image(name + "/image", image, epoch);
            }
          }
        }
      }
    }
  }

  /**
   * Keras's {@code _log_weight_as_image}: the weight squeezed, a vector as a (1, n, 1, 1) image, a
   * matrix as one image with the longer axis across, a 3-D weight as one image per last-axis slice;
   * null for shapes Keras does not draw (a 4-D weight whose last axis is not 1, 3 or 4).
   */
  static FloatNdArray asImage(FloatNdArray weight) {
    List<Long> dims = new ArrayList<>();
    for (long d : weight.shape().asArray()) {
      if (d != 1) {
        dims.add(d);
      }
    }
    float[] v = new float[Math.toIntExact(weight.size())];
    weight.copyTo(DataBuffers.of(v, false, false));
    switch (dims.size()) {
      case 1:
        return NdArrays.wrap(Shape.of(1, dims.get(0), 1, 1), DataBuffers.of(v, true, false));
      case 2: {
        int rows = dims.get(0).intValue();
        int cols = dims.get(1).intValue();
        if (rows > cols) {
          float[] t = new float[v.length];
          for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
              t[c * rows + r] = v[r * cols + c];
            }
          }
          return NdArrays.wrap(Shape.of(1, cols, rows, 1), DataBuffers.of(t, true, false));
        }
        return NdArrays.wrap(Shape.of(1, rows, cols, 1), DataBuffers.of(v, true, false));
      }
      case 3: {
        // channels_last: (h, w, c) -> (c, h, w, 1)
        int h = dims.get(0).intValue();
        int w = dims.get(1).intValue();
        int c = dims.get(2).intValue();
        float[] t = new float[v.length];
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            for (int k = 0; k < c; k++) {
              t[(k * h + y) * w + x] = v[(y * w + x) * c + k];
            }
          }
        }
        return NdArrays.wrap(Shape.of(c, h, w, 1), DataBuffers.of(t, true, false));
      }
      case 4: {
        long last = dims.get(3);
        if (last == 1 || last == 3 || last == 4) {
          return NdArrays.wrap(
              Shape.of(dims.get(0), dims.get(1), dims.get(2), last), DataBuffers.of(v, true, false));
        }
        return null;
      }
      default:
        return null;
    }
  }

  private long iterations() {
    Optimizer optimizer = model() == null ? null : model().optimizer();
    return optimizer == null ? 0 : optimizer.iterations();
  }

  private SummaryWriter trainWriter() {
    if (trainWriter == null) {
      trainWriter = SummaryWriter.create(logDir.resolve("train"));
    }
    return trainWriter;
  }

  private SummaryWriter valWriter() {
    if (valWriter == null) {
      valWriter = SummaryWriter.create(logDir.resolve("validation"));
    }
    return valWriter;
  }

  private void closeWriters() {
    try {
      if (trainWriter != null) {
        trainWriter.close();
      }
    } finally {
      trainWriter = null;
      try {
        if (valWriter != null) {
          valWriter.close();
        }
      } finally {
        valWriter = null;
      }
    }
  }
}
