package dev.tfkeras.summary;

import com.google.protobuf.ByteString;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import dev.tfkeras.function.Trace;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TString;
import org.tensorflow.types.family.TNumber;
import javax.imageio.ImageIO;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.Summary;
import org.tensorflow.proto.SummaryMetadata;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * Writes TensorBoard event files from Java, as Python's {@code tf.summary} does: one writer per run
 * directory, values by tag and step. For custom training loops; {@code fit} uses the {@code
 * TensorBoard} callback, which writes through this class.
 *
 * <pre>{@code
 * try (SummaryWriter writer = SummaryWriter.create(Path.of("logs/train"))) {
 *   for (int epoch = 0; epoch < epochs; epoch++) {
 *     double loss = trainOneEpoch();
 *     writer.scalar("loss", loss, epoch);   // tf.summary.scalar("loss", loss, step=epoch)
 *   }
 * }
 * }</pre>
 *
 * <p>Each value is a {@code Summary} value whose tensor and plugin metadata are those of {@code
 * tf.summary} v2 (plugins {@code scalars}, {@code histograms}, {@code images}, {@code text}), so
 * TensorBoard shows them on the same dashboards. Events are computed on the caller's thread between
 * steps and written by a background thread (see {@link EventFile}); {@link #flush()} waits until
 * they are on disk, {@link #close()} writes the rest and closes the file.
 */
public final class SummaryWriter implements AutoCloseable {

  /** tf.summary.image's default {@code max_outputs}. */
  public static final int DEFAULT_MAX_IMAGES = 3;

  private final EventFile file;
  private final Path logDir;
  private final List<GraphWriter> graphWriters = new ArrayList<>();

  private SummaryWriter(EventFile file, Path logDir) {
    this.file = file;
    this.logDir = logDir;
  }

  /**
   * A writer for the run directory {@code logDir} (created if missing), like {@code
   * tf.summary.create_file_writer(logdir)}: it writes a new event file there at once.
   *
   * @throws UncheckedIOException if the directory cannot be created or written
   */
  public static SummaryWriter create(Path logDir) {
    Objects.requireNonNull(logDir, "logDir");
    return new SummaryWriter(new EventFile(logDir), logDir);
  }

  /** The event file this writer writes. */
  public Path file() {
    return file.file();
  }

  /**
   * {@code tf.summary.scalar(tag, value, step)}: a float32 scalar for the Scalars dashboard, its
   * bytes in {@code tensor_content} as TensorFlow's writer stores it.
   */
  public void scalar(String tag, double value, long step) {
    ByteBuffer content = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat((float) value);
    TensorProto tensor =
        TensorProto.newBuilder()
            .setDtype(DataType.DT_FLOAT)
            .setTensorShape(shape())
            .setTensorContent(ByteString.copyFrom(content.array()))
            .build();
    write(tag, tensor, metadata("scalars"), step);
  }

  /** {@code tf.summary.histogram(tag, values, step)} with 30 buckets. */
  public void histogram(String tag, float[] values, long step) {
    double[] data = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      data[i] = values[i];
    }
    histogram(tag, data, step, Histogram.DEFAULT_BUCKET_COUNT);
  }

  /** {@code tf.summary.histogram(tag, values, step)} over every element of {@code values}. */
  public void histogram(String tag, FloatNdArray values, long step) {
    float[] flat = new float[Math.toIntExact(values.size())];
    values.copyTo(DataBuffers.of(flat, false, false));
    histogram(tag, flat, step);
  }

  /**
   * {@code tf.summary.histogram(tag, values, step, buckets)}: a float64 tensor of shape (k, 3), rows
   * {@code [left edge, right edge, count]}, for the Histograms and Distributions dashboards.
   *
   * @throws IllegalArgumentException for a non-finite value or {@code buckets < 1}
   */
  public void histogram(String tag, double[] values, long step, int buckets) {
    checkTag(tag);
    double[][] rows = Histogram.buckets(tag, values, buckets);
    ByteBuffer content = ByteBuffer.allocate(rows.length * 3 * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (double[] row : rows) {
      for (double v : row) {
        content.putDouble(v);
      }
    }
    TensorProto tensor =
        TensorProto.newBuilder()
            .setDtype(DataType.DT_DOUBLE)
            .setTensorShape(shape(rows.length, 3))
            .setTensorContent(ByteString.copyFrom(content.array()))
            .build();
    write(tag, tensor, metadata("histograms"), step);
  }

  /**
   * {@code tf.summary.image(tag, images, step)}: the first {@value #DEFAULT_MAX_IMAGES} images of a
   * batch of shape (k, height, width, channels), channels 1 (grey), 3 (RGB) or 4 (RGBA), values in
   * [0, 1] (clipped, as {@code tf.image.convert_image_dtype} saturates), each encoded as PNG.
   */
  public void image(String tag, FloatNdArray images, long step) {
    image(tag, images, step, DEFAULT_MAX_IMAGES);
  }

  /**
   * {@code tf.summary.image(tag, images, step, max_outputs)}: a string tensor {@code [width, height,
   * png...]} for the Images dashboard.
   *
   * @throws IllegalArgumentException for a shape other than (k, h, w, 1|3|4) or {@code maxOutputs
   *     < 0}
   */
  public void image(String tag, FloatNdArray images, long step, int maxOutputs) {
    checkTag(tag);
    Shape shape = images.shape();
    if (shape.numDimensions() != 4 || !java.util.Set.of(1L, 3L, 4L).contains(shape.get(3))) {
      throw new IllegalArgumentException(
          "Image summary '" + tag + "' expects a batch of images of shape (k, height, width,"
              + " channels) with 1, 3 or 4 channels, received shape " + shape + ". Reshape it, e.g."
              + " a (28, 28) image to (1, 28, 28, 1).");
    }
    if (maxOutputs < 0) {
      throw new IllegalArgumentException(
          "Received an invalid value for `max_outputs` of image summary '" + tag + "', expected a"
              + " non-negative integer. Received: max_outputs=" + maxOutputs);
    }
    int height = (int) shape.get(1);
    int width = (int) shape.get(2);
    TensorProto.Builder tensor =
        TensorProto.newBuilder()
            .setDtype(DataType.DT_STRING)
            .addStringVal(ByteString.copyFromUtf8(Integer.toString(width)))
            .addStringVal(ByteString.copyFromUtf8(Integer.toString(height)));
    long count = Math.min(maxOutputs, shape.get(0));
    for (long k = 0; k < count; k++) {
      tensor.addStringVal(ByteString.copyFrom(png(images.get(k))));
    }
    tensor.setTensorShape(shape(2 + count));
    write(tag, tensor.build(), metadata("images"), step);
  }

  /** {@code tf.summary.text(tag, text, step)}: a string scalar for the Text dashboard (Markdown). */
  public void text(String tag, String text, long step) {
    Objects.requireNonNull(text, "text");
    TensorProto tensor =
        TensorProto.newBuilder()
            .setDtype(DataType.DT_STRING)
            .setTensorShape(shape())
            .addStringVal(ByteString.copyFrom(text, StandardCharsets.UTF_8))
            .build();
    write(tag, tensor, metadata("text"), step);
  }

  /**
   * Keras's {@code keras_model_summary(tag, model, step)}: the model's JSON config ({@code
   * model.toJson()}) as a string tensor with the {@code graph_keras_model} plugin's metadata (content
   * {@code "1"}), which TensorBoard's Graphs dashboard draws as the model's conceptual graph.
   */
  public void kerasModel(String tag, String modelJson, long step) {
    Objects.requireNonNull(modelJson, "modelJson");
    TensorProto tensor =
        TensorProto.newBuilder()
            .setDtype(DataType.DT_STRING)
            .setTensorShape(shape())
            .addStringVal(ByteString.copyFrom(modelJson, StandardCharsets.UTF_8))
            .build();
    SummaryMetadata metadata =
        SummaryMetadata.newBuilder()
            .setPluginData(
                SummaryMetadata.PluginData.newBuilder()
                    .setPluginName("graph_keras_model")
                    .setContent(ByteString.copyFromUtf8("1")))
            .build();
    write(tag, tensor, metadata, step);
  }

  /**
   * {@code tf.summary.graph(graph)}: a {@code graph_def} event for the Graphs dashboard, at step 0
   * as TensorFlow writes it.
   */
  public void graph(GraphDef graph) {
    Objects.requireNonNull(graph, "graph");
    file.write(
        Event.newBuilder().setWallTime(EventFile.now()).setGraphDef(graph.toByteString()).build());
  }

  // ------------------------------------------------------------ inside a traced function

  /**
   * Inside a traced function (a {@code TfFunction} body, a custom train step), {@code
   * tf.summary.scalar(tag, value, step)} as ops: every call of the function writes {@code value}'s
   * current value at {@code step}'s, with no extra session call, through TensorFlow's own summary
   * writer (its own event file in this writer's directory, queued and written off the training
   * thread).
   *
   * <pre>{@code
   * var trainStep = TfFunction.of(TFloat32.class, TInt64.class, TInt64.class, ...);
   * // in the body: writer.scalar("batch_loss", loss, step);
   * }</pre>
   *
   * @throws IllegalStateException outside a traced function (use {@link #scalar(String, double,
   *     long)} there)
   * @throws IllegalArgumentException if {@code value} is known not to be a scalar
   */
  public void scalar(String tag, Operand<? extends TNumber> value, Operand<? extends TNumber> step) {
    checkTag(tag);
    if (value.shape().numDimensions() > 0) {
      throw new IllegalArgumentException(
          "Scalar summary '" + tag + "' expects a scalar, received a tensor of shape " + value.shape()
              + ". Reduce it first, e.g. tf.math.mean(x, axes), or log it with histogram(...).");
    }
    Trace trace = traceFor("scalar");
    Ops tf = trace.ops();
    Operand<TFloat32> v = tf.reshape(tf.dtypes.cast(value, TFloat32.class), tf.constant(new long[0]));
    trace.addUpdate(graphWriter(trace).write(tf, tag, v, step, metadata("scalars")));
  }

  /**
   * Inside a traced function, {@code tf.summary.histogram(tag, values, step)} as ops, with
   * TensorBoard's 30 buckets computed in the graph as its {@code summary_v2} does (see {@link
   * #histogram(String, double[], long, int)}).
   *
   * @throws IllegalStateException outside a traced function
   */
  public void histogram(String tag, Operand<? extends TNumber> values, Operand<? extends TNumber> step) {
    checkTag(tag);
    Trace trace = traceFor("histogram");
    Ops tf = trace.ops();
    Operand<TFloat64> buckets = GraphHistogram.buckets(tf, values, Histogram.DEFAULT_BUCKET_COUNT);
    trace.addUpdate(graphWriter(trace).write(tf, tag, buckets, step, metadata("histograms")));
  }

  /**
   * Inside a traced function, {@code tf.summary.image(tag, images, step, max_outputs=3)} as ops: the
   * first images of a float batch (k, height, width, 1|3|4) in [0, 1], PNG-encoded in the graph.
   *
   * @throws IllegalStateException outside a traced function
   */
  public void image(String tag, Operand<? extends TNumber> images, Operand<? extends TNumber> step) {
    image(tag, images, step, DEFAULT_MAX_IMAGES);
  }

  /**
   * Inside a traced function, {@code tf.summary.image(tag, images, step, max_outputs)} as ops.
   *
   * @throws IllegalArgumentException for a shape other than (k, h, w, 1|3|4) or {@code maxOutputs < 0}
   * @throws IllegalStateException outside a traced function
   */
  public void image(String tag, Operand<? extends TNumber> images, Operand<? extends TNumber> step, int maxOutputs) {
    checkTag(tag);
    Shape shape = images.shape();
    if (shape.numDimensions() != 4 || !java.util.Set.of(1L, 3L, 4L).contains(shape.get(3))
        || shape.get(1) < 0 || shape.get(2) < 0) {
      throw new IllegalArgumentException(
          "Image summary '" + tag + "' expects a batch of images of shape (k, height, width,"
              + " channels) with known height and width and 1, 3 or 4 channels, received shape " + shape
              + ". Reshape it, e.g. a (28, 28) image to (1, 28, 28, 1).");
    }
    if (maxOutputs < 0) {
      throw new IllegalArgumentException(
          "Received an invalid value for `max_outputs` of image summary '" + tag + "', expected a"
              + " non-negative integer. Received: max_outputs=" + maxOutputs);
    }
    Trace trace = traceFor("image");
    Ops tf = trace.ops();
    Operand<TString> tensor = GraphImages.encode(tf, images, maxOutputs);
    trace.addUpdate(graphWriter(trace).write(tf, tag, tensor, step, metadata("images")));
  }

  /**
   * Inside a traced function, {@code tf.summary.text(tag, text, step)} as ops.
   *
   * @throws IllegalStateException outside a traced function
   */
  public void text(String tag, Operand<TString> text, Operand<? extends TNumber> step) {
    checkTag(tag);
    Trace trace = traceFor("text");
    Ops tf = trace.ops();
    trace.addUpdate(graphWriter(trace).write(tf, tag, text, step, metadata("text")));
  }

  private static Trace traceFor(String what) {
    if (!Trace.isActive()) {
      throw new IllegalStateException(
          "SummaryWriter." + what + "(tag, Operand, step) builds summary ops and must be called inside a"
              + " traced function (a TfFunction body, e.g. a custom train step). Between steps, pass"
              + " plain Java values instead: " + what + "(tag, value, step).");
    }
    return Trace.current();
  }

  private GraphWriter graphWriter(Trace trace) {
    synchronized (graphWriters) {
      for (GraphWriter w : graphWriters) {
        if (w.runtime() == trace.runtime()) {
          return w;
        }
      }
      GraphWriter w = new GraphWriter(trace.runtime(), logDir);
      graphWriters.add(w);
      return w;
    }
  }

  /** Waits until everything written so far, from Java and from traced functions, is in the files. */
  public void flush() {
    file.flush();
    GraphWriter.copy(graphWriters).forEach(GraphWriter::flush);
  }

  /** Writes what is pending and closes the files; later calls do nothing. */
  @Override
  public void close() {
    List<GraphWriter> writers;
    synchronized (graphWriters) {
      writers = new ArrayList<>(graphWriters);
      graphWriters.clear();
    }
    try {
      writers.forEach(GraphWriter::close);
    } finally {
      file.close();
    }
  }

  private void write(String tag, TensorProto tensor, SummaryMetadata metadata, long step) {
    checkTag(tag);
    Summary summary =
        Summary.newBuilder()
            .addValue(Summary.Value.newBuilder().setTag(tag).setMetadata(metadata).setTensor(tensor))
            .build();
    file.write(
        Event.newBuilder().setWallTime(EventFile.now()).setStep(step).setSummary(summary).build());
  }

  /**
   * The plugin's metadata as TensorBoard's {@code tf.summary} writes it (checked against Keras
   * 3.15.1's event files): the plugin name, its version-0 PluginData proto as content (empty bytes),
   * and no data class (TensorBoard infers it from the plugin).
   */
  private static SummaryMetadata metadata(String plugin) {
    return SummaryMetadata.newBuilder()
        .setPluginData(SummaryMetadata.PluginData.newBuilder().setPluginName(plugin))
        .build();
  }

  private static TensorShapeProto shape(long... dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (long dim : dims) {
      shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(dim));
    }
    return shape.build();
  }

  private static void checkTag(String tag) {
    if (tag == null || tag.isBlank()) {
      throw new IllegalArgumentException(
          "A summary needs a tag, the name TensorBoard shows it under, e.g. \"loss\"; received: "
              + (tag == null ? "null" : "'" + tag + "'"));
    }
  }

  /** One (height, width, channels) image in [0, 1] as PNG bytes, 8 bits per channel. */
  private static byte[] png(FloatNdArray image) {
    int height = (int) image.shape().get(0);
    int width = (int) image.shape().get(1);
    int channels = (int) image.shape().get(2);
    int type =
        channels == 1
            ? BufferedImage.TYPE_BYTE_GRAY
            : channels == 3 ? BufferedImage.TYPE_INT_RGB : BufferedImage.TYPE_INT_ARGB;
    BufferedImage out = new BufferedImage(width, height, type);
    var raster = out.getRaster();
    int[] pixel = new int[channels];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        for (int c = 0; c < channels; c++) {
          pixel[c] = toByte(image.getFloat(y, x, c));
        }
        raster.setPixel(x, y, pixel);
      }
    }
    try (ByteArrayOutputStream bytes = new ByteArrayOutputStream()) {
      ImageIO.write(out, "png", bytes);
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot encode an image as PNG: " + e.getMessage(), e);
    }
  }

  /** tf.image.convert_image_dtype(x, uint8, saturate=True): x * 255.5, truncated, in [0, 255]. */
  private static int toByte(float value) {
    if (Float.isNaN(value)) {
      return 0;
    }
    return (int) Math.max(0, Math.min(255, Math.floor(value * 255.5)));
  }
}
